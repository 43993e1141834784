"""Alembic environment: runs against the Flask app's engine and metadata.

When a revision is generated for one branch (core or a plugin's slug), only
that branch's tables are compared — on both the database's and the models'
side — so a plugin's tables never leak into core's history or another
plugin's. Custom column types render as ``core.api.…`` so that plugins'
migrations import nothing from core but its public API.
"""

from alembic import context

from core.extensions import db
from core.migrations import branch_filters

config = context.config
app = config.attributes["flask_app"]

with app.app_context(), db.engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=db.metadata,
        render_as_batch=True,  # SQLite needs batch mode to alter tables
        compare_type=True,
        user_module_prefix="core.api.",
        **branch_filters(app, config.attributes.get("branch")),
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
