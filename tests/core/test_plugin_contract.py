"""The contract kit plugin authors run, applied to every plugin we ship."""

from __future__ import annotations

import importlib
import sys
import types

from flask import Blueprint, url_for

from core.api import ExportLink, PublicPage, ToolInfo, check_plugin_contract, db, hookimpl


def test_every_loaded_plugin_honours_the_contract(app):
    slugs = sorted(app.extensions["plugin_host"].tools)
    assert {"canvas", "innovativeness", "engagements", "sample"} <= set(slugs)
    assert {slug: check_plugin_contract(app, slug) for slug in slugs} == {slug: [] for slug in slugs}


def test_the_kit_reports_a_broken_public_page_and_an_unguarded_cluster_route(make_app):
    bp = Blueprint("shaky", __name__)

    @bp.get("/tools/shaky")
    def page():  # type: ignore[no-untyped-def]
        raise RuntimeError("broken page")

    @bp.get("/clusters/everyone/shaky")
    def unguarded():  # type: ignore[no-untyped-def]
        return "no cluster id here"

    @hookimpl
    def designing_clusters_tool_info():
        return ToolInfo(slug="shaky", title="Shaky", summary="", version="0")

    @hookimpl
    def designing_clusters_blueprints():
        return [bp]

    @hookimpl
    def designing_clusters_public_pages():
        return [PublicPage("Shaky page", url_for("shaky.page"))]

    @hookimpl
    def designing_clusters_exports(cluster):
        return [ExportLink("CSV", f"/clusters/{cluster.id}/shaky.csv", "text/csv"), "not an ExportLink"]

    @hookimpl
    def designing_clusters_recommendations(cluster):
        raise LookupError("needs a real cluster")

    module = types.ModuleType("shaky")
    for hook in (designing_clusters_tool_info, designing_clusters_blueprints, designing_clusters_public_pages,
                 designing_clusters_exports, designing_clusters_recommendations):
        setattr(module, hook.__name__, hook)
    app = make_app(EXTRA_PLUGINS=[(module, "shaky")])
    problems = check_plugin_contract(app, "shaky")
    assert any("/tools/shaky answers 500" in p for p in problems)
    assert "designing_clusters_exports: expected list[ExportLink], got list with str at position 1" in problems
    assert any(p.startswith("designing_clusters_recommendations raised LookupError") for p in problems)
    assert any("/clusters/everyone/shaky" in p for p in problems)
    assert check_plugin_contract(app, "missing") == ["no plugin with slug 'missing' is loaded"]


def test_the_kit_reports_unprefixed_tables_and_templates_outside_the_namespace(make_app, tmp_path):
    package = tmp_path / "sloppy_pkg"
    (package / "templates" / "sloppy").mkdir(parents=True)
    (package / "templates" / "base.html").write_text("would shadow the layout")
    (package / "templates" / "emails").mkdir()
    (package / "templates" / "emails" / "welcome.txt").write_text("would shadow core's email")
    (package / "templates" / "emails" / "sloppy_welcome.txt").write_text("fine")
    (package / "__init__.py").write_text("")
    (package / "plugin.py").write_text(
        "from flask import Blueprint\n"
        "from sqlalchemy.orm import Mapped, mapped_column\n"
        "from core.api import ToolInfo, db, hookimpl\n"
        "bp = Blueprint('sloppy', __name__, template_folder='templates')\n"
        "class Thing(db.Model):\n"
        "    __tablename__ = 'things'\n"
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "@hookimpl\n"
        "def designing_clusters_tool_info():\n"
        "    return ToolInfo(slug='sloppy', title='Sloppy', summary='', version='1')\n"
        "@hookimpl\n"
        "def designing_clusters_blueprints():\n"
        "    return [bp]\n"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        module = importlib.import_module("sloppy_pkg.plugin")
        app = make_app(EXTRA_PLUGINS=[(module, "sloppy")])
        problems = check_plugin_contract(app, "sloppy")
    finally:
        sys.path.remove(str(tmp_path))
        db.metadata.remove(db.metadata.tables["things"])
        for name in [m for m in sys.modules if m.startswith("sloppy_pkg")]:
            del sys.modules[name]
    assert "table 'things' (Thing) must be prefixed 'sloppy_'" in problems
    assert any(p.startswith("template 'base.html' of blueprint 'sloppy' must live under templates/sloppy/") for p in problems)
    assert "email template 'emails/welcome.txt' of blueprint 'sloppy' must be named 'sloppy_…'" in problems
    assert len(problems) == 3


def test_the_kit_reports_a_model_without_its_migration(make_app, tmp_path):
    import sqlalchemy as sa

    @hookimpl
    def designing_clusters_tool_info():
        return ToolInfo(slug="unmigrated", title="Unmigrated", summary="", version="0", migrations_dir=str(tmp_path))

    module = types.ModuleType("unmigrated")
    module.designing_clusters_tool_info = designing_clusters_tool_info
    table = sa.Table("unmigrated_notes", db.metadata, sa.Column("id", sa.Integer, primary_key=True))
    try:
        app = make_app(EXTRA_PLUGINS=[(module, "unmigrated")])
        problems = check_plugin_contract(app, "unmigrated")
    finally:
        db.metadata.remove(table)
    assert problems == ["models and migrations differ (add_table unmigrated_notes): "
                        "run designing-clusters db revision --branch unmigrated -m '...'"]
