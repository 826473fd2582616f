"""Every upload limit holds for the file import: a zip bomb is refused at upload, naming the
field, the setting and the limit, before anything is stored."""

from __future__ import annotations

import pytest

from tests.connectors.survey_import.workbooks import zip_bomb
from tests.imports.flow import new_connection, upload

pytestmark = pytest.mark.anyio


async def test_a_zip_bomb_is_refused_at_upload_naming_the_limit(eng, client, settings, tmp_path):
    connection_id = await new_connection(client, eng.owner.headers, eng.workspace_id)
    bomb = zip_bomb(tmp_path / "orders.xlsx").read_bytes()
    response = await upload(client, eng.owner.headers, connection_id, "deals", bomb, "orders.xlsx")
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["field"], error["limit"]) == ("body.file", settings.upload_max_unpacked_bytes)
    assert "CXSUITE_UPLOAD_MAX_UNPACKED_BYTES" in error["reason"]
    files = await client.get(f"/api/v1/connections/{connection_id}/files", headers=eng.owner.headers)
    assert files.json() == []  # nothing stored
