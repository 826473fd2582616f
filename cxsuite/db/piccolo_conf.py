"""Piccolo's configuration module, used only by the migration machinery.

Piccolo's migration runner finds its engine through ``piccolo_conf``; :mod:`cxsuite.db.migrate`
assigns ``DB`` from the settings it was given before running, so there is still one source of
configuration.
"""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine

DB: Engine | None = None
APP_REGISTRY = AppRegistry(apps=["cxsuite.db.piccolo_app"])
