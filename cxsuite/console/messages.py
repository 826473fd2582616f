"""Fixed sentences the console shows: notices after an action succeeded, and what a person
can do about an error. Keys travel in URLs (``?done=signed-out``), never the text itself, so
nobody can put words on a cxsuite page through a link.

The msgids are marked with :func:`N_` so the catalogue test finds them.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a msgid for the catalogues without translating it here."""
    return message


NOTICES = {
    "signed-out": N_("You are signed out."),
    "signed-up": N_("Your consultancy is ready. We sent a link to confirm your email address."),
    "reset-sent": N_("If an account uses this email, a link to choose a new password is on its way."),
    "password-set": N_("Your password is set. Sign in with it now."),
    "password-changed": N_("Your password is changed. Your other sessions have ended."),
    "email-verified": N_("Your email address is confirmed."),
    "token-revoked": N_("The token is revoked."),
    "workspace-created": N_("The workspace is created."),
    "workspace-archived": N_("The workspace is archived."),
    "project-created": N_("The project is created."),
    "project-saved": N_("The project is saved."),
    "project-archived": N_("The project is archived."),
    "invited": N_("The invitation is on its way."),
    "connection-created": N_("The connection is added."),
    "disconnected": N_("The connection is removed and its access revoked."),
    "uploaded": N_("The file is uploaded and its import has started."),
    "published": N_("The report is published. The client can now download it."),
    "unpublished": N_("The report is withdrawn. The client no longer sees it."),
    "answers-saved": N_("Your answers are saved."),
    "edits-saved": N_("Your changes are saved."),
    "language": N_("The language is changed."),
    "mapping-confirmed": N_("The mapping is confirmed."),
}

# What each audience can do when something goes wrong (by HTTP status).
FORBIDDEN = {
    "staff": N_("Your role does not allow this. The owner of your consultancy can change your role."),
    "client": N_("Your role does not allow this. Ask your consultant if you need it."),
}
NOT_FOUND = N_("This page does not exist, or it is not shared with you.")
TOO_MANY = N_("Too many attempts. Wait a few minutes, then try again.")
FAILED = {
    "staff": N_("Something went wrong on our side. Try again; if it keeps happening, "
                "tell your administrator."),
    "client": N_("Something went wrong on our side. Try again; if it keeps happening, "
                 "tell your consultant."),
}
CHOOSE_CONSULTANCY = N_("Your account belongs to several consultancies: choose one, then enter your "
                        "password again.")
EXPIRED_FORM = N_("This form had expired. We reloaded it: please send it again.")

# Words the API returns as values (statuses, job kinds, roles), shown in the page's language.
WORDS = {
    "pending": N_("waiting for consent"), "connected": N_("connected"), "error": N_("needs attention"),
    "queued": N_("queued"), "running": N_("running"), "waiting": N_("waiting"), "succeeded": N_("done"),
    "failed": N_("failed"), "cancelled": N_("cancelled"), "ready": N_("ready"), "rendering": N_("rendering"),
    "sync": N_("import"), "score": N_("scoring"), "render": N_("report"),
    "owner": N_("owner"), "consultant": N_("consultant"), "client_admin": N_("client admin"),
    "client_viewer": N_("client viewer"), "invited": N_("invited"), "active": N_("active"),
    "session": N_("browser session"), "personal": N_("personal token"), "rendered": N_("ready"),
    "insufficient_evidence": N_("not enough evidence to score"), "not_applicable": N_("does not apply"),
    "questionnaire": N_("questionnaire"), "o_data": N_("operational data"), "x_data": N_("experience data"),
    "customers": N_("customers"), "deals": N_("deals (orders)"), "tickets": N_("tickets"),
    "interactions": N_("interactions"), "feedback": N_("feedback"),
}

# Where a stage's business value comes from (the API's ``basis`` of each stage).
VALUE_BASES = {
    "estimate": N_("No figures or judgement for this stage yet: its business value is the neutral midpoint, "
                   "3 of 5."),
    "figures": N_("Valued from the figures: this stage's money at stake, ranked among the stages with "
                  "figures."),
    "judgement": N_("Valued from the judgement below and its reason."),
}
# Where an opportunity's effort and confidence come from (``effort_basis``, ``confidence_basis``).
PRIORITY_BASES = {"library": N_("library estimate"), "evidence": N_("from the evidence"),
                  "consultant": N_("your input")}
# The API's priority formula, in the page's language (any other text is shown as the API wrote it).
PRIORITY_FORMULA = N_("priority = value × (6 − effort) / 5 × (1 − evidence gap / 2); evidence gap = 1 − "
                      "confidence")


# The import's field names (``created_at``) in words: what a column of the file fills.
FIELD_LABELS = {
    "amount": N_("Amount"),
    "assigned_at": N_("Assigned at"),
    "auto_assigned": N_("Assigned by a rule"),
    "automated": N_("Automated"),
    "channel": N_("Channel"),
    "churned_at": N_("Left on"),
    "closed_at": N_("Closed on"),
    "comment": N_("Comment"),
    "company_external_id": N_("Company id"),
    "created_at": N_("Created on"),
    "currency": N_("Currency"),
    "customer_external_id": N_("Customer id"),
    "direction": N_("Direction"),
    "email": N_("Email"),
    "external_id": N_("Record id"),
    "first_name": N_("First name"),
    "first_response_at": N_("First reply at"),
    "journey_stage": N_("Journey stage"),
    "last_name": N_("Last name"),
    "lifecycle_stage": N_("Lifecycle stage"),
    "metric": N_("Survey measure"),
    "name": N_("Name"),
    "occurred_at": N_("Happened at"),
    "owner_id": N_("Owner"),
    "phone": N_("Phone"),
    "pipeline": N_("Pipeline"),
    "priority": N_("Priority"),
    "question": N_("Question"),
    "reopened": N_("Reopened"),
    "resolved_at": N_("Resolved at"),
    "satisfaction": N_("Satisfaction"),
    "satisfaction_scale": N_("Satisfaction scale"),
    "scale_max": N_("Highest score"),
    "scale_min": N_("Lowest score"),
    "score": N_("Score"),
    "segment": N_("Segment"),
    "segments": N_("Lists and tags"),
    "stage": N_("Stage"),
    "status": N_("Status"),
    "subject": N_("Subject"),
    "submitted_at": N_("Answered at"),
    "ticket_external_id": N_("Ticket id"),
    "touchpoint": N_("Touchpoint"),
    "type": N_("Type"),
    "updated_at": N_("Last changed"),
    "web_user_id": N_("Web analytics user id"),
    "won": N_("Won"),
}

# The audit log's actions, outcomes and object types in words (``tests/console/test_audit_words.py``
# reads every one the API's code can record and fails while one has no words here).
AUDIT_ACTIONS = {
    "auth.login": N_("Sign-in"),
    "tenant.signup": N_("Consultancy account created"),
    "tenant.renamed": N_("Consultancy renamed"),
    "token.created": N_("Session or token issued"),
    "token.revoked": N_("Session or token revoked"),
    "token.revoked_all": N_("All sessions and tokens revoked"),
    "invitation.accepted": N_("Invitation accepted"),
    "invitation.resent": N_("Invitation sent again"),
    "membership.added": N_("Person added"),
    "membership.changed": N_("Role changed"),
    "membership.removed": N_("Person removed"),
    "workspace.created": N_("Workspace created"),
    "workspace.updated": N_("Workspace changed"),
    "workspace.deleted": N_("Workspace archived"),
    "project.created": N_("Project created"),
    "project.updated": N_("Project changed"),
    "project.deleted": N_("Project archived"),
    "connection.created": N_("Data connection added"),
    "connection.authorised": N_("Data connection authorised"),
    "connection.updated": N_("Data connection changed"),
    "connection.deleted": N_("Data connection removed"),
    "connection.file_uploaded": N_("File uploaded to a data connection"),
    "import.file_uploaded": N_("Import file uploaded"),
    "import.mapping_confirmed": N_("Column mapping confirmed"),
    "import.mapping_reused": N_("Column mapping reused for a new file"),
    "customer_view.resolved": N_("Customer record looked up"),
    "report.rendered": N_("Report generation"),
    "report.published": N_("Report published"),
    "report.unpublished": N_("Report withdrawn"),
    "report.downloaded": N_("Report downloaded"),
    "report.evidence_downloaded": N_("Evidence workbook downloaded"),
    "branding.updated": N_("Report branding changed"),
    "branding.logo_set": N_("Report logo set"),
    "branding.logo_removed": N_("Report logo removed"),
}
AUDIT_OUTCOMES = {"success": N_("Succeeded"), "failure": N_("Failed")}
AUDIT_OBJECTS = {
    "tenant": N_("Consultancy"), "user": N_("Person"), "token": N_("Session or token"),
    "workspace": N_("Workspace"), "project": N_("Project"), "connection": N_("Data connection"),
    "report": N_("Report"),
}
