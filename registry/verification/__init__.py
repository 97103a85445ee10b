"""Blueprint "verification"; its routes are all in views.py."""

from registry.verification.views import bp

__all__ = ["bp"]
