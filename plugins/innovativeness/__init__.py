"""Cluster innovativeness self-assessment tool."""
