"""The Celery app, created from the Flask app so every task runs in its context.

Follows Flask's own pattern (``celery_init_app``): tasks take ids or names,
never ORM objects, and are acknowledged late with bounded retries.
"""

from __future__ import annotations

from pathlib import Path

from celery import Celery, Task
from flask import Flask

from core.plugins.jobs import periodic_jobs
from core.tasks import task_routes
from workers import sql_broker

#: Above the longest task (a report renders in seconds; a retry countdown is at most 5 minutes):
#: Redis re-delivers a message nobody acknowledged within this time, so a shorter timeout would
#: run long or delayed tasks twice. RabbitMQ needs none: it re-delivers when the connection drops.
VISIBILITY_TIMEOUT_SECONDS = 3600
#: The embedded SQL broker polls for messages; kombu's default (1 s) gives ~500 ms median pick-up.
SQL_BROKER_POLLING_SECONDS = 0.1
REAPER_EVERY_SECONDS = 60
#: Stripe events left unfulfilled (a lost send, a worker that was down) are re-sent this often.
WEBHOOK_SWEEP_EVERY_SECONDS = 5
FAILED_JOB_ALERTS_EVERY_SECONDS = 60
#: How often lost mail deliveries are looked for (core.email.queue.sweep).
MAIL_SWEEP_EVERY_SECONDS = 30


def broker_transport_options(broker_url: str) -> dict[str, object]:
    """Per-transport options: visibility timeout for Redis, polling interval for the SQL broker."""
    if broker_url.startswith(("redis://", "rediss://")):
        return {"visibility_timeout": VISIBILITY_TIMEOUT_SECONDS}
    if broker_url.startswith("sqla+"):
        return {"polling_interval": SQL_BROKER_POLLING_SECONDS}
    return {}


def celery_init_app(app: Flask) -> Celery:
    sql_broker.register()

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        result_backend=app.config["CELERY_RESULT_BACKEND"],
        task_always_eager=app.config["CELERY_TASK_ALWAYS_EAGER"],
        task_default_queue=app.config.get("CELERY_TASK_DEFAULT_QUEUE", "celery"),
        task_routes=task_routes(app),
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options=broker_transport_options(app.config["CELERY_BROKER_URL"]),
        beat_schedule_filename=str(Path(app.instance_path) / "celerybeat-schedule"),
        beat_schedule={
            **{
                name: {"task": "workers.run_periodic_job", "schedule": float(job.every_seconds), "args": (name,)}
                for name, job in periodic_jobs(app).items()
            },
            "reports.reap-stuck-jobs": {"task": "workers.reap_report_jobs", "schedule": float(REAPER_EVERY_SECONDS)},
            "engagements.sweep-webhook-events": {
                "task": "workers.sweep_webhook_events", "schedule": float(WEBHOOK_SWEEP_EVERY_SECONDS),
            },
            "core.alert-failed-jobs": {
                "task": "workers.alert_failed_jobs", "schedule": float(FAILED_JOB_ALERTS_EVERY_SECONDS),
            },
            "mail.sweep": {"task": "workers.sweep_mail", "schedule": float(MAIL_SWEEP_EVERY_SECONDS)},
        },
    )
    celery.set_default()
    app.extensions["celery"] = celery
    from workers import tasks  # noqa: F401 - registers the tasks on this app

    return celery
