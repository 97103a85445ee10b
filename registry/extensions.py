"""Extension instances, one per line, so any module can import them without the app."""

from typing import Any

import sqlalchemy as sa
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from registry.limits import RegistryLimiter, client_address
from registry.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = RegistryLimiter(key_func=client_address, default_limits=[])


def tune_sqlite(engine: sa.Engine) -> None:
    """On SQLite (development, the demo, tests): a write-ahead log, so that readers never wait
    for a writer and a commit does not wait for the disk twice (synchronous NORMAL: a power cut
    may lose the last commits, never corrupt the file), and a wait of up to 5 s for another
    process's write. PostgreSQL, the production database, is left as configured."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return

    @sa.event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
