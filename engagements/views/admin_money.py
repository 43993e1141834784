"""Admin money pages: refunds due by transfer, the ledger (pages, date filter, CSV), seller details.

Routes on the admin blueprint (``engagements.views.admin.bp``), which checks that the user is an admin.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, UTC

from flask import Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from sqlalchemy import select

from core.api import cluster_names, current_user, db, page_number
from engagements import effects
from engagements.billing import ledger, ledger_export, refunds
from engagements.billing import seller as seller_details
from engagements.forms import ConfirmTransferForm, LedgerFilterForm, SellerForm
from engagements.models import Engagement
from engagements.money import format_money
from engagements.views.admin import bp
from engagements.views.common import current_actor


@bp.get("/refunds-due")
def refunds_due():  # type: ignore[no-untyped-def]
    dues = refunds.open_dues()
    return render_template(
        "engagements/admin/refunds_due.html",
        dues=dues,
        form=ConfirmTransferForm(),
        clusters=cluster_names({d.engagement.cluster_id for d in dues}),
    )


@bp.post("/refunds-due/<int:due_id>/confirm")
def confirm_transfer(due_id: int):  # type: ignore[no-untyped-def]
    form = ConfirmTransferForm()
    back = request.form.get("back") == "engagement"
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for(".refunds_due"), 303)
    try:
        due = refunds.confirm_transfer(due_id, form.reference.data, current_actor())
    except refunds.RefundError as exc:
        effects.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".refunds_due"), 303)
    effects.commit()
    flash(
        f"Transfer of {format_money(due.amount_minor, due.currency)} recorded in the ledger "
        f"(reference {due.transfer_reference}); the cluster's managers were told.",
        "success",
    )
    if back:
        return redirect(url_for(".engagement", engagement_id=due.engagement_id), 303)
    return redirect(url_for(".refunds_due"), 303)


LEDGER_PAGE_SIZE = 50


def _ledger_range(form: LedgerFilterForm) -> tuple[datetime | None, datetime | None]:
    """Inclusive calendar days (UTC) as a half-open range of instants."""
    start = datetime.combine(form.start.data, time(), tzinfo=UTC) if form.start.data else None
    end = (
        datetime.combine(form.end.data + timedelta(days=1), time(), tzinfo=UTC)
        if form.end.data
        else None
    )
    return start, end


@bp.get("/ledger")
def ledger_page():  # type: ignore[no-untyped-def]
    form = LedgerFilterForm(request.args)
    valid = form.validate()
    start, end = _ledger_range(form) if valid else (None, None)
    result = ledger.page_of(start, end, page_number(), per_page=LEDGER_PAGE_SIZE)
    clusters = cluster_names({e.engagement.cluster_id for e in result.entries})
    filters = {k: request.args[k] for k in ("start", "end") if request.args.get(k) and valid}
    return render_template(
        "engagements/admin/ledger.html",
        form=form,
        result=result,
        entries=result.entries,
        clusters=clusters,
        filters=filters,
    ), 200 if valid else 400


@bp.get("/ledger.csv")
def ledger_csv():  # type: ignore[no-untyped-def]
    form = LedgerFilterForm(request.args)
    if not form.validate():
        abort(400)
    start, end = _ledger_range(form)
    cluster_ids = db.session.execute(select(Engagement.cluster_id).distinct()).scalars().all()
    clusters = cluster_names(set(cluster_ids))
    suffix = "".join(f"-{request.args[k]}" for k in ("start", "end") if request.args.get(k))
    return Response(
        stream_with_context(ledger_export.rows(ledger.iter_entries(start, end), clusters)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="ledger{suffix}.csv"'},
    )


@bp.route("/seller", methods=["GET", "POST"])
def seller_page():  # type: ignore[no-untyped-def]
    """The invoicing company's details; until complete, clusters cannot choose invoice payment."""
    from engagements.models import SellerDetails

    current = seller_details.current()
    form = SellerForm(data=None if request.method == "POST" else current.__dict__)
    if form.validate_on_submit():
        seller_details.save(
            seller_details.Seller(
                name=form.name.data.strip(),
                address=(form.address.data or "").strip(),
                vat_id="".join((form.vat_id.data or "").split()).upper(),
                email=(form.email.data or "").strip(),
                iban=" ".join((form.iban.data or "").split()).upper(),
                bic=(form.bic.data or "").strip().upper(),
                payment_terms_days=form.payment_terms_days.data,
            ),
            current_user.id,
        )
        missing = seller_details.current().missing
        flash(
            "Seller details saved."
            + (f" Invoice payment stays off until these are filled in: {', '.join(missing)}." if missing else ""),
            "success" if not missing else "warning",
        )
        return redirect(url_for(".seller_page"), 303)
    return render_template(
        "engagements/admin/seller.html",
        form=form,
        missing=current.missing,
        saved=db.session.get(SellerDetails, 1) is not None,
    ), 400 if form.errors else 200
