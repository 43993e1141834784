"""Revisions of the ``canvas`` branch."""
