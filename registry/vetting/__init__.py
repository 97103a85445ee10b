"""Blueprint "vetting"; its routes are all in views.py."""

from registry.vetting.views import bp

__all__ = ["bp"]
