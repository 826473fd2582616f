"""``docs/permissions.md`` is generated from the matrix, so the document cannot drift."""

from __future__ import annotations

from cxsuite.access.permissions import DESCRIPTIONS, MATRIX
from cxsuite.access.principal import Role

HEADER = """# Permissions

One matrix decides who may do what: `cxsuite/access/permissions.py`. This page is generated
from it (`python -m cxsuite.access.docs > docs/permissions.md`; a test fails when they differ).

- **Owners** and **consultants** hold a tenant role and work across every workspace of their
  tenant. **Client admins** and **client viewers** hold a role in one or more workspaces and
  see nothing else of the tenant.
- A route's guard refuses a caller none of whose roles allows the action (**403**). Once the
  object is known, the service checks the caller's role *in that object's workspace*: an object
  in a workspace the caller does not belong to, or in another tenant, answers **404**, exactly
  like one that does not exist, so ids reveal nothing; a role too weak for the action on a
  visible object answers **403**.
- Every request is authenticated (**401** without a valid token) except sign-up, the token
  exchange, accepting an invitation, the OAuth callback, the health probes and the schema.

"""


def permissions_markdown() -> str:
    """The page: the prose above and the role × action table."""
    roles = [Role.OWNER, Role.CONSULTANT, Role.CLIENT_ADMIN, Role.CLIENT_VIEWER]
    lines = ["| action | what it allows | " + " | ".join(r.value for r in roles) + " |",
             "|---|---|" + "---|" * len(roles)]
    for action, allowed in MATRIX.items():
        marks = " | ".join("✓" if role in allowed else "" for role in roles)
        lines.append(f"| `{action.value}` | {DESCRIPTIONS[action]} | {marks} |")
    return HEADER + "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(permissions_markdown(), end="")
