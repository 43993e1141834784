"""Demo content: a canvas with notes, votes and role marks from several kinds of member."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from core.api import DemoCluster, DemoMember, db
from plugins.canvas.elements import framework
from plugins.canvas.models import ROLE_VALUES, Canvas, Event, Note, RoleMark, Vote

DEMO_FILE = Path(__file__).parent / "data" / "demo.yaml"


@lru_cache(maxsize=1)
def _content() -> dict:
    with DEMO_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _author(members: tuple[DemoMember, ...], org_type: str, index: int) -> DemoMember:
    same_type = [m for m in members if m.organisation_type == org_type]
    return same_type[0] if same_type else members[index % len(members)]


def fill_demo_cluster(cluster: DemoCluster) -> None:
    """Add rows in the caller's transaction (the demo command commits)."""
    if not cluster.members:
        return
    content = _content()
    manager = next((m for m in cluster.members if m.role == "manager"), cluster.members[0])
    canvas = Canvas(
        cluster_id=cluster.id,
        title=content["canvas"]["title"],
        description=content["canvas"]["description"],
        framework_version=framework().version,
        created_by_id=manager.user_id,
    )
    db.session.add(canvas)
    db.session.flush()
    db.session.add(Event(cluster_id=cluster.id, canvas_id=canvas.id, actor_id=manager.user_id, action="created",
                         summary=f"created the canvas “{canvas.title}”"))
    notes: list[tuple[Note, DemoMember]] = []
    for i, item in enumerate(content["notes"]):
        author = _author(cluster.members, item["by"], i)
        note = Note(
            cluster_id=cluster.id,
            canvas_id=canvas.id,
            element=item["element"],
            text=item["text"],
            author_id=author.user_id,
            author_org_type=author.organisation_type,
        )
        db.session.add(note)
        notes.append((note, author))
    db.session.flush()
    for i, (note, author) in enumerate(notes):
        for j, voter in enumerate(cluster.members):
            if voter.user_id == author.user_id or (i + j) % 3 == 0:
                continue
            value = "disagree" if (i * 7 + j) % 5 == 0 else "agree"
            db.session.add(Vote(cluster_id=cluster.id, canvas_id=canvas.id, note_id=note.id, user_id=voter.user_id,
                                voter_org_type=voter.organisation_type, value=value))
    roles = list(ROLE_VALUES)
    activities = [n for n, _ in notes if n.element == "activities"]
    types = list(dict.fromkeys(m.organisation_type for m in cluster.members))
    for a, activity in enumerate(activities):
        for t, actor_type in enumerate(types[:4]):
            for k, member in enumerate(cluster.members[:3]):
                db.session.add(RoleMark(cluster_id=cluster.id, canvas_id=canvas.id, activity_id=activity.id,
                                        actor_type=actor_type, user_id=member.user_id,
                                        role=roles[(a + t + (k if t % 2 else 0)) % len(roles)]))
