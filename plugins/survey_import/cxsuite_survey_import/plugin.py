"""The plugin module named by the entry point: it only registers the connector."""

from cxsuite import hookimpl
from cxsuite_survey_import.connector import SurveyImportConnector


@hookimpl
def register_connectors() -> list[type[SurveyImportConnector]]:
    """One connector: survey files uploaded to a connection."""
    return [SurveyImportConnector]
