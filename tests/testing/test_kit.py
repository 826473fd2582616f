"""The connector test kit tested on its own: a connector served by a stand-in over HTTP passes
it, and a connector that ignores its checkpoint fails its resume check — whatever the size of
the data (the check used to pass below 2,000 rows, when nothing was committed before the
cancellation)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cxsuite.testing import ConnectorConformance
from cxsuite.testing.environment import open_environment
from tests.testing.acme import AcmeHarness, StartsOverConnector
from tests.testing.acme_vendor import AcmeVendor

pytestmark = pytest.mark.anyio


@pytest.fixture
def acme() -> Iterator[AcmeVendor]:
    """A fresh Acme stand-in on a free loopback port."""
    vendor = AcmeVendor(count=120)
    yield vendor
    vendor.close()


class TestAcmeConformance(ConnectorConformance):
    """The whole suite, over real HTTP against the stand-in."""

    @pytest.fixture
    def harness(self, acme: AcmeVendor) -> AcmeHarness:
        return AcmeHarness(acme)


@pytest.mark.parametrize("page_size", [25, 500], ids=["five pages", "one page"])
async def test_the_resume_check_fails_for_a_connector_that_ignores_its_checkpoint(
        acme, tmp_path, cxsuite_kit_database, page_size):
    harness = AcmeHarness(acme, StartsOverConnector, page_size=page_size)
    async with open_environment(harness, tmp_path, cxsuite_kit_database) as env:
        with pytest.raises(AssertionError, match="started over instead of going on from its checkpoint"):
            await ConnectorConformance().test_resumes_from_its_checkpoint(harness, env)


@pytest.mark.parametrize("page_size", [25, 500], ids=["five pages", "one page"])
async def test_the_resume_check_passes_for_the_same_connector_honouring_it(
        acme, tmp_path, cxsuite_kit_database, page_size):
    harness = AcmeHarness(acme, page_size=page_size)
    async with open_environment(harness, tmp_path, cxsuite_kit_database) as env:
        await ConnectorConformance().test_resumes_from_its_checkpoint(harness, env)
    assert any("after=" in path for path in acme.requests)  # it did go on from a checkpoint
