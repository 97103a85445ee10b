"""The WSGI entry point for gunicorn: `gunicorn wsgi:app` (APP_ENV selects the configuration)."""

from registry import create_app

app = create_app()
