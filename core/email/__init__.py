"""Email: rendered from templates (text and HTML), sent by SMTP or kept in an outbox."""
