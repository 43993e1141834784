"""Entry point for the worker: ``celery -A workers.app worker --beat``."""

from core.app import create_app
from workers.celery_app import celery_init_app

flask_app = create_app()
celery = celery_init_app(flask_app)
