"""Blueprint "pages"; its routes are all in views.py."""

from registry.pages.views import bp

__all__ = ["bp"]
