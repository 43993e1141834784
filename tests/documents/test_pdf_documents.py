"""Every kind of PDF the product makes prints every script with the one Noto font set,
and wraps a 500-character word inside its box.

Each test puts mixed-script text and a long word into the document: real user
content where the document has any (a canvas note, a cluster or buyer name, a round
title), and in every case a paragraph added to the document's body just before
rendering, so the document's own styles are what is being tested.
"""

from __future__ import annotations

import pytest
import weasyprint
from sqlalchemy import select

from core.api import db
from engagements.models import LedgerEntry
from plugins.canvas import printing
from tests.documents.pdf_support import (
    FAMILIES_FOR_MIXED_SCRIPT,
    LONG_WORD,
    MIXED_SCRIPT,
    embedded_fonts,
    flat,
    pdf_text,
    text_running_out,
)
from tests.engagements.conftest import book
from tests.engagements.factories import create_service
from tests.factories import add_member, create_cluster, create_user, login, manager_of
from tests.plugins.canvas.helpers import new_canvas, note_by, url
from tests.plugins.innovativeness.helpers import seed_round
from tests.plugins.innovativeness.test_quick_http import _finish, _start


RENDERED: list[str] = []


@pytest.fixture()
def mixed_paragraph(monkeypatch):  # type: ignore[no-untyped-def]
    """Every document rendered while active gets a mixed-script paragraph and a long word
    in its body; the HTML rendered is kept in RENDERED."""
    real_html = weasyprint.HTML
    RENDERED.clear()

    def html_with_paragraph(*args, string=None, **kwargs):  # type: ignore[no-untyped-def]
        if string is not None:
            string = string.replace("<body>", f'<body><p class="mixed-script">{MIXED_SCRIPT} {LONG_WORD}</p>', 1)
            assert "mixed-script" in string
            RENDERED.append(string)
        return real_html(*args, string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", html_with_paragraph)
    printing._cached_public_pdf.cache_clear()
    yield
    printing._cached_public_pdf.cache_clear()


def assert_prints_every_script(data: bytes) -> None:
    assert data.startswith(b"%PDF")
    assert RENDERED and not text_running_out(RENDERED[-1]), text_running_out(RENDERED[-1])
    fonts = embedded_fonts(data)
    assert fonts >= FAMILIES_FOR_MIXED_SCRIPT, f"missing {FAMILIES_FOR_MIXED_SCRIPT - fonts}; embedded {fonts}"
    assert all(name.startswith("Noto") for name in fonts), f"a font outside the Noto set: {fonts}"
    assert "中国航空产业集群合作伙伴网络" in flat(pdf_text(data))


def test_canvas_sheet(client, mixed_paragraph):  # type: ignore[no-untyped-def]
    cluster = create_cluster(name="集群 Ελλάδα")
    alice = add_member(cluster)
    canvas = new_canvas(cluster, "Кластер 2026")
    note_by(canvas, alice, MIXED_SCRIPT, "actors")
    note_by(canvas, alice, "Short " + LONG_WORD[:490], "activities")
    login(client, alice.user)
    assert_prints_every_script(client.get(url(canvas, "/canvas.pdf")).data)


@pytest.mark.parametrize("path", ["/tools/canvas/blank-canvas.pdf", "/tools/canvas/guide.pdf"])
def test_public_canvas_documents(client, mixed_paragraph, path):  # type: ignore[no-untyped-def]
    assert_prints_every_script(client.get(path).data)


def test_quick_test_result(client, mixed_paragraph):  # type: ignore[no-untyped-def]
    token = _start(client)
    _finish(client, token)
    assert_prints_every_script(client.get(f"/tools/innovativeness/quick/{token}/result.pdf").data)


def test_round_results(client, mixed_paragraph):  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 4)] * 3, title="Раунд 中国 🚀 " + LONG_WORD[:120], close=True)
    login(client, manager_of(cluster))
    data = client.get(f"/clusters/{cluster.id}/innovativeness/rounds/{rnd.id}/results.pdf").data
    assert_prints_every_script(data)
    assert "Раунд" in pdf_text(data)


def test_invoice_and_receipt(client, mixed_paragraph):  # type: ignore[no-untyped-def]
    from tests.engagements.factories import complete_seller

    complete_seller()
    cluster = create_cluster(name="Кластер עברית " + LONG_WORD[:120])
    engagement = book(cluster, create_service())
    login(client, create_user(is_admin=True))
    client.post(f"/admin/engagements/{engagement.id}/mark-paid", data={"reference": "BANK-42"})
    entry = db.session.execute(select(LedgerEntry)).scalar_one()
    client.post("/logout")
    login(client, manager_of(cluster))
    base = f"/clusters/{cluster.id}/engagements/{engagement.id}"
    for path in ("/invoice.pdf", f"/receipts/{entry.id}.pdf"):
        data = client.get(base + path).data
        assert_prints_every_script(data)
        assert "Кластер" in pdf_text(data)
