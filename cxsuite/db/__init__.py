"""Persistence plumbing: engine choice, tenant-scoped transactions, table binding, migrations.

Domain packages own their tables; this package owns how they reach the database.
"""
