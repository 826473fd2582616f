"""Logging: one JSON object per line for machines (``CXSUITE_LOG_JSON=1``), readable lines for
people, through structlog over the standard library, so our events and every third-party
logger share one pipeline: the bound context, the redaction of secrets, and level floors for
libraries that would print parameters, headers or URLs.

Context such as the request id, job id, tenant and workspace is bound with :func:`bind` and
added to every line emitted while it is bound. See ``docs/operations.md`` (Logs).
"""

from cxsuite.logs.config import add_context, bind, configure_logging, get_logger

__all__ = ["add_context", "bind", "configure_logging", "get_logger"]
