"""Payments: Stripe Checkout, webhooks, ledger, invoices, receipts, refunds, reconciliation."""
