"""Zoho CRM connector for cxsuite, loaded through the ``cxsuite`` entry-point group."""
