"""``designing-clusters engagements reconcile [--fix]``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("reconcile", help="Compare the last 30 days of Stripe payments with engagements.")
@click.option("--fix", is_flag=True, help="Repair what can be repaired (record missed payments and refunds).")
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 365))
@with_appcontext
def reconcile_command(fix: bool, days: int) -> None:
    from engagements.billing import reconcile, stripe_client

    if not current_app.config.get("STRIPE_SECRET_KEY"):
        raise click.ClickException("STRIPE_SECRET_KEY is not set; there is nothing to reconcile.")
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        try:
            findings = reconcile.run(days=days, fix=fix)
        except stripe_client.PaymentProviderError as exc:
            raise click.ClickException(f"Stripe could not be read: {exc}") from exc
    if not findings:
        click.echo(f"Stripe and engagements agree for the last {days} days.")
        return
    for f in findings:
        status = " [fixed]" if f.fixed else ""
        click.echo(
            f"{f.kind:28} engagement={f.engagement_id or '-':<6} "
            f"stripe={f.stripe_id or '-'}  {f.detail}{status}"
        )
    unresolved = [f for f in findings if not f.fixed]
    click.echo(f"{len(findings)} disagreement(s), {len(findings) - len(unresolved)} fixed.")
    if unresolved:
        raise SystemExit(1)
