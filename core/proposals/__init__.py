"""Collaboration call: public proposals for research or consulting, reviewed by admins."""
