"""The web console: server-rendered pages for consultants, client admins, viewers and the
tenant owner, served by the same Litestar app at ``/``.

The console holds no business logic and no permission checks of its own: every page calls
the public API in-process (:mod:`cxsuite.console.api`) with the signed-in person's session
token, so the same services, guards, validation and audit apply as for any API client.
"""
