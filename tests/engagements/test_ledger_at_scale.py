"""The admin ledger with many movements: pages, a date filter, CSV export (issue 10, case 12)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, UTC

from sqlalchemy import select

from core.api import db
from engagements.billing import ledger
from engagements.models import Engagement, LedgerEntry
from tests.engagements.conftest import book
from tests.factories import create_cluster, create_user, login

DAY = datetime(2026, 3, 1, 9, tzinfo=UTC)


def _movements(cluster, service, count: int) -> Engagement:  # type: ignore[no-untyped-def]
    """``count`` payments of €1.00 … on consecutive days from ``DAY``, on one engagement."""
    engagement = book(cluster, service)
    for i in range(count):
        ledger.record(
            engagement,
            kind="charge" if i % 5 else "refund",
            method="invoice",
            amount_minor=100 + i,
            external_ref=f"test:{engagement.id}:{i}",
            created_at=DAY + timedelta(days=i),
        )
    db.session.commit()
    return engagement


def test_ledger_pages_fifty_movements_at_a_time(client, cluster, workshop):  # type: ignore[no-untyped-def]
    _movements(cluster, workshop, 120)
    login(client, create_user(is_admin=True))
    first = client.get("/admin/engagements/ledger").get_data(as_text=True)
    assert "120 movements" in first and "Page 1 of 3" in first
    assert first.count("<code>test:") == 50
    assert "test:1:119</code>" in first and "test:1:69</code>" not in first  # newest first
    last = client.get("/admin/engagements/ledger?page=3").get_data(as_text=True)
    assert last.count("<code>test:") == 20 and "test:1:0</code>" in last
    assert "Page 3 of 3" in client.get("/admin/engagements/ledger?page=99").get_data(as_text=True)


def test_ledger_date_filter_is_inclusive_and_sums_the_range(client, cluster, workshop):  # type: ignore[no-untyped-def]
    _movements(cluster, workshop, 30)
    login(client, create_user(is_admin=True))
    page = client.get("/admin/engagements/ledger?start=2026-03-02&end=2026-03-04").get_data(as_text=True)
    # days 1, 2, 3 after DAY: charges of €1.01, €1.02, €1.03
    assert "3 movements" in page and "Received €3.06" in page
    assert "test:1:0</code>" not in page and "test:1:4</code>" not in page
    empty = client.get("/admin/engagements/ledger?start=2027-01-01").get_data(as_text=True)
    assert "No money moved in these days." in empty
    bad = client.get("/admin/engagements/ledger?start=2026-03-05&end=2026-03-01")
    assert bad.status_code == 400 and "The end date is before the start date." in bad.get_data(as_text=True)
    assert client.get("/admin/engagements/ledger?start=yesterday").status_code == 400


def test_ledger_csv_has_a_bom_utf8_and_no_formulas(client, workshop):  # type: ignore[no-untyped-def]
    cluster = create_cluster(name="Pôle Mécanique Sud")
    engagement = _movements(cluster, workshop, 3)
    engagement.title = '=HYPERLINK("http://evil.example","Click")'
    db.session.commit()
    login(client, create_user(is_admin=True))
    response = client.get("/admin/engagements/ledger.csv?start=2026-03-02")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="ledger-2026-03-02.csv"' in response.headers["Content-Disposition"]
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["reference"] for r in rows] == [f"test:{engagement.id}:1", f"test:{engagement.id}:2"]
    assert rows[0]["cluster"] == "Pôle Mécanique Sud"
    assert rows[0]["title"].startswith("'=HYPERLINK")
    assert rows[0]["amount"] == "1.01" and rows[0]["currency"] == "EUR"
    every = list(csv.DictReader(io.StringIO(client.get("/admin/engagements/ledger.csv").data.decode("utf-8-sig"))))
    assert [r["movement"] for r in every] == ["refund", "payment", "payment"] and every[0]["amount"] == "-1.00"
    assert client.get("/admin/engagements/ledger.csv?end=nope").status_code == 400


def test_only_admins_export_the_ledger(client, cluster, workshop):  # type: ignore[no-untyped-def]
    login(client, create_user(is_consultant=True))
    assert client.get("/admin/engagements/ledger.csv").status_code == 403
    assert db.session.execute(select(LedgerEntry.id)).first() is None
