"""Cluster pages: book, list, follow, pay, cancel, documents, messages."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from core.api import (
    cacheable,
    current_cluster,
    current_user,
    get_in_cluster_or_404,
    manager_required,
    parse_id,
    pdf_response,
    require_member,
)
from engagements import availability, bookings, catalogue, console
from engagements.billing import checkout, invoices, refunds, stripe_client
from engagements.billing import seller as seller_details
from engagements.vat import eu_country
from engagements.forms import BookingForm, ButtonForm, CancelForm, MessageForm
from engagements.lifecycle import CANCELLABLE, PAID_STATES
from engagements.models import Engagement, LedgerEntry
from engagements.money import breakdown, format_money
from engagements.policy import describe_policy, refund_percent
from engagements.views.common import (
    current_actor,
    engagement_page_data,
    post_message_from_form,
    send_attachment,
    template_globals,
)

bp = Blueprint(
    "engagements",
    __name__,
    url_prefix="/clusters/<int:cluster_id>/engagements",
    template_folder="../templates",
)
bp.context_processor(template_globals)
# A consultant reading the cluster follows their engagement in the console, not here.
bp.before_request(require_member)


def _load(engagement_id: int) -> Engagement:
    return get_in_cluster_or_404(Engagement, engagement_id)


@bp.get("/")
def index(cluster_id: int):  # type: ignore[no-untyped-def]
    return render_template(
        "engagements/cluster/index.html",
        engagements=bookings.for_cluster(cluster_id),
        services=catalogue.active_services(),
        cluster=current_cluster(),
    )


@bp.route("/book", methods=["GET", "POST"])
@manager_required
def book(cluster_id: int):  # type: ignore[no-untyped-def]
    services = catalogue.active_services()
    form = BookingForm()
    form.service_id.choices = [(s.id, s.title) for s in services]
    card = stripe_client.card_payments_enabled()
    seller = seller_details.current()
    if not card:
        form.payment_method.choices = [c for c in form.payment_method.choices if c[0] == "invoice"]
    if not seller.complete:
        form.payment_method.choices = [c for c in form.payment_method.choices if c[0] != "invoice"]
        form.payment_method.default = "card"
        if request.method == "GET":
            form.payment_method.data = "card"
    slots = availability.open_slots()
    zone_name = current_cluster().time_zone
    form.slot_ids.choices = [(slot.id, slot.label_in(zone_name)) for slot in slots]
    if request.method == "GET" and parse_id(request.args.get("service")) is not None:
        form.service_id.data = parse_id(request.args.get("service"))
    if form.validate_on_submit():
        try:
            engagement = bookings.book(
                cluster_id,
                current_actor(),
                bookings.BookingRequest(
                    service_id=form.service_id.data,
                    payment_method=form.payment_method.data,
                    goals=form.goals.data.strip(),
                    context=(form.context.data or "").strip(),
                    preferred_dates="\n".join(
                        part
                        for part in (
                            availability.describe(form.slot_ids.data or [], zone_name),
                            (form.preferred_dates.data or "").strip(),
                        )
                        if part
                    ),
                    buyer_name=(form.buyer_name.data or "").strip(),
                    buyer_address=(form.buyer_address.data or "").strip(),
                    buyer_vat_id=(form.buyer_vat_id.data or "").strip(),
                ),
                card_enabled=card,
            )
        except bookings.BookingError as exc:
            form.service_id.errors = [*form.service_id.errors, str(exc)]
        else:
            if engagement.payment_method == "card":
                return _go_to_checkout(engagement)
            flash(f"Request sent. Invoice {engagement.invoice_number} is ready to download.", "success")
            return redirect(url_for(".detail", cluster_id=cluster_id, engagement_id=engagement.id), 303)
    prices = {s.id: breakdown(s.price_minor, s.currency, s.vat_rate_bp) for s in services}
    status = 400 if form.errors else 200
    return render_template(
        "engagements/cluster/book.html",
        form=form,
        services=services,
        prices=prices,
        describe_policy=describe_policy,
        invoice_enabled=seller.complete,
        seller_vat_id=seller.vat_id,
        seller_country=eu_country(seller.vat_id),
    ), status


def _go_to_checkout(engagement: Engagement):  # type: ignore[no-untyped-def]
    try:
        url = checkout.start(engagement.id, current_actor(), current_user.email)
    except checkout.CheckoutError as exc:
        flash(f"Card payment could not start: {exc} You can try again from this page.", "error")
        return redirect(
            url_for(".detail", cluster_id=engagement.cluster_id, engagement_id=engagement.id), 303
        )
    return redirect(url, 303)


@bp.get("/<int:engagement_id>")
@cacheable
def detail(cluster_id: int, engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    data = engagement_page_data(engagement)
    return render_template(
        "engagements/cluster/detail.html",
        **data,
        button=ButtonForm(),
        message_form=MessageForm(),
        can_cancel=engagement.state in CANCELLABLE,
        cluster=current_cluster(),
        when_text=console.when_text(engagement),
    )


@bp.post("/<int:engagement_id>/pay")
@manager_required
def pay(cluster_id: int, engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    return _go_to_checkout(engagement)


@bp.get("/<int:engagement_id>/checkout/success")
def checkout_success(cluster_id: int, engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    if engagement.state == "awaiting_payment" and engagement.payment_method == "card":
        checkout.confirm_from_stripe(engagement.id)
        engagement = _load(engagement_id)
    return render_template("engagements/cluster/checkout_success.html", e=engagement)


@bp.get("/<int:engagement_id>/status")
def status(cluster_id: int, engagement_id: int):  # type: ignore[no-untyped-def]
    """The fragment the success page polls (htmx) until the payment is confirmed."""
    engagement = _load(engagement_id)
    if engagement.state == "awaiting_payment" and engagement.payment_method == "card":
        checkout.confirm_from_stripe(engagement.id)
        engagement = _load(engagement_id)
    return render_template("engagements/cluster/_payment_status.html", e=engagement)


@bp.get("/<int:engagement_id>/checkout/cancel")
def checkout_cancel(cluster_id: int, engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    return render_template("engagements/cluster/checkout_cancel.html", e=engagement, button=ButtonForm())


@bp.route("/<int:engagement_id>/cancel", methods=["GET", "POST"])
@manager_required
def cancel(cluster_id: int, engagement_id: int):  # type: ignore[no-untyped-def]
    from core.api import utcnow

    engagement = _load(engagement_id)
    if engagement.state not in CANCELLABLE:
        flash("This engagement can no longer be cancelled.", "error")
        return redirect(url_for(".detail", cluster_id=cluster_id, engagement_id=engagement_id), 303)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            refunded = bookings.cancel(engagement.id, current_actor(), (form.reason.data or "").strip())
        except bookings.BookingError as exc:
            flash(str(exc), "error")
        else:
            amount = format_money(refunded, engagement.currency)
            if not refunded:
                note = ""
            elif refunds.method_of(engagement).key == "card":
                note = f" {amount} is refunded to the card used."
            else:
                note = f" {amount} will be transferred back to your account; we email you when it is sent."
            flash("The engagement is cancelled." + note, "success")
            return redirect(url_for(".detail", cluster_id=cluster_id, engagement_id=engagement_id), 303)
    paid = engagement.state in PAID_STATES
    percent = refund_percent(engagement.cancellation_policy, engagement.scheduled_for, utcnow())
    refund = refunds.policy_amount(engagement, utcnow()) if paid else 0
    return render_template(
        "engagements/cluster/cancel.html",
        e=engagement,
        form=form,
        paid=paid,
        percent=percent,
        refund=refund,
        policy_lines=describe_policy(engagement.cancellation_policy, engagement.kind_info),
    ), 400 if form.errors else 200


@bp.get("/<int:engagement_id>/invoice.pdf")
def invoice_pdf(cluster_id: int, engagement_id: int) -> Response:
    engagement = _load(engagement_id)
    if not engagement.invoice_number:
        abort(404)
    return pdf_response(
        invoices.invoice_pdf(engagement, current_cluster().name), f"{engagement.invoice_number}.pdf"
    )


def _entry(engagement: Engagement, entry_id: int, kind: str = "charge") -> LedgerEntry:
    from core.api import db

    entry = db.session.get(LedgerEntry, entry_id)
    if entry is None or entry.engagement_id != engagement.id or entry.kind != kind:
        abort(404)
    if kind == "refund" and not entry.credit_note_number:
        abort(404)
    return entry


@bp.get("/<int:engagement_id>/receipts/<int:entry_id>")
def receipt(cluster_id: int, engagement_id: int, entry_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    entry = _entry(engagement, entry_id)
    return render_template(
        "engagements/cluster/receipt.html",
        e=engagement,
        entry=entry,
        seller=invoices.seller(),
        cluster_name=current_cluster().name,
    )


@bp.get("/<int:engagement_id>/receipts/<int:entry_id>.pdf")
def receipt_pdf(cluster_id: int, engagement_id: int, entry_id: int) -> Response:
    engagement = _load(engagement_id)
    entry = _entry(engagement, entry_id)
    return pdf_response(
        invoices.receipt_pdf(engagement, entry, current_cluster().name), f"{entry.receipt_number}.pdf"
    )


@bp.get("/<int:engagement_id>/credit-notes/<int:entry_id>")
def credit_note(cluster_id: int, engagement_id: int, entry_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    entry = _entry(engagement, entry_id, kind="refund")
    return render_template(
        "engagements/cluster/credit_note.html",
        e=engagement,
        entry=entry,
        credit=invoices.credit_breakdown(engagement, entry.amount_minor),
        seller=invoices.seller(),
        cluster_name=current_cluster().name,
    )


@bp.get("/<int:engagement_id>/credit-notes/<int:entry_id>.pdf")
def credit_note_pdf(cluster_id: int, engagement_id: int, entry_id: int) -> Response:
    engagement = _load(engagement_id)
    entry = _entry(engagement, entry_id, kind="refund")
    return pdf_response(
        invoices.credit_note_pdf(engagement, entry, current_cluster().name), f"{entry.credit_note_number}.pdf"
    )


@bp.get("/<int:engagement_id>/calendar.ics")
def calendar(cluster_id: int, engagement_id: int) -> Response:
    engagement = _load(engagement_id)
    if engagement.scheduled_for is None:
        abort(404)
    return Response(
        console.invitation(engagement),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="engagement-{engagement.id}.ics"'},
    )


@bp.post("/<int:engagement_id>/messages")
@manager_required
def post_message(cluster_id: int, engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    form = MessageForm()
    if form.validate_on_submit() and post_message_from_form(engagement, form, from_consultant=False):
        flash("Message sent.", "success")
        return redirect(url_for(".detail", cluster_id=cluster_id, engagement_id=engagement_id) + "#messages", 303)
    data = engagement_page_data(engagement)
    return render_template(
        "engagements/cluster/detail.html",
        **data,
        button=ButtonForm(),
        message_form=form,
        can_cancel=engagement.state in CANCELLABLE,
        cluster=current_cluster(),
        when_text=console.when_text(engagement),
    ), 400


@bp.get("/<int:engagement_id>/attachments/<int:attachment_id>")
def attachment(cluster_id: int, engagement_id: int, attachment_id: int) -> Response:
    engagement = _load(engagement_id)
    return send_attachment(engagement.id, attachment_id)
