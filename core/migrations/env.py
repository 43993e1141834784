"""Alembic environment: runs against the Flask app's engine and metadata.

When a revision is generated for one branch (core or a plugin's slug), only
that branch's tables are compared, so a plugin's tables never leak into
core's history or another plugin's.
"""

from alembic import context

from core.extensions import db

config = context.config
app = config.attributes["flask_app"]
branch = config.attributes.get("branch")
plugin_slugs = tuple(app.extensions["plugin_host"].tools)


def belongs_to_branch(name: str | None, type_: str, *_args) -> bool:
    if branch is None or type_ != "table" or name is None:
        return True
    owner = next((slug for slug in plugin_slugs if name.startswith(slug + "_")), "core")
    return owner == branch


with app.app_context():
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            render_as_batch=True,  # SQLite needs batch mode to alter tables
            compare_type=True,
            include_name=belongs_to_branch,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
