"""Each role's main journey, end to end in a real browser, with axe and screenshots on
every page: the consultant from sign-up to the PDF (through a client admin's OAuth connect
in a second browser context), the client viewer's read-only view, and the owner's pages."""

from __future__ import annotations

import re

from cxsuite.mail.transport import outbox_dir
from tests.support.mail import token_in, wait_for_mail

PASSWORD = "correct horse battery staple"


def _submit(page: object, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def _wait_job(page: object) -> None:
    """On a job page: wait for the live stream's end, then continue."""
    page.wait_for_selector("body[data-job-done='true']", timeout=120_000)
    assert "s-succeeded" in page.locator("#job-status").get_attribute("class"), page.locator("#job-error").inner_text()
    page.get_by_role("link", name="Continue").click()
    page.wait_for_load_state()


def _invite(page: object, settings: object, workspace_url: str, email: str, role: str) -> str:
    page.goto(workspace_url)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Role").select_option(role)
    _submit(page, "Send invitation")
    assert "The invitation is on its way." in page.content()
    return token_in(wait_for_mail(outbox_dir(settings), email, "invitation"))


def test_consultant_journey_from_sign_up_to_pdf(new_context, settings, cxsuite_sandbox) -> None:
    """Sign up, workspace, project, invite a client admin who connects HubSpot through the
    sandbox's OAuth consent and imports, score, watch live, drill into the grid, generate,
    download and publish the PDF and the evidence workbook."""
    from tests.browser.conftest import Pages
    pages = Pages("consultant")
    consultant = new_context().new_page()
    consultant.goto("/")
    assert "/signin" in consultant.url
    pages.check(consultant, "signin")
    consultant.get_by_role("link", name="New consultancy? Create an account").click()
    pages.check(consultant, "signup")
    consultant.get_by_label("Name of your consultancy").fill("Northwind Advisory")
    consultant.get_by_label("Email address").fill("lead@northwind.test")
    consultant.get_by_label("Password").fill(PASSWORD)
    _submit(consultant, "Create account")
    assert "Your consultancy is ready" in consultant.content()
    pages.check(consultant, "home")

    consultant.get_by_label("Client name").fill("Acme Retail")
    _submit(consultant, "Create workspace")
    workspace_url = consultant.url
    assert re.search(r"/w/[0-9a-f-]{36}$", workspace_url.split("?")[0])
    workspace_url = workspace_url.split("?")[0]
    pages.check(consultant, "workspace")
    consultant.get_by_label("Project name").fill("CX audit 2026")
    consultant.get_by_label("Audit period starts").fill("2026-01-01")
    consultant.get_by_label("Audit period ends").fill("2026-06-30")
    _submit(consultant, "Create project")
    project_url = consultant.url.split("?")[0]
    pages.check(consultant, "project")
    consultant.get_by_role("link", name="Answer the questionnaire").click()
    pages.check(consultant, "questionnaire")
    consultant.locator("fieldset.question").first.locator("input[type=radio]").nth(2).check()
    _submit(consultant, "Save answers")
    assert "Your answers are saved." in consultant.content()

    token = _invite(consultant, settings, workspace_url, "it@acme.test", "client_admin")

    # The client admin, in a second browser: accept, connect HubSpot via OAuth, import.
    admin = new_context(width=360).new_page()
    admin.goto(f"/accept-invitation?token={token}")
    pages.check(admin, "accept-invitation-360px")
    admin.get_by_label("Password").fill(PASSWORD)
    _submit(admin, "Accept and sign in")
    admin.get_by_role("link", name="Acme Retail").click()
    pages.check(admin, "client-admin-workspace-360px")
    admin.get_by_label("Source").select_option("hubspot")
    admin.get_by_text("Advanced settings").click()
    admin.get_by_label("Vendor address").fill(f"{cxsuite_sandbox.base_url}/hubspot")
    _submit(admin, "Connect")
    pages.check(admin, "authorize-360px")
    admin.locator("#authorize").click()
    admin.wait_for_load_state()
    if admin.get_by_role("button", name="Approve").count():
        admin.get_by_role("button", name="Approve").click()
        admin.wait_for_load_state()
    assert "<h1>Connected</h1>" in admin.content(), admin.content()
    admin.goto(workspace_url)
    admin.locator("table a").first.click()
    pages.check(admin, "connection-360px")
    _submit(admin, "Import now")
    pages.check(admin, "job-360px")
    _wait_job(admin)

    # Back to the consultant: the connection's health, scoring, the grid, the report.
    consultant.goto(workspace_url)
    assert "connected" in consultant.content()
    consultant.goto(project_url)
    _submit(consultant, "Score now")
    _wait_job(consultant)
    consultant.get_by_role("link", name="Open the grid with its evidence").click()
    pages.check(consultant, "grid")
    consultant.goto(project_url)
    _submit(consultant, "Generate PDF")
    _wait_job(consultant)
    pages.check(consultant, "project-with-report")
    with consultant.expect_download() as pdf:
        consultant.get_by_role("link", name="PDF").first.click()
    assert pdf.value.path().read_bytes().startswith(b"%PDF")
    with consultant.expect_download() as workbook:
        consultant.get_by_role("link", name="Evidence workbook").first.click()
    assert workbook.value.path().read_bytes().startswith(b"PK")
    _submit(consultant, "Publish to the client")
    assert "The report is published" in consultant.content()

    # A client viewer (third browser): reads and downloads the published report, changes nothing.
    token = _invite(consultant, settings, workspace_url, "ceo@acme.test", "client_viewer")
    viewer = new_context().new_page()
    viewer.goto(f"/accept-invitation?token={token}")
    viewer.get_by_label("Password").fill(PASSWORD)
    _submit(viewer, "Accept and sign in")
    viewer.get_by_role("link", name="Acme Retail").click()
    pages.check(viewer, "viewer-workspace")
    viewer.get_by_role("link", name="CX audit 2026").click()
    pages.check(viewer, "viewer-project")
    with viewer.expect_download() as published:
        viewer.get_by_role("link", name="PDF").first.click()
    assert published.value.path().read_bytes().startswith(b"%PDF")
    main_forms = viewer.locator("main form")
    assert main_forms.count() == 0, "a viewer's pages offer no action"
    viewer.goto(project_url.replace("/p/", "/p/") + "/questionnaire")
    assert "Ask your consultant" in viewer.content()
    pages.check(viewer, "viewer-refused")

    for path, label in (("/account", "account"), ("/audit", "audit"), ("/operator", "operator")):
        consultant.goto(path)
        pages.check(consultant, label)
    pages.assert_clean()
