"""A problem's ``detail`` in the page's language: what the console shows of an API refusal when
no field is named (on top of a form, or as the error page's sentence).

Like the reasons (``reasons.py``): each detail the API's code can give in a refusal is a msgid
here with placeholders for its values, matched against the text and shown through the console's
catalogue with the values put back; a ``reason`` placeholder holds a field's reason and is
translated as one. A detail no msgid matches is shown as it came in English, and as a plain
sentence of the page's language in any other (never English inside a Persian page).
``tests/console/test_details.py`` reads the API's source and fails while a detail it can give has
no msgid here or no translation.
"""

from __future__ import annotations

from cxsuite.console.i18n import translations
from cxsuite.console.messages import N_
from cxsuite.console.reasons import msgid_of, reason_in

DETAILS = (
    # The API's own handlers, and each error class's title (the detail when none is given).
    N_("the request does not match the schema; see errors"),
    N_("Invalid request"), N_("Invalid input"), N_("Authentication required"), N_("Conflict"),
    N_("Too many requests"), N_("Request Entity Too Large"), N_("Sync cancelled"), N_("File refused"),
    N_("Connector configuration error"), N_("Connector authorisation error"), N_("Outbound address refused"),
    N_("Scoring input invalid"), N_("Scoring model invalid"),
    N_("This connection cannot work until a setting on the cxsuite server is corrected; that is not "
       "something you can change, and reconnecting will not help. Your consultant can see the details and "
       "has what they need to get it fixed."),
    # Requests, lists, idempotency.
    N_("the JSON body is nested too deeply"),
    N_("the input holds a character that cannot be stored"),
    N_("the input holds a string that is too long"),
    N_("page either by offset or after an item, not both"),
    N_("the request has query parameters this operation does not take"),
    N_("'after' is not an item of this list"),
    N_("this list cannot be sorted that way"),
    N_("this Idempotency-Key was already used for a different request"),
    N_("a request with this Idempotency-Key is still being handled; retry shortly"),
    N_("%(field)s: %(reason)s"),
    # Accounts, invitations, people.
    N_("send an access token as 'Authorization: Bearer <token>'"),
    N_("access token is invalid, expired or revoked"),
    N_("invalid access token"),
    N_("email or password is wrong"),
    N_("the current password is wrong"),
    N_("this account belongs to several tenants; say which one"),
    N_("this account has no tenant access"),
    N_("this account no longer has access to the tenant"),
    N_("personal tokens may not live that long"),
    N_("too many %(what)s attempts; try again later"),
    N_("too many login attempts; try again later"),
    N_("too many signup attempts; try again later"),
    N_("this email cannot be used to sign up; if the address is yours, its inbox has a message saying how to "
       "sign in or reset the password"),
    N_("this link was already used or has expired; ask for a new one"),
    N_("this invitation is not valid"),
    N_("this invitation was already used, revoked or has expired; ask for a new one"),
    N_("choose a password to accept the invitation"),
    N_("this person is already an owner or consultant of the tenant"),
    N_("this person is already a member of the workspace"),
    N_("this person already works across the tenant as an owner or consultant"),
    N_("the tenant's last owner cannot be removed or demoted; add another owner first"),
    N_("the actor filter is not a user id"),
    N_("the %(name)s filter is not a date or time"),
    # Projects, journeys, inputs, reports.
    N_("the audit period ends before it starts"),
    N_("unknown scoring model"),
    N_("the journey is not valid; see errors"),
    N_("the journey mapping is not valid; see errors"),
    N_("the journey was changed at the same time; reload it and try again"),
    N_("the journey is at version %(current)s, you edited version %(edited)s; reload it and apply your "
       "change again"),
    N_("the document was changed at the same time; reload it and try again"),
    N_("the value inputs are not valid; see errors"),
    N_("some answers cannot be recorded; nothing was written"),
    N_("the overrides do not give a valid model"),
    N_("model %(model)s already has these overrides (version %(version)s)"),
    N_("the report text is not valid; see errors"),
    N_("a report needs at least one section"),
    N_("unknown section %(key)s"),
    N_("the report is not rendered yet (status: %(status)s)"),
    N_("only a rendered report can be published (this one is %(status)s)"),
    N_("unknown phone region"),
    # Connections, files, imports.
    N_("unknown connector"),
    N_("the %(connector)s connector is not installed"),
    N_("the connector %(connector)s of this connection is not installed"),
    N_("invalid connector configuration"),
    N_("this connector takes no configuration"),
    N_("this connector needs an API key"),
    N_("this connector needs a service-account key file"),
    N_("this connector does not take a service-account key"),
    N_("this base URL may not be called"),
    N_("this is not a usable service-account key file"),
    N_("this key file's token_uri may not be called"),
    N_("refused token_uri: %(vendor)s exchanges service-account keys at %(address)s only"),
    N_("this connection does not use OAuth"),
    N_("no OAuth app is configured for %(connector)s; set it in CXSUITE_OAUTH_CLIENTS"),
    N_("this authorisation link was already used or has expired; start the connection again"),
    N_("the connection was deleted before it was authorised"),
    N_("%(vendor)s did not grant access: %(error)s"),
    N_("%(vendor)s sent no authorisation code"),
    N_("%(vendor)s refused the authorisation (%(status)s); %(advice)s"),
    N_("%(vendor)s refused cxsuite's OAuth client (%(status)s): the client id or secret configured for "
       "%(connector)s (CXSUITE_OAUTH_CLIENTS) is wrong; an operator must correct it, reconnecting the "
       "account will not help"),
    N_("the %(vendor)s access expired and no refresh token was granted; reconnect the account"),
    N_("%(vendor)s is not authorised yet; finish connecting the account"),
    N_("%(vendor)s refused the API key; enter a valid key for this connection"),
    N_("%(vendor)s has no service-account key; upload the key file again"),
    N_("this connection does not take files"),
    N_("a file import takes one file per kind"),
    N_("the file is empty"),
    N_("the file name cannot be stored"),
    N_("no file has been uploaded to this connection yet"),
    N_("this connection does not import files"),
    N_("unknown kind of file"),
    N_("these settings cannot be used"),
    N_("no file has been uploaded yet"),
    N_("no %(kind)s file has been uploaded yet"),
    N_("the mapping names fields or columns that do not exist"),
    N_("the mapping cannot be confirmed"),
    N_("some files have no confirmed column mapping"),
    N_("the column mapping of the %(kind)s file is not confirmed yet; preview the file and confirm its "
       "mapping first"),
    N_("the %(kind)s file was replaced after its mapping was confirmed; confirm the mapping of the new file"),
    N_("the %(kind)s file has no column %(column)s; confirm its mapping again"),
)
# What a page in another language says of a detail no msgid matches.
UNKNOWN = N_("The request was not accepted. Check what you entered and try again; if it keeps happening, "
             "tell your consultant or administrator.")


def detail_in(language: str, detail: str) -> str:
    """``detail`` in ``language``: translated with its values put back, else as it came (English)
    or :data:`UNKNOWN` (any other language). Plain text: the page escapes it."""
    if not detail or language == "en":
        return detail
    found = msgid_of(detail, DETAILS)
    if found is None:
        return translations(language).gettext(UNKNOWN)
    msgid, values = found
    if "reason" in values:
        reason = reason_in(language, values["reason"])
        if reason == values["reason"]:  # a reason no msgid knows: no English inside the page
            return translations(language).gettext(UNKNOWN)
        values["reason"] = reason
    return translations(language).gettext(msgid) % values
