"""Alembic branch ``canvas`` (a package so that wheels ship the revisions)."""
