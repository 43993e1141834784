"""Regressions from the browser QA of the workshop brief: outcomes keyed by item and version,
the scheduled length, one truth for an item's minutes, participants after edits, the form
after a 409, and the smaller wording/page fixes."""

from __future__ import annotations

from datetime import timedelta

from core.api import db, utcnow
from engagements.briefs.models import BriefOutcome
from engagements.briefs.versions import draft_of, latest_version
from engagements.lifecycle import Actor, transition
from engagements.models import Engagement
from tests.engagements.briefs.factories import add_brief_version, paid_workshop
from tests.factories import login


def _console(engagement: Engagement, rest: str = "") -> str:
    return f"/console/engagements/{engagement.id}/brief/{rest}"


def _consultant(engagement: Engagement):  # type: ignore[no-untyped-def]
    from core.accounts.models import User

    return db.session.get(User, engagement.consultant_id)


def _held(engagement: Engagement) -> Engagement:
    assert transition(engagement.id, "paid", "in_delivery", Actor.system("test"), "Delivery started")
    db.session.commit()
    return db.session.get(Engagement, engagement.id)


def test_outcomes_are_keyed_by_item_and_refused_when_the_agenda_changed(client):  # type: ignore[no-untyped-def]
    engagement = paid_workshop()
    add_brief_version(engagement, state="shared")
    engagement = _held(engagement)
    login(client, _consultant(engagement))
    page = client.get(_console(engagement, "outcomes")).get_data(as_text=True)
    assert 'name="agenda_version" value="1"' in page and 'value="canvas:vp"' in page
    assert "Decisions on the agenda of <strong>version 1</strong>, shared on" in page

    # Another tab shares version 2 with the first two items swapped.
    from tests.engagements.briefs.factories import sample_draft

    items = sample_draft().items
    add_brief_version(engagement, sample_draft(items=(items[1], items[0], items[2])), state="shared")
    typed = {"agenda_version": 1, "key-1": "canvas:vp", "decision-1": "Offer matchmaking first",
             "key-2": "innovativeness:D9", "decision-2": "Shared IP by default"}
    stale = client.post(_console(engagement, "outcomes"), data=typed)
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Nothing was saved" in body
    assert db.session.query(BriefOutcome).count() == 0
    # The typed text is kept and now sits on its own item, which moved to row 2.
    assert '<textarea id="decision-2" name="decision-2" rows="3" maxlength="2000">Offer matchmaking first' in body
    assert 'name="agenda_version" value="2"' in body

    # Recorded against the current version, matched by key (not by position).
    done = client.post(_console(engagement, "outcomes"), data={**typed, "agenda_version": 2})
    assert done.status_code == 303
    by_key = {o.agenda_key: o.decision for o in db.session.query(BriefOutcome)}
    assert by_key == {"canvas:vp": "Offer matchmaking first", "innovativeness:D9": "Shared IP by default"}


def test_a_due_date_before_the_workshop_is_refused_and_decided_is_never_in_the_future(client):  # type: ignore[no-untyped-def]
    engagement = paid_workshop()
    add_brief_version(engagement, state="shared")
    engagement.scheduled_for = utcnow() + timedelta(days=30)
    engagement.scheduled_minutes = 180
    db.session.commit()
    engagement = _held(engagement)
    login(client, _consultant(engagement))
    old = client.post(_console(engagement, "outcomes"), data={
        "agenda_version": 1, "key-1": "canvas:vp", "decision-1": "Lead", "due-1": "1999-01-01"})
    assert old.status_code == 400 and "is before the workshop" in old.get_data(as_text=True)
    assert "1999-01-01" in old.get_data(as_text=True)
    ok = client.post(_console(engagement, "outcomes"), data={
        "agenda_version": 1, "key-1": "canvas:vp", "decision-1": "Lead",
        "due-1": (utcnow() + timedelta(days=60)).date().isoformat()})
    assert ok.status_code == 303
    from engagements.briefs.outcomes import agreed_outcomes

    [agreed] = agreed_outcomes(engagement.cluster_id, engagement.id)
    assert agreed.decided_on is not None and agreed.decided_on <= utcnow().date()


def test_editing_uses_the_scheduled_length_and_items_show_their_slot_minutes(client):  # type: ignore[no-untyped-def]
    engagement = paid_workshop()
    add_brief_version(engagement)  # drafted for 240 minutes
    engagement.scheduled_for = utcnow() + timedelta(days=20)
    engagement.scheduled_minutes = 180
    db.session.commit()
    login(client, _consultant(engagement))
    assert "Workshop length 180 minutes" in client.get(_console(engagement)).get_data(as_text=True)
    saved = client.post(_console(engagement, "item"), data={
        "base_number": 1, "key": "canvas:vp", "title": "Value propositions", "minutes": 480})
    assert saved.status_code == 303
    draft = draft_of(latest_version(engagement.id))
    assert draft.length_minutes == 180 and sum(s.minutes for s in draft.timetable) == 180
    slots = {s.agenda_key: s.minutes for s in draft.timetable if s.agenda_key}
    assert [i.minutes for i in draft.items] == [slots[i.key] for i in draft.items]
    page = client.get(_console(engagement)).get_data(as_text=True)
    vp = draft.items[0]
    assert f"{vp.title} <small class=\"muted\">({vp.minutes} min)</small>" in page
    assert f'<td class="nowrap">{vp.minutes}</td><td class="long-text">{vp.title}</td>' in page
    document = client.get(_console(engagement, "v2")).get_data(as_text=True)
    assert f"{vp.minutes} min" in document


def test_who_to_invite_follows_the_items_left(client):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from engagements.briefs import editing
    from engagements.briefs.agenda import participants_from_items
    from tests.engagements.briefs.factories import sample_draft

    engagement = paid_workshop()
    base = sample_draft()
    items = (replace(base.items[0], actor_types=("university",)), replace(base.items[1], actor_types=("sme",)),
             base.items[2])
    add_brief_version(engagement, sample_draft(items=items, participants=participants_from_items(items, ["large"]),
                                               cluster_types=("large",)))
    actor = Actor(engagement.consultant_id, "camille@example.org")
    before = draft_of(latest_version(engagement.id)).participants
    assert len([p for p in before if p.required]) == 2
    version = editing.drop_item(engagement.id, 1, "innovativeness:D9", actor)
    after = draft_of(version).participants
    required = [p for p in after if p.required]
    assert len(required) == 1 and "Value propositions" in required[0].reason
    assert not any("Open innovation" in p.reason for p in after)


def test_after_a_409_the_item_form_carries_the_current_version(client):  # type: ignore[no-untyped-def]
    engagement = paid_workshop()
    add_brief_version(engagement)
    add_brief_version(engagement)  # another tab saved version 2
    login(client, _consultant(engagement))
    stale = client.post(_console(engagement, "item"), data={
        "base_number": 1, "key": "canvas:vp", "title": "Typed title", "minutes": 40})
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Typed title" in body
    assert '<input id="base_number" name="base_number" required type="hidden" value="2">' in body
    again = client.post(_console(engagement, "item"), data={
        "base_number": 2, "key": "canvas:vp", "title": "Typed title", "minutes": 40})
    assert again.status_code == 303


def test_minutes_that_are_no_number_get_one_message_and_topics_are_never_quoted_twice(client):  # type: ignore[no-untyped-def]
    from markupsafe import Markup

    from core.api import Divergence
    from engagements.briefs.agenda import decision_sought, quoted

    engagement = paid_workshop()
    add_brief_version(engagement)
    login(client, _consultant(engagement))
    bad = client.post(_console(engagement, "item"), data={"base_number": 1, "key": "canvas:vp", "title": "X",
                                                         "minutes": "abc"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 400 and body.count("whole number of minutes, 5 to 480") == 1
    assert "Not a valid integer" not in body and "Number must be between" not in body

    assert quoted("Events") == "“Events”"
    assert quoted("“Members join for matchmaking” (Value propositions)") == "“Members join for matchmaking” (Value propositions)"
    divergence = Divergence(key="n1", topic="“Members join …” (Value propositions)", measure="agreement", value=40, spread=1,
                            unit="%", people=9, evidence=Markup(""), about="canvas:note:1")
    assert "““" not in decision_sought(divergence) and "”)”" not in decision_sought(divergence)


def test_document_has_main_and_back_link_and_tables_do_not_break_headers(client):  # type: ignore[no-untyped-def]
    engagement = paid_workshop()
    add_brief_version(engagement)
    login(client, _consultant(engagement))
    doc = client.get(_console(engagement, "v1")).get_data(as_text=True)
    assert "<main>" in doc and f'href="/console/engagements/{engagement.id}/brief/"' in doc
    assert "overflow-wrap: anywhere; }" not in doc.split("body {", 1)[1].split("}", 1)[0] + "}"
    assert '<td class="nowrap">' in doc
    console = client.get(_console(engagement)).get_data(as_text=True)
    assert '<div class="table-wrap">' in console and '<td class="long-text">' in console
    assert "Show the latest agenda" not in console


def test_the_same_comment_sent_twice_is_one_comment_and_one_email(client, mail):  # type: ignore[no-untyped-def]
    import time

    from engagements.briefs.models import BriefComment
    from tests.factories import create_cluster, manager_of

    cluster = create_cluster()
    engagement = paid_workshop(cluster)
    add_brief_version(engagement, state="shared")
    consultant = _consultant(engagement)
    login(client, manager_of(cluster))
    mail.clear()
    url = f"/clusters/{cluster.id}/engagements/{engagement.id}/brief/v1/comments"
    assert client.post(url, data={"body": "Add the fees question"}).status_code == 303
    assert client.post(url, data={"body": "Add the fees question"}).status_code == 303
    assert db.session.query(BriefComment).count() == 1
    mail.wait_for(consultant.email)
    time.sleep(1.0)
    assert len(mail.to(consultant.email)) == 1
    assert client.post(url, data={"body": "And the events"}).status_code == 303
    assert db.session.query(BriefComment).count() == 2


def test_brief_jobs_are_listed_as_workshop_brief_jobs(client):  # type: ignore[no-untyped-def]
    from engagements.briefs import jobs
    from tests.factories import create_user

    engagement = paid_workshop()
    jobs.create_brief_job(engagement.id, Actor.system("test"))
    db.session.commit()
    login(client, create_user(is_admin=True))
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert f"Workshop brief — draft of version 1, engagement #{engagement.id}" in page
    assert "of report version" not in page


def test_a_version_no_page_showed_and_a_broken_hidden_field_get_messages_that_say_reload(client):  # type: ignore[no-untyped-def]
    engagement = paid_workshop()
    add_brief_version(engagement)
    login(client, _consultant(engagement))
    typed = {"key": "canvas:vp", "title": "Typed title", "minutes": 40}
    future = client.post(_console(engagement, "item"), data={**typed, "base_number": 999})
    body = future.get_data(as_text=True)
    assert future.status_code == 409 and "This brief has no version 999" in body and "Typed title" in body
    assert "was saved" not in body  # no other person's save is invented
    broken = client.post(_console(engagement, "item"), data={**typed, "base_number": "x"})
    body = broken.get_data(as_text=True)
    assert broken.status_code == 400 and "reload the page" in body and "highlighted fields" not in body
    assert len(draft_of(latest_version(engagement.id)).items) >= 1 and latest_version(engagement.id).number == 1
