"""Celery workers bound to the Flask app."""
