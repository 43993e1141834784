"""Admin area: users, clusters, proposals, plugins."""
