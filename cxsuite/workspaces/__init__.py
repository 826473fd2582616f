"""Client workspaces (one audited company inside a tenant) and their client members."""
