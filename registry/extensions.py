"""Extension instances, one per line, so any module can import them without the app."""

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
