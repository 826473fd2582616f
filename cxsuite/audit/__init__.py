"""The append-only audit log of security-relevant actions, readable by the tenant's owner."""
