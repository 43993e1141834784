"""Recommendation reports: versions, editing, delivery, pages, and the engine."""
