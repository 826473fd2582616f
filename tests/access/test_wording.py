"""Messages only an operator can act on reach client users in their own words: in job
answers (and every attempt of them) as in connection answers and problem details."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from cxsuite.access.principal import Principal, Role
from cxsuite.access.wording import CLIENT_WORDS, for_reader, operator_only
from cxsuite.jobs.schemas import to_detail, to_out

OPERATOR = ("HubSpot refused cxsuite's OAuth client (401: invalid_client): the client id or secret "
            "configured for HubSpot (CXSUITE_OAUTH_CLIENTS) is wrong; an operator must correct it")
WORKSPACE = uuid4()


def reader(role: Role) -> Principal:
    tenant_role = role if role in (Role.OWNER, Role.CONSULTANT) else None
    return Principal(uuid4(), uuid4(), uuid4(), "someone@example.test", tenant_role,
                     {} if tenant_role else {WORKSPACE: role})


def job_row(error: str) -> dict:
    now = datetime.now(UTC)
    return {"id": uuid4(), "kind": "sync", "status": "failed", "progress": 0.3, "counts": "{}", "attempts": 1,
            "error": error, "result_ref": "", "workspace_id": WORKSPACE, "subject_type": "connection",
            "subject_id": uuid4(), "created_at": now, "started_at": now, "finished_at": now,
            "cancel_requested": False, "error_class": "misconfigured", "run_after": now}


def test_only_messages_naming_a_server_setting_are_operator_only():
    assert operator_only(OPERATOR)
    assert not operator_only("HubSpot refused the authorisation (400: invalid_grant); reconnect the account")
    assert not operator_only("unexpected error; it has been logged for the operators")


def test_each_role_reads_a_job_failure_in_words_it_can_act_on():
    attempt = {"number": 1, "worker": "w1", "started_at": datetime.now(UTC), "finished_at": datetime.now(UTC),
               "outcome": "failed", "error_class": "misconfigured", "message": OPERATOR}
    for role in (Role.OWNER, Role.CONSULTANT):
        detail = to_detail(job_row(OPERATOR), [attempt], reader(role))
        assert detail.error == OPERATOR and detail.attempt_history[0].message == OPERATOR
    for role in (Role.CLIENT_ADMIN, Role.CLIENT_VIEWER):
        detail = to_detail(job_row(OPERATOR), [attempt], reader(role))
        assert detail.error == CLIENT_WORDS and detail.attempt_history[0].message == CLIENT_WORDS
        assert "CXSUITE_" not in detail.error
    plain = "HubSpot daily API limit reached; resumes at 00:00 UTC"
    assert to_out(job_row(plain), reader(Role.CLIENT_ADMIN)).error == plain
    assert for_reader(OPERATOR, None) == CLIENT_WORDS  # no signed-in reader: the OAuth callback page
