"""Cluster business model canvas: the first tool plugin."""
