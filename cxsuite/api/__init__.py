"""Litestar wiring only: app factory, authentication, guards, problem details, pagination.

Handlers live in each domain's ``controllers.py``; this package holds what they share.
"""
