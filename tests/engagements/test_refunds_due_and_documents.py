"""Money that goes back, and the documents that say so: refunds due, void invoices, credit notes.

Issue 10, cases 1 (a refund recorded, not paid), 2 (a void invoice still asks
for money), 3 (no credit notes) and 11 (irreversible money actions in one click).
"""

from __future__ import annotations

import io
from email.message import EmailMessage

from pypdf import PdfReader

from sqlalchemy import select

from core.api import db, utcnow
from engagements import effects
from engagements.billing import invoices
from engagements.billing.payments import mark_paid
from engagements.lifecycle import Actor
from engagements.models import Engagement, LedgerEntry, RefundDue
from tests.engagements.conftest import book
from tests.factories import create_user, login, manager_of


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def _paid_by_invoice(cluster, service) -> Engagement:  # type: ignore[no-untyped-def]
    engagement = book(cluster, service)
    mark_paid(
        engagement.id,
        method="invoice",
        amount_minor=engagement.total_minor,
        currency=engagement.currency,
        external_ref=f"invoice:{engagement.invoice_number}",
        actor=Actor.system("test"),
    )
    effects.commit()
    return engagement


def _refund_entries() -> list[LedgerEntry]:
    db.session.expire_all()
    return list(
        db.session.execute(select(LedgerEntry).where(LedgerEntry.kind == "refund").order_by(LedgerEntry.id)).scalars()
    )


def test_invoice_refund_is_due_until_an_admin_confirms_the_transfer(client, cluster, workshop, mail):  # type: ignore[no-untyped-def]
    admin = create_user(is_admin=True)
    manager = manager_of(cluster)
    engagement = _paid_by_invoice(cluster, workshop)
    mail.clear()
    login(client, manager)
    response = client.post(f"/clusters/{cluster.id}/engagements/{engagement.id}/cancel", data={"confirm": "y"})
    assert response.status_code == 303
    assert "will be transferred back" in client.get(response.location).get_data(as_text=True)

    # nothing in the ledger yet: the money has not moved
    assert _refund_entries() == []
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "cancelled"
    due = db.session.execute(select(RefundDue)).scalar_one()
    assert (due.amount_minor, due.confirmed_at) == (120000, None)

    manager_mail = _text(mail.wait_for(manager.email, 1)[-1])
    assert "€1,200.00 will be transferred back to your account" in manager_mail
    assert "It is transferred back" not in manager_mail and "has been transferred" not in manager_mail
    admin_mail = mail.wait_for(admin.email, 1)[-1]
    assert "Refund due by transfer: €1,200.00" in admin_mail["Subject"]
    assert "http://localhost/admin/engagements/refunds-due" in _text(admin_mail)

    client.post("/logout")
    login(client, admin)
    overview = client.get("/admin/engagements/refunds-due").get_data(as_text=True)
    assert "€1,200.00" in overview and f"#{engagement.id}" in overview

    # a transfer without its bank reference is refused and changes nothing
    refused = client.post(f"/admin/engagements/refunds-due/{due.id}/confirm", data={"reference": "", "confirm": "y"})
    assert refused.status_code == 303 and _refund_entries() == []
    assert "Enter the bank reference" in client.get(refused.location).get_data(as_text=True)

    mail.clear()
    done = client.post(
        f"/admin/engagements/refunds-due/{due.id}/confirm", data={"reference": "SEPA-2026-77", "confirm": "y"}
    )
    assert done.status_code == 303
    again = client.post(
        f"/admin/engagements/refunds-due/{due.id}/confirm", data={"reference": "SEPA-2026-77", "confirm": "y"}
    )
    assert "already confirmed" in client.get(again.location).get_data(as_text=True)
    refunds = _refund_entries()
    assert [(r.amount_minor, r.method) for r in refunds] == [(120000, "transfer")]
    assert "SEPA-2026-77" in refunds[0].note
    assert refunds[0].credit_note_number == f"CN-{utcnow().year}-0001"
    assert db.session.get(Engagement, engagement.id).state == "refunded"
    assert "No refunds are due" in client.get("/admin/engagements/refunds-due").get_data(as_text=True)
    transferred = _text(mail.wait_for(manager.email, 1)[-1])
    assert "has been transferred back to your account" in transferred
    assert refunds[0].credit_note_number in transferred


def test_credit_note_references_the_invoice_on_its_page_and_pdf(client, cluster, workshop):  # type: ignore[no-untyped-def]
    engagement = _paid_by_invoice(cluster, workshop)
    login(client, create_user(is_admin=True))
    form = {"amount": "600.01", "reason": "Half day shorter", "nonce": "n1", "confirmed": "yes"}
    client.post(f"/admin/engagements/{engagement.id}/refund", data=form)
    due = db.session.execute(select(RefundDue)).scalar_one()
    client.post(f"/admin/engagements/refunds-due/{due.id}/confirm", data={"reference": "T-1", "confirm": "y"})
    entry = _refund_entries()[0]
    client.post("/logout")
    login(client, manager_of(cluster))
    detail = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}").get_data(as_text=True)
    assert f"Credit note {entry.credit_note_number}" in detail
    page = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}/credit-notes/{entry.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert entry.credit_note_number in text and engagement.invoice_number in text
    # €600.01 back splits in the invoice's proportion: €500.01 net (half up) + €100.00 VAT
    assert "-€500.01" in text and "-€100.00" in text and "-€600.01" in text
    pdf = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}/credit-notes/{entry.id}.pdf")
    assert pdf.status_code == 200
    pdf_text = _pdf_text(pdf.data)
    assert entry.credit_note_number in pdf_text and engagement.invoice_number in pdf_text
    html = invoices.credit_note_html(engagement, entry, cluster.name)
    assert f"Credit note {entry.credit_note_number}" in html and f"Credits invoice</td><td><strong>{engagement.invoice_number}" in html
    # a payment's id is not a credit note
    charge = db.session.execute(select(LedgerEntry).where(LedgerEntry.kind == "charge")).scalar_one()
    assert client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}/credit-notes/{charge.id}").status_code == 404


def test_credit_notes_have_their_own_gap_free_series(client, cluster, workshop):  # type: ignore[no-untyped-def]
    first, second = _paid_by_invoice(cluster, workshop), _paid_by_invoice(cluster, workshop)
    login(client, create_user(is_admin=True))
    for engagement, nonce in ((first, "a1"), (second, "b2"), (first, "c3")):
        client.post(
            f"/admin/engagements/{engagement.id}/refund",
            data={"amount": "100", "reason": "Goodwill", "nonce": nonce, "confirmed": "yes"},
        )
    for due in db.session.execute(select(RefundDue).order_by(RefundDue.id)).scalars().all():
        client.post(f"/admin/engagements/refunds-due/{due.id}/confirm", data={"reference": f"T{due.id}", "confirm": "y"})
    year = utcnow().year
    assert [r.credit_note_number for r in _refund_entries()] == [f"CN-{year}-000{i}" for i in (1, 2, 3)]
    receipts = db.session.execute(
        select(LedgerEntry.receipt_number).where(LedgerEntry.kind == "charge").order_by(LedgerEntry.id)
    ).scalars().all()
    assert receipts == [f"RCT-{year}-0001", f"RCT-{year}-0002"]  # receipts keep their own series


def test_cancelled_invoice_is_void_without_payment_instructions(client, cluster, workshop, mail):  # type: ignore[no-untyped-def]
    engagement = book(cluster, workshop)
    before = invoices.invoice_html(engagement, cluster.name)
    assert "Please transfer €1,200.00" in before and "VOID" not in before
    login(client, manager_of(cluster))
    client.post(f"/clusters/{cluster.id}/engagements/{engagement.id}/cancel", data={"confirm": "y"})
    db.session.expire_all()
    engagement = db.session.get(Engagement, engagement.id)
    html = invoices.invoice_html(engagement, cluster.name)
    assert "VOID" in html and "do not pay" in html
    assert "Please transfer" not in html and "IBAN" not in html
    pdf = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}/invoice.pdf")
    assert pdf.status_code == 200
    pdf_text = _pdf_text(pdf.data)
    assert "VOID" in pdf_text and "Please transfer" not in pdf_text and "IBAN" not in pdf_text
    assert "is void" in _text(mail.wait_for(manager_of(cluster).email, 2)[-1])


def test_money_arriving_for_a_void_invoice_is_recorded_and_shown_as_refund_due(client, cluster, workshop):  # type: ignore[no-untyped-def]
    engagement = book(cluster, workshop)
    login(client, manager_of(cluster))
    client.post(f"/clusters/{cluster.id}/engagements/{engagement.id}/cancel", data={"confirm": "y"})
    client.post("/logout")
    login(client, create_user(is_admin=True))
    admin_page = client.get(f"/admin/engagements/{engagement.id}").get_data(as_text=True)
    assert "Money arrived anyway" in admin_page
    response = client.post(f"/admin/engagements/{engagement.id}/mark-paid", data={"reference": "LATE-1"})
    shown = client.get(response.location).get_data(as_text=True)
    assert "Nothing changed" not in shown
    assert "recorded as received" in shown and "refund due" in shown
    db.session.expire_all()
    charge = db.session.execute(select(LedgerEntry).where(LedgerEntry.kind == "charge")).scalar_one()
    assert charge.amount_minor == 120000 and charge.receipt_number
    due = db.session.execute(select(RefundDue)).scalar_one()
    assert due.amount_minor == 120000 and due.confirmed_at is None
    assert db.session.get(Engagement, engagement.id).state == "cancelled"
    assert "Refund due: €1,200.00" in shown
    assert "€1,200.00" in client.get("/admin/engagements/refunds-due").get_data(as_text=True)
    # a second report of the same transfer adds nothing
    client.post(f"/admin/engagements/{engagement.id}/mark-paid", data={"reference": "LATE-1"})
    assert len(db.session.execute(select(RefundDue)).scalars().all()) == 1


def test_admin_refund_asks_for_confirmation_showing_amount_and_method(client, cluster, workshop):  # type: ignore[no-untyped-def]
    engagement = _paid_by_invoice(cluster, workshop)
    login(client, create_user(is_admin=True))
    form = {"amount": "250.50", "reason": "Shorter day", "nonce": "x1"}
    first = client.post(f"/admin/engagements/{engagement.id}/refund", data=form)
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and "Confirm the refund" in page
    assert "€250.50" in page and "by bank transfer" in page
    db.session.expire_all()
    assert db.session.execute(select(RefundDue)).first() is None  # nothing happened yet
    client.post(f"/admin/engagements/{engagement.id}/refund", data={**form, "confirmed": "yes"})
    db.session.expire_all()
    assert db.session.execute(select(RefundDue.amount_minor)).scalar_one() == 25050


def test_card_refund_confirmation_names_stripe_and_sends_nothing_before(client, cluster, workshop, stripe_stand_in):  # type: ignore[no-untyped-def]
    from engagements.billing import checkout
    from tests.engagements.support import body, sign

    engagement = book(cluster, workshop, method="card", card_enabled=True)
    manager = manager_of(cluster)
    checkout.start(engagement.id, Actor(manager.id, manager.email), manager.email)
    db.session.expire_all()
    payload = body(stripe_stand_in.pay(db.session.get(Engagement, engagement.id).checkout_session_id))
    client.post("/webhooks/stripe", data=payload, headers={"Stripe-Signature": sign(payload)})
    login(client, create_user(is_admin=True))
    stripe_stand_in.requests.clear()  # the stand-in serves every test of the session
    page = client.post(
        f"/admin/engagements/{engagement.id}/refund", data={"amount": "300", "reason": "x", "nonce": "y1"}
    ).get_data(as_text=True)
    assert "€300.00" in page and "back to the card used, through Stripe" in page
    assert ("POST", "/v1/refunds") not in [(method, path) for method, path, _params in stripe_stand_in.requests]
    assert _refund_entries() == []
