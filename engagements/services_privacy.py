"""Account deletion: keep money records (they are accounting documents), drop the person.

Foreign keys to users are ``SET NULL``; message bodies stay with the cluster's
engagement but lose the author's name.
"""

from __future__ import annotations

from sqlalchemy import update

from core.api import db
from engagements.models import Message, Transition


def forget_user(user_id: int) -> None:
    db.session.execute(
        update(Message).where(Message.author_id == user_id).values(author_name="Former user", author_id=None)
    )
    db.session.execute(
        update(Transition)
        .where(Transition.actor_id == user_id)
        .values(actor_label="Former user", actor_id=None)
    )
