"""Cluster workspaces (tenants), memberships, invitations and access checks."""
