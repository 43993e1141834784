"""Entry point for the worker: ``celery -A workers.app worker --beat``."""

from core.app import create_app
from workers.celery_app import celery_init_app
from workers.forking import fresh_connections_in_pool_processes
from workers.heartbeat import beat_while_running

flask_app = create_app()
celery = celery_init_app(flask_app)
beat_while_running(flask_app)  # pages can tell when no worker runs (core.background.heartbeat)
fresh_connections_in_pool_processes(flask_app)
