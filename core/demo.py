"""Demo data: a demo cluster with members of every organisation type.

Core creates the accounts and memberships; each tool adds its own content
through ``designing_clusters_demo_data`` in the same transaction, once per
tool (recorded in ``demo_loads``), so a tool installed later gets its own on
the next run. Running it twice changes nothing; ``--reset`` rebuilds it.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import delete, select

from core.accounts.models import User
from core.accounts.passwords import hash_password
from core.clusters.models import Cluster, Membership
from core.extensions import db
from core.models import utcnow
from core.plugins.state import DemoLoad, is_enabled
from core.plugins.types import DemoCluster, DemoMember

DEMO_CLUSTER_NAME = "Aero Valley Innovation Cluster (demo)"
# Demo accounts exist only in the embedded default; this is not a secret.
DEMO_PASSWORD = "demo-cluster-password"  # noqa: S105 - printed by `demo` on purpose

DEMO_ORGANISATIONS: list[tuple[str, str, str]] = [
    ("manager", "Aero Valley Cluster Office", "intermediary"),
    ("member", "Skyward Composites", "sme"),
    ("member", "Nacelle Precision Parts", "sme"),
    ("member", "Blue Rotor Drones", "sme"),
    ("member", "Hangar Software Works", "sme"),
    ("member", "Fuselage Coatings", "sme"),
    ("member", "Avionix Group", "large_firm"),
    ("member", "Trans-Atlantic Aerostructures", "large_firm"),
    ("member", "Orbital Test Systems", "large_firm"),
    ("member", "LiftOff Robotics", "startup"),
    ("member", "Hydrogen Wings", "startup"),
    ("member", "Sensorial Labs", "startup"),
    ("member", "University of the Valley", "university"),
    ("member", "Polytechnic School of Aeronautics", "university"),
    ("member", "Institute for Flight Materials", "research_institute"),
    ("member", "National Aerospace Research Centre", "research_institute"),
    ("member", "Regional Development Agency", "public_authority"),
    ("member", "City Economic Office", "public_authority"),
    ("member", "Chamber of Commerce", "intermediary"),
    ("member", "Tech Transfer Office", "intermediary"),
    ("member", "Valley Seed Capital", "investor"),
    ("member", "Regional Innovation Bank", "investor"),
    ("member", "Flight Safety Association", "other"),
]


def _user(email: str, name: str, password_hash: str, **flags: bool) -> User:
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    if user is None:
        user = User(email=email, display_name=name, password_hash=password_hash, email_verified_at=utcnow(), **flags)
        db.session.add(user)
        db.session.flush()
    return user


def load_demo_data(reset: bool = False) -> str:
    """Create the demo cluster once, then add each enabled plugin's content once.

    A plugin installed after the first run gets its content on the next run;
    ``reset=True`` deletes the demo cluster (and, through its cascades, every
    cluster-owned row) and builds it again. Returns a summary for the console.
    """
    if reset:
        _delete_demo_cluster()
    cluster = db.session.execute(select(Cluster).where(Cluster.name == DEMO_CLUSTER_NAME)).scalar_one_or_none()
    created = cluster is None
    if cluster is None:
        cluster = _create_demo_cluster()
    demo = _demo_cluster_of(cluster)
    loaded = set(db.session.execute(select(DemoLoad.slug).where(DemoLoad.cluster_id == cluster.id)).scalars())
    added: list[str] = []
    host = current_app.extensions["plugin_host"]
    # pluggy's call order (get_hookimpls lists it reversed), so a trylast plugin that builds on
    # the others' demo data (engagements' demo report) runs after them.
    for impl in reversed(host.pm.hook.designing_clusters_demo_data.get_hookimpls()):
        slug = host.plugin_slug(impl.plugin_name)
        if slug in loaded or not is_enabled(slug):
            continue
        host.call_impl(impl, "designing_clusters_demo_data", cluster=demo)
        db.session.add(DemoLoad(slug=slug, cluster_id=cluster.id))
        added.append(slug)
    db.session.commit()
    if not created and not added:
        return "Demo data is already loaded (every tool's content is there); use --reset to rebuild it."
    what = f"Demo cluster '{cluster.name}' " + ("loaded" if created else "updated")
    return (
        f"{what} with {len(demo.members)} members; demo content added by: {', '.join(added) or 'no tool'}.\n"
        f"Log in as manager@aero-valley.example.org, member1@aero-valley.example.org, "
        f"admin@aero-valley.example.org or consultant@aero-valley.example.org "
        f"with the password '{DEMO_PASSWORD}'."
    )


def _create_demo_cluster() -> Cluster:
    password_hash = hash_password(DEMO_PASSWORD)
    _user("admin@aero-valley.example.org", "Demo Admin", password_hash, is_admin=True)
    _user("consultant@aero-valley.example.org", "Demo Consultant", password_hash, is_consultant=True)
    cluster = Cluster(
        name=DEMO_CLUSTER_NAME,
        country="France",
        region="Occitanie",
        sectors="Aerospace, drones, advanced materials",
        stage="growing",
        member_count=len(DEMO_ORGANISATIONS),
        website="https://example.org/aero-valley",
        description="A fictional aerospace cluster used to show the platform's tools.",
    )
    db.session.add(cluster)
    db.session.flush()
    for index, (role, organisation, org_type) in enumerate(DEMO_ORGANISATIONS):
        email = "manager@aero-valley.example.org" if index == 0 else f"member{index}@aero-valley.example.org"
        user = _user(email, organisation.split()[0] + (" Manager" if index == 0 else f" Rep {index}"), password_hash)
        db.session.add(
            Membership(
                cluster_id=cluster.id, user_id=user.id, role=role, organisation_name=organisation, organisation_type=org_type
            )
        )
    db.session.flush()
    return cluster


def _demo_cluster_of(cluster: Cluster) -> DemoCluster:
    rows = db.session.execute(
        select(Membership, User.email).join(User, User.id == Membership.user_id)
        .where(Membership.cluster_id == cluster.id).order_by(Membership.id)
    ).all()
    members = tuple(
        DemoMember(m.user_id, m.id, email, m.organisation_name, m.organisation_type, m.role)  # type: ignore[arg-type]
        for m, email in rows
    )
    return DemoCluster(id=cluster.id, name=cluster.name, members=members)


def _delete_demo_cluster() -> None:
    """Delete the demo cluster with every row that references it.

    SQLite enforces the ``ON DELETE CASCADE`` of cluster-owned tables only
    with ``PRAGMA foreign_keys=ON``, which must be set outside a transaction:
    hence a connection of its own, restored before it returns to the pool.
    """
    db.session.rollback()
    with db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        try:
            connection.execute(delete(Cluster).where(Cluster.name == DEMO_CLUSTER_NAME))
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
