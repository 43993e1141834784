"""Two members fill a canvas and vote; the manager consolidates, agrees it and downloads the PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.e2e.helpers import log_in, serious_accessibility_violations
from tests.factories import add_member, create_cluster, create_user

pytestmark = pytest.mark.e2e


def mark_page(page) -> None:  # type: ignore[no-untyped-def]
    page.evaluate("window.__sameDocument = true")


def updated_in_place(page) -> bool:  # type: ignore[no-untyped-def]
    """True when htmx swapped a fragment: a full page load would have cleared the marker."""
    return page.evaluate("window.__sameDocument === true")


def add_note(page, element: str, text: str) -> None:  # type: ignore[no-untyped-def]
    mark_page(page)
    section = page.locator(f"#element-{element}")
    section.get_by_text("Add a note").click()
    section.get_by_label("Note", exact=False).first.fill(text)
    section.get_by_role("button", name="Add note").click()
    page.locator(f"#element-{element} .canvas-note", has_text=text).wait_for()
    assert updated_in_place(page)


def vote_on(page, text: str, value: str) -> None:  # type: ignore[no-untyped-def]
    mark_page(page)
    note = page.locator(".canvas-note", has_text=text)
    note.get_by_role("button", name=value, exact=True).click()
    page.locator(".canvas-note", has_text=text).get_by_role("button", name=value, exact=True).and_(
        page.locator('[aria-pressed="true"]')
    ).wait_for()
    assert updated_in_place(page)


def test_members_contribute_and_vote_then_the_manager_consolidates_and_downloads_the_pdf(page, new_page):
    manager = create_user(email="maria@cluster.example", display_name="Maria Manager")
    cluster = create_cluster(manager=manager, name="Blue Economy Cluster")
    alice = add_member(cluster, create_user(email="alice@sme.example", display_name="Alice"), organisation_type="sme")
    bob = add_member(cluster, create_user(email="bob@uni.example", display_name="Bob"), organisation_type="university")

    log_in(page, manager.email)
    page.goto(f"/clusters/{cluster.id}/canvas/")
    page.get_by_label("Title").fill("As-is 2026")
    page.get_by_role("button", name="Create canvas").click()
    page.get_by_role("heading", name="As-is 2026").wait_for()
    canvas_url = page.url

    alice_page = new_page()
    log_in(alice_page, alice.user.email)
    alice_page.goto(canvas_url)
    add_note(alice_page, "resources", "Shared <test> bench for prototypes")
    assert "SME" in alice_page.locator("#element-resources .canvas-note").inner_text()

    bob_page = new_page()
    log_in(bob_page, bob.user.email)
    bob_page.goto(canvas_url)
    add_note(bob_page, "vision", "Reference region for low-carbon production")
    bob_page.reload()
    vote_on(bob_page, "Shared <test> bench", "Agree")
    assert "✓ 1" in bob_page.locator(".canvas-note", has_text="Shared <test> bench").inner_text()

    alice_page.reload()
    vote_on(alice_page, "Reference region", "Disagree")
    assert "✗ 1" in alice_page.locator(".canvas-note", has_text="Reference region").inner_text()

    page.goto(canvas_url)
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Close contributions and consolidate").click()
    page.get_by_role("heading", name="Consolidate: As-is 2026").wait_for()
    for text in ("Shared <test> bench", "Reference region"):
        mark_page(page)
        row = page.locator("tr", has_text=text)
        row.get_by_role("button", name="Accept").click()
        page.locator("tr", has_text=text).get_by_text("Accepted").wait_for()
        assert updated_in_place(page)
    page.goto(canvas_url)
    page.get_by_role("button", name="Mark as agreed (read-only)").click()
    page.get_by_text("Read-only: duplicate it to start a new round.").wait_for()
    # Both irreversible steps asked first, in a dialog naming what happens.
    assert [m.split("?")[0] for m in asked] == ["Close contributions to “As-is 2026”", "Mark “As-is 2026” as agreed"]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="A3 PDF").click()
    pdf = download_info.value
    with open(pdf.path(), "rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert len(reader.pages) == 1
    assert "Shared <test> bench for prototypes" in text
    assert "Reference region for low-carbon production" in text
    assert "Blue Economy Cluster" in text and "CC BY-NC 2.0" in text and "CC BY 4.0" in text

    alice_page.goto(canvas_url)
    assert alice_page.get_by_text("Add a note").count() == 0
    assert page.csp_violations == [] and alice_page.csp_violations == [] and bob_page.csp_violations == []


@pytest.mark.parametrize("path", ["", "/alignment", "/roles", "/history", "/consolidate"])
def test_canvas_pages_have_no_serious_accessibility_violations(page, path):
    from tests.plugins.canvas.helpers import new_canvas, note_by, vote_by

    manager = create_user()
    cluster = create_cluster(manager=manager)
    sme = add_member(cluster, organisation_type="sme")
    university = add_member(cluster, organisation_type="university")
    canvas = new_canvas(cluster, "Accessible canvas")
    vote_by(note_by(canvas, sme, "Matchmaking days", "activities"), university, "agree")
    vote_by(note_by(canvas, university, "Closed board", "governance"), sme, "disagree")
    log_in(page, manager.email)
    page.goto(f"/clusters/{cluster.id}/canvas/{canvas.id}{path}")
    assert serious_accessibility_violations(page) == []


@pytest.mark.parametrize("path", ["/tools/canvas"])
def test_the_public_canvas_page_has_no_serious_accessibility_violations(page, path):
    page.goto(path)
    assert serious_accessibility_violations(page) == []


def test_refusals_show_in_place_with_htmx_an_empty_note_and_a_stale_edit(page, new_page):
    from tests.plugins.canvas.helpers import new_canvas, note_by

    cluster = create_cluster()
    author = add_member(cluster, create_user(email="author@sme.example"), organisation_type="sme")
    canvas = new_canvas(cluster, "Busy canvas")
    note = note_by(canvas, author, "First wording")
    canvas_url = f"/clusters/{cluster.id}/canvas/{canvas.id}"

    log_in(page, author.user.email)
    page.goto(canvas_url)
    mark_page(page)
    section = page.locator("#element-flows")
    section.get_by_text("Add a note").click()
    section.get_by_role("button", name="Add note").click()
    page.locator("#element-flows .field-error", has_text="Write a short note").wait_for()
    assert updated_in_place(page)

    second_tab = new_page()
    log_in(second_tab, author.user.email)
    second_tab.goto(canvas_url)
    for tab in (page, second_tab):
        tab.locator(f"#note-{note.id}").get_by_role("link", name="Edit").click()
        tab.locator(f"#note-{note.id} textarea[name=text]").wait_for()
    page.locator(f"#note-{note.id} textarea[name=text]").fill("Wording from tab one")
    page.get_by_role("button", name="Save note").click()
    page.locator(f"#note-{note.id}", has_text="Wording from tab one").get_by_role("link", name="Edit").wait_for()

    mark_page(second_tab)
    second_tab.locator(f"#note-{note.id} textarea[name=text]").fill("Wording from tab two")
    second_tab.get_by_role("button", name="Save note").click()
    second_tab.get_by_text("This note was changed after you opened it").wait_for()
    assert updated_in_place(second_tab)
    assert "Wording from tab one" in second_tab.locator(f"#note-{note.id}").inner_text()
    assert second_tab.locator(f"#note-{note.id} textarea[name=text]").input_value() == "Wording from tab two"


def test_without_javascript_members_add_and_vote_with_plain_forms(browser, live_server):
    from tests.plugins.canvas.helpers import new_canvas, note_by

    cluster = create_cluster()
    alice = add_member(cluster, create_user(email="nojs-alice@sme.example"), organisation_type="sme")
    bob = add_member(cluster, create_user(email="nojs-bob@uni.example"), organisation_type="university")
    canvas = new_canvas(cluster, "Plain canvas")
    note_by(canvas, alice, "Written with JavaScript off")
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, bob.user.email)
        page.goto(f"/clusters/{cluster.id}/canvas/{canvas.id}")
        section = page.locator("#element-vision")
        section.get_by_text("Add a note").click()
        section.get_by_label("Note", exact=False).first.fill("A region known for clean aviation")
        section.get_by_role("button", name="Add note").click()
        page.get_by_text("Your note was added.").wait_for()
        assert "A region known for clean aviation" in page.locator("#element-vision").inner_text()
        page.locator(".canvas-note", has_text="Written with JavaScript off").get_by_role("button", name="Agree", exact=True).click()
        page.wait_for_load_state()
        assert "✓ 1" in page.locator(".canvas-note", has_text="Written with JavaScript off").inner_text()
    finally:
        context.close()
