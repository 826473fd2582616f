"""Tenants (consultancy firms) and who belongs to them as ``owner`` or ``consultant``."""
