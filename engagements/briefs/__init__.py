"""Workshop briefs: an agenda drafted by the worker from the cluster's measured divergences.

A brief belongs to an engagement of kind ``workshop``. Modules, one concern each:

- ``draft``    — the shape of a brief (agenda items, participants, timetable), plain data.
- ``drafting`` / ``agenda`` — the drafting rule and the timetable (ranked divergences).
- ``models``   — immutable versions, managers' comments, recorded outcomes.
- ``content``  — a draft as the JSON stored in a version, and back.
- ``jobs``     — the brief's job (a report job of kind ``brief``): created when the workshop
                 is paid, when its date is first fixed, and on demand; its progress.
- ``compose``  — the worker's step: draft the reserved version from the cluster's data.
- ``render``   — the brief document (HTML) and its stored PDF.
- ``editing``  — edit, move, drop or add an agenda item: each save a new version.
- ``sharing``  — sharing a version with the managers (email, page, PDF), their comments.
- ``outcomes`` — decisions per agenda item after the workshop, handed to the tools.
- ``demo``     — the demo cluster's shared brief.
"""
