"""Messages to each role only in words that role can act on.

Some failures can only be fixed by whoever runs cxsuite: a missing OAuth app, a wrong client
secret, an encryption key taken out of rotation. Their messages name server settings
(``CXSUITE_OAUTH_CLIENTS``, ``CXSUITE_ENCRYPTION_KEYS``) so an operator knows what to change.
The consultancy's owner and consultants read them as they are (they run or talk to whoever
runs the server); a client admin or viewer cannot change a server setting and should not learn
the deployment's configuration, so they read what it means for them instead. Messages are
stored once, in the operator's words, and worded for the reader when they are shown.
"""

from __future__ import annotations

import re

from cxsuite.access.principal import Principal

# A message that names a server setting is for operators: only they can change one.
OPERATOR_ONLY = re.compile(r"\bCXSUITE_[A-Z0-9_]+\b")
CLIENT_WORDS = ("This connection cannot work until a setting on the cxsuite server is corrected; "
                "that is not something you can change, and reconnecting will not help. Your "
                "consultant can see the details and has what they need to get it fixed.")


def operator_only(message: str) -> bool:
    """Whether only an operator can act on ``message``."""
    return bool(OPERATOR_ONLY.search(message or ""))


def for_reader(message: str, principal: Principal | None) -> str:
    """``message`` as ``principal`` may read it: unchanged for the consultancy's owner and
    consultants (and for anyone when nothing in it is operator-only), in client words otherwise."""
    if not operator_only(message) or (principal is not None and principal.tenant_role is not None):
        return message
    return CLIENT_WORDS
