"""Paid engagements: catalogue, bookings, payments, refunds, consultant console."""
