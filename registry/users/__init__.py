"""Blueprint "users"; its routes are all in views.py.

The blueprint is imported on first use, so that other packages can call registry.users.grants
(AC-09) without importing the web layer (and its imports) first.
"""

from __future__ import annotations

from typing import Any

__all__ = ["bp"]


def __getattr__(name: str) -> Any:
    if name == "bp":
        from registry.users.views import bp

        return bp
    raise AttributeError(name)
