"""ASGI entry point for uvicorn and other servers: ``cxsuite.api.asgi:app``."""

from cxsuite.api.app import create_app

app = create_app()
