"""WSGI entry point for production servers: ``gunicorn core.wsgi:app``."""

from core.app import create_app

app = create_app()
