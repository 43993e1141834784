"""Background work seen in one place: sources of jobs, periodic job runs, failed-job alerts.

Features register where their jobs are (``register_job_source`` for core's own,
the ``designing_clusters_job_sources`` hook for plugins); the admin's jobs page
(``core.admin.jobs``) and the alert sweep read them all through ``job_sources``.
"""

from core.background.registry import job_sources, register_job_source

__all__ = ["job_sources", "register_job_source"]
