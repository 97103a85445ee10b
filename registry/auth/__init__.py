"""Blueprint "auth"; its routes are all in views.py."""

from registry.auth.views import bp

__all__ = ["bp"]
