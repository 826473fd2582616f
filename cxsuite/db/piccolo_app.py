"""The Piccolo app whose migrations live in the repository's top-level ``migrations/`` folder."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

MIGRATIONS_FOLDER = Path(__file__).resolve().parents[2] / "migrations"

APP_CONFIG = AppConfig(
    app_name="cxsuite",
    migrations_folder_path=str(MIGRATIONS_FOLDER),
    table_classes=[],
)
