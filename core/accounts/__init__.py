"""User accounts: sign-up, verification, login, password reset, profile."""
