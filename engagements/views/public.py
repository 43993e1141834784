"""The public services page: the catalogue anyone can read."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from core.api import current_user, managed_clusters
from engagements import catalogue
from engagements.billing import seller as seller_details
from engagements.money import breakdown
from engagements.policy import describe_policy
from engagements.vat import eu_country
from engagements.views.common import template_globals

bp = Blueprint(
    "engagements_public",
    __name__,
    url_prefix="/services",
    template_folder="../templates",
    static_folder="../static",
    static_url_path="/static",
)
bp.context_processor(template_globals)


def _managed() -> list[tuple[int, str]]:
    if not current_user.is_authenticated:
        return []
    return [(c.cluster_id, c.cluster_name) for c in managed_clusters(current_user.id)]


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    services = catalogue.active_services()
    prices = {s.id: breakdown(s.price_minor, s.currency, s.vat_rate_bp) for s in services}
    return render_template(
        "engagements/public/index.html",
        services=services,
        prices=prices,
        describe_policy=describe_policy,
        managed=_managed(),
    )


@bp.get("/<slug>")
def detail(slug: str):  # type: ignore[no-untyped-def]
    service = catalogue.by_slug(slug)
    if service is None or service.is_retired:
        abort(404)
    return render_template(
        "engagements/public/detail.html",
        s=service,
        price=breakdown(service.price_minor, service.currency, service.vat_rate_bp),
        policy_lines=describe_policy(service.cancellation_policy, service.kind_info),
        managed=_managed(),
        seller_country=eu_country(seller_details.current().vat_id),
    )
