"""Run the connector on a file without a database: what it yields is what the engine gets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
import pytest
from cxsuite_survey_import.config import SurveyImportConfig
from cxsuite_survey_import.connector import SurveyImportConnector

from cxsuite.connectors import Batch, ConnectorContext

Read = Callable[..., Awaitable[list[Batch]]]


@pytest.fixture
def anyio_backend() -> str:
    """cxsuite is asyncio-only."""
    return "asyncio"


async def read_file(content: bytes, name: str = "export.csv", checkpoint: dict[str, Any] | None = None,
                    **config: Any) -> list[Batch]:
    """Every batch the connector yields for ``content`` read with ``config``."""
    context = ConnectorContext(config=msgspec.convert(config, SurveyImportConfig), http=None,
                               upload=content, upload_name=name)
    return [batch async for batch in SurveyImportConnector(context).read("responses", checkpoint)]


@pytest.fixture
def read() -> Read:
    """``await read(content, name, checkpoint, **config)`` → the batches."""
    return read_file
