"""The built-in plugin registering the file-import connector (loaded by
:func:`cxsuite.plugin_manager.build_plugins` with the installed plugins)."""

from cxsuite import hookimpl
from cxsuite.imports.connector import FileImportConnector


@hookimpl
def register_connectors() -> list[type[FileImportConnector]]:
    """One connector: export files uploaded per record kind."""
    return [FileImportConnector]
