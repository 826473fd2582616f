"""The survey-import connector's "vendor" for the conformance suite: a generated survey file.

A file has no network, so rate limits and server errors cannot happen: ``inject`` records
them (the suite's test then checks that a sync still imports everything) and only a malformed
record changes the file. There are no tokens to expire.
"""

from __future__ import annotations

from typing import Any

from cxsuite_survey_import.connector import SurveyImportConnector

from cxsuite.testing import Fault, VendorHarness
from tests.connectors.survey_import.files import csv_bytes, nps_export


class SurveyFileHarness(VendorHarness):
    """An NPS export of ``count`` answers; each injected malformed record adds a row scored 11."""

    connector = SurveyImportConnector

    def __init__(self, count: int = 2100) -> None:
        self.count = count
        self.malformed = 0
        self.faults: list[Fault] = []

    def config(self) -> dict[str, Any]:
        return {"touchpoint": "post-purchase survey", "journey_stage": "purchase"}

    def upload(self) -> tuple[str, bytes]:
        return "nps-export.csv", csv_bytes(nps_export(self.count, bad=self.malformed))

    def expected_ids(self, stream: str) -> set[str]:
        return {f"R{n:05d}" for n in range(self.count)}

    def inject(self, fault: Fault, count: int = 1) -> None:
        self.faults.extend([fault] * count)
        if fault is Fault.MALFORMED_RECORD:
            self.malformed += count

    def expire_tokens(self) -> None:
        """A file upload has no tokens."""
