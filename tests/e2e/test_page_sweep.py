"""Every page holds up on a phone (390 px) and a laptop (1366 px), for each persona.

A crawler follows every same-site link each persona can see, from the home page and
their landing page, one URL per route shape; on each page, at each width, the page
must not scroll sideways and every visible control must be what a tap at its centre
hits (``layout_checks.js``). Fails with the list of problems found.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.e2e.helpers import log_in
from tests.factories import add_member, create_cluster, create_user

pytestmark = pytest.mark.e2e

WIDTHS = {"phone": (390, 844), "laptop": (1366, 900)}
CHECKS = (Path(__file__).with_name("layout_checks.js")).read_text()
SKIP = re.compile(r"\.(pdf|csv|json|ics|svg|png|txt)(\?|$)|^/static/|^/logout|/invitations/")
MAX_PAGES = 70


def _shape(path: str) -> str:
    """One URL per route: /clusters/3/canvas/7 and /clusters/3/canvas/8 are the same page."""
    return re.sub(r"/\d+", "/N", urlsplit(path).path)


def _seed() -> dict[str, str]:
    """A small but complete world; returns persona -> email (anonymous: "")."""
    from tests.engagements.conftest import book
    from tests.engagements.factories import create_service
    from tests.plugins.canvas.helpers import manager_membership, new_canvas, note_by, vote_by
    from tests.plugins.innovativeness.helpers import seed_round

    manager = create_user(email="sweep-manager@cluster.example", display_name="Maria Manager")
    cluster = create_cluster(manager=manager, name="Aerospace Valley Cluster Association")
    create_cluster(manager=manager, name="Photonics Network of Excellence")
    member = add_member(cluster, create_user(email="sweep-member@sme.example", display_name="Sam Member"))
    others = [add_member(cluster, organisation_type=t) for t in ("university", "university", "investor")]
    canvas = new_canvas(cluster, "As-is 2026")
    note = note_by(canvas, member, "Shared test bench for composite parts", "resources")
    for other in others:
        vote_by(note, other, "agree")
    note_by(canvas, manager_membership(cluster), "Joint applications to research calls", "activities")
    seed_round(cluster, [("sme", 4)] * 3 + [("university", 3)] * 3, title="Spring check-up", close=True, publish=True)
    service = create_service()
    book(cluster, service)
    consultant = create_user(email="sweep-consultant@dc.example", is_consultant=True)
    _briefed_workshop(cluster, service, consultant)
    create_user(email="sweep-admin@dc.example", is_admin=True)
    return {
        "anonymous": "",
        "member": "sweep-member@sme.example",
        "manager": "sweep-manager@cluster.example",
        "consultant": "sweep-consultant@dc.example",
        "admin": "sweep-admin@dc.example",
    }


def _briefed_workshop(cluster, service, consultant) -> None:  # type: ignore[no-untyped-def]
    """A workshop taken place, with a shared brief, a manager's comment and a recorded outcome,
    so the brief's console and cluster pages (agenda, item editor, outcomes) are swept."""
    from core.api import db
    from engagements.briefs import outcomes, sharing
    from engagements.lifecycle import Actor, transition
    from tests.engagements.briefs.factories import add_brief_version
    from tests.engagements.conftest import book

    engagement = book(cluster, service)
    system = Actor.system("sweep")
    transition(engagement.id, "awaiting_payment", "paid", system, "Bank transfer received")
    transition(engagement.id, "paid", "in_delivery", system, "Delivery started")
    engagement.consultant_id = consultant.id
    db.session.commit()
    add_brief_version(engagement, state="shared")
    sharing.add_comment(engagement.id, 1, "Please add the fees question.", system)
    outcomes.record(engagement.id, [outcomes.OutcomeEntry("canvas:vp", "Lead with matchmaking", "Board")], system)


def _sweep(page, persona: str) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    queue = deque(["/", urlsplit(page.url).path if persona != "anonymous" else "/login"])
    seen_shapes: set[str] = set()
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.popleft()
        if _shape(path) in seen_shapes or SKIP.search(path):
            continue
        seen_shapes.add(_shape(path))
        response = page.goto(path)
        if response is None or response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited += 1
        for name, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            problems += [f"{persona} · {name} · {path}: {p}" for p in page.evaluate(CHECKS)]
        origin = urlsplit(page.url)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            url = urlsplit(urldefrag(href)[0])
            if url.netloc == origin.netloc:
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
    assert visited >= 3, f"{persona}: the crawler found only {visited} pages"
    return problems


def test_every_page_fits_a_phone_and_a_laptop_for_every_persona(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    personas = _seed()
    problems: list[str] = []
    for persona, email in personas.items():
        context = browser.new_context(base_url=live_server)
        context.set_default_timeout(15_000)
        try:
            page = context.new_page()
            if email:
                log_in(page, email)
            problems += _sweep(page, persona)
        finally:
            context.close()
    assert problems == [], "\n" + "\n".join(problems)
