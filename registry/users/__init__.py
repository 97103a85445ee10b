"""Blueprint "users"; its routes are all in views.py."""

from registry.users.views import bp

__all__ = ["bp"]
