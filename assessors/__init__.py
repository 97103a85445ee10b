"""Blueprint "assessors": an assessor's own profile; its routes are all in views.py."""

from assessors.views import bp

__all__ = ["bp"]
