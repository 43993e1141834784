"""Admin pages: catalogue, all engagements, payments ledger, webhook log, refunds, refunds due, invoices."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from core.api import admin_required, cacheable, cluster_names, db, page_number
from engagements import catalogue, effects
from engagements.billing import payments, refunds
from engagements.billing import seller as seller_details
from engagements.forms import ButtonForm, ConfirmTransferForm, MarkPaidForm, RefundForm, ServiceForm
from engagements.lifecycle import STATE_LABELS
from engagements.models import Engagement, Service, WebhookEvent
from engagements.money import format_money, parse_amount
from engagements.views.common import current_actor, engagement_page_data, template_globals

bp = Blueprint("engagements_admin", __name__, url_prefix="/admin/engagements", template_folder="../templates")
bp.context_processor(template_globals)
PAGE_SIZE = 100


@bp.before_request
@admin_required
def _admins_only() -> None:
    return None


@bp.get("/")
@cacheable
def index():  # type: ignore[no-untyped-def]
    state = request.args.get("state", "")
    page = page_number()
    # One row more than a page tells whether an older page exists, without a count query.
    query = (
        select(Engagement)
        .order_by(Engagement.created_at.desc(), Engagement.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    )
    if state in STATE_LABELS:
        query = query.where(Engagement.state == state)
    if request.args.get("disputed"):
        query = query.where(Engagement.disputed_at.is_not(None))
    found = db.session.execute(query).scalars().all()
    rows = found[:PAGE_SIZE]
    wanted = {"state": state if state in STATE_LABELS else "", "disputed": request.args.get("disputed", "")}
    filters = {key: value for key, value in wanted.items() if value}
    return render_template(
        "engagements/admin/index.html",
        engagements=rows,
        page=page,
        has_older=len(found) > PAGE_SIZE,
        filters=filters,
        state=state,
        states=STATE_LABELS,
        clusters=cluster_names({e.cluster_id for e in rows}),
        seller_missing=seller_details.current().missing,
    )


@bp.get("/<int:engagement_id>")
def engagement(engagement_id: int):  # type: ignore[no-untyped-def]
    return _render_engagement(_load(engagement_id))


def _load(engagement_id: int) -> Engagement:
    engagement = db.session.get(Engagement, engagement_id)
    if engagement is None:
        abort(404)
    return engagement


def _render_engagement(
    engagement: Engagement,
    refund_form: RefundForm | None = None,
    paid_form: MarkPaidForm | None = None,
    status: int = 200,
):  # type: ignore[no-untyped-def]
    refundable = refunds.refundable(engagement.id)
    form = refund_form or RefundForm()
    if refund_form is None:
        form.amount.data = f"{refundable / 100:.2f}"
    events = (
        db.session.execute(
            select(WebhookEvent).where(WebhookEvent.engagement_id == engagement.id).order_by(WebhookEvent.id)
        )
        .scalars()
        .all()
    )
    return render_template(
        "engagements/admin/engagement.html",
        **engagement_page_data(engagement),
        refund_form=form,
        paid_form=paid_form or MarkPaidForm(),
        transfer_form=ConfirmTransferForm(),
        refundable=refundable,
        refund_method=refunds.method_of(engagement),
        events=events,
        cluster_name=cluster_names([engagement.cluster_id]).get(engagement.cluster_id, ""),
    ), status


@bp.post("/<int:engagement_id>/mark-paid")
def mark_paid(engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    form = MarkPaidForm()
    if not form.validate_on_submit():
        return _render_engagement(engagement, paid_form=form, status=400)
    if engagement.payment_method != "invoice" or not engagement.invoice_number:
        flash("Only invoice engagements are marked paid by hand.", "error")
        return redirect(url_for(".engagement", engagement_id=engagement_id), 303)
    reference = (form.reference.data or "").strip()
    outcome = payments.mark_paid(
        engagement.id,
        method="invoice",
        amount_minor=engagement.total_minor,
        currency=engagement.currency,
        external_ref=f"invoice:{engagement.invoice_number}",
        actor=current_actor(),
        reason=f"Bank transfer received{': ' + reference if reference else ''}",
    )
    effects.commit()
    amount = format_money(engagement.total_minor, engagement.currency)
    if outcome.code == "processed":
        flash(f"Invoice {engagement.invoice_number} marked paid.", "success")
    elif outcome.code == "refund_due":
        flash(
            f"Payment of {amount} recorded as received. Nothing is owed for this engagement, "
            f"so {amount} is now a refund due: transfer it back and confirm it below.",
            "warning",
        )
    else:
        flash(f"Nothing changed: {outcome.detail}.", "info")
    return redirect(url_for(".engagement", engagement_id=engagement_id), 303)


@bp.post("/<int:engagement_id>/refund")
def refund(engagement_id: int):  # type: ignore[no-untyped-def]
    """Two steps: the first post shows the amount and the method; only the confirmed one refunds."""
    engagement = _load(engagement_id)
    form = RefundForm()
    if not form.validate_on_submit():
        return _render_engagement(engagement, refund_form=form, status=400)
    try:
        amount = parse_amount(form.amount.data, engagement.currency)
        if amount <= 0:
            raise refunds.RefundError("Enter an amount greater than zero.")
        if amount > refunds.refundable(engagement.id):
            raise refunds.RefundError("That is more than what remains to refund.")
        if form.confirmed.data != "yes":
            return render_template(
                "engagements/admin/refund_confirm.html",
                e=engagement,
                form=form,
                amount=amount,
                method=refunds.method_of(engagement),
            )
        locked = payments.lock(engagement.id)
        assert locked is not None
        done = refunds.refund(locked, amount, current_actor(), form.reason.data.strip(), key=form.nonce.data)
    except (ValueError, refunds.RefundError) as exc:
        effects.rollback()
        form.amount.errors = [str(exc)]
        return _render_engagement(engagement, refund_form=form, status=400)
    effects.commit()
    if refunds.method_of(engagement).key == "card":
        flash(f"Refunded {format_money(done, engagement.currency)} through Stripe.", "success")
    else:
        flash(
            f"{format_money(done, engagement.currency)} is now a refund due: transfer it and confirm it with "
            "its bank reference. The ledger records it then.",
            "success",
        )
    return redirect(url_for(".engagement", engagement_id=engagement_id), 303)


@bp.get("/webhooks")
def webhook_log():  # type: ignore[no-untyped-def]
    result = request.args.get("result", "")
    if result and not (len(result) <= 40 and result.replace("_", "").isalpha() and result.islower()):
        abort(400, "Unknown filter: choose one of the links above the list.")
    query = select(WebhookEvent).order_by(WebhookEvent.id.desc()).limit(PAGE_SIZE * 2)
    if result:
        query = query.where(WebhookEvent.result == result)
    events = db.session.execute(query).scalars().all()
    return render_template("engagements/admin/webhooks.html", events=events, result=result)


@bp.get("/webhooks/<int:event_id>")
def webhook_event(event_id: int):  # type: ignore[no-untyped-def]
    event = db.session.get(WebhookEvent, event_id)
    if event is None:
        abort(404)
    return render_template("engagements/admin/webhook_event.html", event=event)


@bp.get("/services")
def services():  # type: ignore[no-untyped-def]
    return render_template(
        "engagements/admin/services.html", services=catalogue.all_services(), button=ButtonForm()
    )


def _service_data(form: ServiceForm) -> catalogue.ServiceData:
    return catalogue.ServiceData(
        title=form.title.data.strip(),
        summary=form.summary.data.strip(),
        description=(form.description.data or "").strip(),
        deliverables=(form.deliverables.data or "").strip(),
        duration=form.duration.data.strip(),
        kind=form.kind.data,
        price_minor=parse_amount(form.price.data, form.currency.data),
        currency=form.currency.data,
        vat_rate_bp=parse_amount(form.vat_rate.data, "EUR"),
        cancellation_policy=form.cancellation_policy.data.replace(" ", ""),
        sort_order=form.sort_order.data or 0,
    )


@bp.route("/services/new", methods=["GET", "POST"])
def service_new():  # type: ignore[no-untyped-def]
    form = ServiceForm()
    if form.validate_on_submit():
        service = catalogue.create_service(_service_data(form))
        flash(f"{service.title} added to the catalogue.", "success")
        return redirect(url_for(".services"), 303)
    return render_template(
        "engagements/admin/service_form.html", form=form, service=None
    ), 400 if form.errors else 200


@bp.route("/services/<int:service_id>/edit", methods=["GET", "POST"])
def service_edit(service_id: int):  # type: ignore[no-untyped-def]
    service = db.session.get(Service, service_id) or abort(404)
    form = ServiceForm(obj=service)
    if request.method == "GET":
        form.price.data = f"{service.price_minor / 100:.2f}"
        form.vat_rate.data = f"{service.vat_rate_bp / 100:g}"
    if form.validate_on_submit():
        catalogue.update_service(service, _service_data(form))
        flash("Service saved. Engagements already booked keep their price.", "success")
        return redirect(url_for(".services"), 303)
    return render_template(
        "engagements/admin/service_form.html", form=form, service=service
    ), 400 if form.errors else 200


@bp.post("/services/<int:service_id>/retire")
def service_retire(service_id: int):  # type: ignore[no-untyped-def]
    service = db.session.get(Service, service_id) or abort(404)
    if ButtonForm().validate_on_submit():
        catalogue.retire_service(service)
        flash(f"{service.title} retired; its engagements keep their history.", "success")
    return redirect(url_for(".services"), 303)


@bp.post("/services/<int:service_id>/restore")
def service_restore(service_id: int):  # type: ignore[no-untyped-def]
    service = db.session.get(Service, service_id) or abort(404)
    if ButtonForm().validate_on_submit():
        catalogue.restore_service(service)
        flash(f"{service.title} is offered again.", "success")
    return redirect(url_for(".services"), 303)

