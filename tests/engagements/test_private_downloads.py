"""Private downloads stay out of caches; attachment names cannot disguise their type."""

from __future__ import annotations

import io

from sqlalchemy import select

from core.api import clean_filename, db
from engagements.models import MessageAttachment
from tests.engagements.test_console_and_admin import _paid
from tests.factories import login, manager_of
from tests.plugins.canvas.helpers import new_canvas

PRIVATE = "private, no-store"


def test_every_private_download_is_private_no_store(client, cluster, review):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, review)
    login(client, manager_of(cluster))
    base = f"/clusters/{cluster.id}/engagements/{engagement.id}"
    client.post(
        f"{base}/messages",
        data={"body": "See attached", "files": [(io.BytesIO(b"plain notes"), "invoice\u202efdp.txt")]},
        content_type="multipart/form-data",
    )
    attachment = db.session.execute(select(MessageAttachment)).scalar_one()
    urls = [f"{base}/invoice.pdf", f"{base}/attachments/{attachment.id}", base]
    canvas = new_canvas(cluster)  # a tool's exports are private too
    urls += [f"/clusters/{cluster.id}/canvas/{canvas.id}/{name}" for name in ("notes.csv", "canvas.json", "canvas.pdf")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == PRIVATE, url


def test_bidi_controls_are_stripped_from_attachment_names(client, cluster, review):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, review)
    login(client, manager_of(cluster))
    base = f"/clusters/{cluster.id}/engagements/{engagement.id}"
    client.post(
        f"{base}/messages",
        data={"body": "See attached", "files": [(io.BytesIO(b"plain notes"), "invoice\u202efdp.txt")]},
        content_type="multipart/form-data",
    )
    attachment = db.session.execute(select(MessageAttachment)).scalar_one()
    assert attachment.filename == "invoicefdp.txt"
    download = client.get(f"{base}/attachments/{attachment.id}")
    assert "\u202e" not in download.headers["Content-Disposition"] and "invoicefdp.txt" in download.headers["Content-Disposition"]


def test_clean_filename_removes_every_invisible_character():
    assert clean_filename("a\u200bb\u2066c\u200fd\x00e.pdf ") == "abcde.pdf"
