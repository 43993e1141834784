"""Public pages: home (approach, tools, services, collaboration call)."""
