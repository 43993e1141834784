"""engagements: consultants already assigned get read access to their engagement's cluster

From now on taking an engagement grants it (engagements/access.py); this gives the
same grant to engagements assigned before: open-ended while the engagement is open,
30 days after its end otherwise (none if those 30 days are over). Data only.

Revision ID: 0005_engagements
Revises: 0004_engagements
Create Date: 2026-11-29 13:45:00
"""
from datetime import datetime, timedelta, UTC

from alembic import op
import sqlalchemy as sa
import core.api


revision = '0005_engagements'
down_revision = '0004_engagements'
branch_labels = None
depends_on = '0002_core'

ACCESS_AFTER_END = timedelta(days=30)
END_STATES = ('closed', 'cancelled', 'refunded')
SOURCE_PREFIX = 'engagements:'

engagements = sa.table(
    'engagements_engagements',
    sa.column('id', sa.Integer), sa.column('cluster_id', sa.Integer), sa.column('consultant_id', sa.Integer),
    sa.column('state', sa.String), sa.column('title', sa.String), sa.column('updated_at', core.api.UTCDateTime()),
)
transitions = sa.table(
    'engagements_transitions',
    sa.column('engagement_id', sa.Integer), sa.column('to_state', sa.String),
    sa.column('created_at', core.api.UTCDateTime()),
)
grants = sa.table(
    'cluster_access_grants',
    sa.column('cluster_id', sa.Integer), sa.column('user_id', sa.Integer), sa.column('source', sa.String),
    sa.column('reason', sa.String), sa.column('granted_at', core.api.UTCDateTime()),
    sa.column('expires_at', core.api.UTCDateTime()), sa.column('ended_at', core.api.UTCDateTime()),
)


def upgrade() -> None:
    conn = op.get_bind()
    now = datetime.now(UTC)
    live = set(conn.execute(sa.select(grants.c.source).where(grants.c.ended_at.is_(None))).scalars())
    rows = conn.execute(sa.select(engagements).where(engagements.c.consultant_id.is_not(None))).all()
    for e in rows:
        source = f'{SOURCE_PREFIX}{e.id}'
        if source in live:
            continue
        expires_at = None
        if e.state in END_STATES:
            ended = conn.execute(
                sa.select(sa.func.min(transitions.c.created_at)).where(
                    transitions.c.engagement_id == e.id, transitions.c.to_state.in_(END_STATES)
                )
            ).scalar()
            expires_at = (ended or e.updated_at) + ACCESS_AFTER_END
            if expires_at <= now:
                continue
        reason = f'Consultant of engagement #{e.id} “{e.title}”, until 30 days after it ends'[:300]
        conn.execute(sa.insert(grants).values(
            cluster_id=e.cluster_id, user_id=e.consultant_id, source=source, reason=reason,
            granted_at=now, expires_at=expires_at, ended_at=None,
        ))


def downgrade() -> None:
    # Grants given since cannot be told apart from these; leave them (they only grant reading).
    pass
