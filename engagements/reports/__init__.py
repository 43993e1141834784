"""Deep-dive recommendation reports: drafted by the worker, edited by the consultant, delivered.

A report belongs to an engagement of kind ``report``. Modules, one concern each:

- ``models``   — job rows (the truth about background work) and immutable versions.
- ``content``  — the typed content of a version (sections, recommendations, notes), as JSON.
- ``jobs``     — creating jobs inside the caller's transaction, sending their task after the
                 commit, claiming them (compare-and-set), progress, retries, the stuck-job reaper.
- ``compose``  — collecting every enabled tool's contributions (``core.api``) into a draft.
- ``render``   — the report document (HTML) and its PDF, stored through ``core.api`` storage.
- ``editing``  — a consultant's save: a new version from the latest, stale saves refused.
- ``delivery`` — freezing a version, delivering (and revising), telling the cluster.
"""
