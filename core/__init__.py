"""Designing Clusters platform core: accounts, clusters, plugins, email, CLI."""
