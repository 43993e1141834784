"""The Celery app, created from the Flask app so every task runs in its context.

Follows Flask's own pattern (``celery_init_app``): tasks take ids or names,
never ORM objects, and are acknowledged late with bounded retries.
"""

from __future__ import annotations

from pathlib import Path

from celery import Celery, Task
from flask import Flask

from core.plugins.jobs import periodic_jobs


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        result_backend=app.config["CELERY_RESULT_BACKEND"],
        task_always_eager=app.config["CELERY_TASK_ALWAYS_EAGER"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        # The embedded broker (kombu's SQLAlchemy transport) polls once a second: fine for
        # scheduled housekeeping; its transport options go to create_engine, so none are set.
        beat_schedule_filename=str(Path(app.instance_path) / "celerybeat-schedule"),
        beat_schedule={
            name: {"task": "workers.run_periodic_job", "schedule": float(job.every_seconds), "args": (name,)}
            for name, job in periodic_jobs(app).items()
        },
    )
    celery.set_default()
    app.extensions["celery"] = celery
    from workers import tasks  # noqa: F401 - registers the tasks on this app

    return celery
