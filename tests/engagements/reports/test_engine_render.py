"""The report document (HTML and PDF) and the PDF fetcher that loads nothing from outside."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

import pypdf
import pytest

from core.api import cluster_names, db, file_storage, render_pdf
from engagements.reports.content import RecommendationEntry, SectionEntry
from engagements.reports.render import document_html, render_version_pdf
from tests.engagements.reports.factories import add_version, paid_report_engagement, sample_content


class Canary:
    """An HTTP server on loopback that counts every request made to it."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                canary.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture()
def canary() -> Iterator[Canary]:
    server = Canary()
    yield server
    server.server.shutdown()


def _payload(port: int) -> str:
    return (f'<img src="http://127.0.0.1:{port}/x"><link rel=attachment href="file:///etc/passwd">'
            f'<a rel="attachment" href="http://127.0.0.1:{port}/attach">a</a>')


def _pdf_text(data: bytes) -> tuple[str, pypdf.PdfReader]:
    reader = pypdf.PdfReader(BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_the_document_has_cover_contents_summary_sections_plan_methods_and_licence():
    engagement = paid_report_engagement()
    content = sample_content(sections=(
        SectionEntry("canvas", "Business model canvas", "canvas", "<p>Nine elements agreed.</p>", "Agreed.", 10,
                     comment="Members agree on the vision."),
        SectionEntry("broken-unavailable", "Broken tool", "broken", unavailable=True),
    ))
    version = add_version(engagement, content, rendered=False)
    version.is_revision = True
    html = document_html(version, "Lyon Textiles")
    assert '<html lang="en">' in html and "<main>" in html
    for expected in ("Lyon Textiles", engagement.title, "Camille Consultant", "Version 1", ">Revised<",
                     "Executive summary", "Members value matchmaking most.", "Nine elements agreed.",
                     "Members agree on the vision.", "This section is unavailable", "Action plan",
                     "Share of budget from fees", "Methodology and sources", "Osterwalder 2010",
                     "Attribution and licence"):
        assert expected in html, expected
    assert html.index("Broaden the funding mix") < html.index("Grow matchmaking") < html.index("Refresh the member")


def test_the_pdf_is_a4_with_running_header_page_x_of_y_and_contents_page_numbers():
    engagement = paid_report_engagement()
    many = tuple(
        RecommendationEntry(f"r{i}", f"Recommendation number {i}", "Because. " * 30, ("Do it",), 3,
                            "Cluster manager", "0–6 months", f"Indicator {i}")
        for i in range(40)
    )
    version = render_version_pdf(add_version(engagement, sample_content(recommendations=many), rendered=False).id)
    _, reader = _pdf_text(file_storage().read(version.pdf_name))
    pages = len(reader.pages)
    assert version.pdf_pages == pages >= 10
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert f"Page {pages} of {pages}" in reader.pages[-1].extract_text()
    texts = [p.extract_text() for p in reader.pages]
    cluster_name = cluster_names([engagement.cluster_id])[engagement.cluster_id]
    assert cluster_name.upper() in texts[0] and all(cluster_name in t for t in texts[1:])  # running header
    assert "Page 1 of" not in texts[0]  # not on the cover
    # Contents: each chapter with the page it starts on.
    plan_start = next(i for i, t in enumerate(texts) if t.lstrip().startswith("Action plan")) + 1
    assert re.search(rf"Action plan\s*{plan_start}\b", texts[1])
    # The action plan's header row repeats on every page the table spans.
    plan_pages = [t for t in texts if re.search(r"0–6 months Indicator \d+\n", t)]
    assert len(plan_pages) >= 2 and all("Owner role" in t for t in plan_pages)


def test_user_text_and_the_fetcher_load_nothing_and_attach_nothing(canary):
    engagement = paid_report_engagement()
    payload = _payload(canary.port)
    content = sample_content(
        introduction=payload,
        closing_notes=payload,
        sections=(SectionEntry("canvas", "Canvas", "canvas", "<p>ok</p>", comment=payload),),
        recommendations=(RecommendationEntry("r", payload, payload, (payload,), 1, payload, payload, payload),),
    )
    version = render_version_pdf(add_version(engagement, content, rendered=False).id)
    text, reader = _pdf_text(file_storage().read(version.pdf_name))
    assert "127.0.0.1" in text  # shown as text, not loaded
    assert reader.attachments == {}
    # The fetcher itself, given raw markup (as a tool's own HTML could carry).
    raw = render_pdf(
        f"<html><head><link rel=stylesheet href='http://127.0.0.1:{canary.port}/style.css'>"
        f"<style>@import url('http://127.0.0.1:{canary.port}/import.css');</style></head><body>{payload}"
        f"<img src='file:///etc/passwd'><img src='http://127.0.0.1:{canary.port}/static/../../../../etc/passwd'>"
        "</body></html>"
    )
    assert pypdf.PdfReader(BytesIO(raw)).attachments == {}
    assert canary.requests == []


def test_rendering_is_recorded_once():
    engagement = paid_report_engagement()
    version = add_version(engagement, rendered=False)
    first = render_version_pdf(version.id)
    name, sha = first.pdf_name, first.pdf_sha256
    again = render_version_pdf(version.id)
    assert (again.pdf_name, again.pdf_sha256) == (name, sha)
    assert file_storage().exists(name)
    db.session.rollback()


def test_the_summary_names_the_most_urgent_and_data_used_is_listed_once_with_a_readable_date() -> None:
    engagement = paid_report_engagement()
    content = sample_content(
        recommendations=(
            RecommendationEntry("later", "Plan the next round", priority=4),
            RecommendationEntry("urgent", "Agree the governance charter", priority=1),
        ),
        as_of={"canvas": "canvas “As-is” (no. 1); canvas “As-is” (no. 1)", "composed": "2026-11-29T15:00:30+00:00"},
    )
    html = document_html(add_version(engagement, content=content), "Lyon Textiles")
    summary = html.split("Most urgent recommendations", 1)[1].split("</ol>", 1)[0]
    assert summary.index("Agree the governance charter") < summary.index("Plan the next round")
    assert html.count("canvas “As-is” (no. 1)") == 1
    assert "29 November 2026, 15:00 UTC" in html and "2026-11-29T15:00:30" not in html
