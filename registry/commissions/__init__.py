"""Blueprint "commissions"; its routes are all in views.py."""

from registry.commissions.views import bp

__all__ = ["bp"]
