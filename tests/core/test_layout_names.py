"""The shared layout never takes a plugin's template variables, and a plugin's context wins.

Before, ``base.html`` set ``mine`` at top level (and read ``cluster_nav``,
``header_links``, ...), so a plugin page using those names got the layout's
values or a 500 pointing into the layout.
"""

from __future__ import annotations

import types
from pathlib import Path

import jinja2
from flask import Blueprint, render_template
from jinja2 import meta, nodes

from core.api import ToolInfo, hookimpl
from core.templating import LABEL_NAMES, LAYOUT_NAMES
from tests.factories import add_member, create_cluster, create_user, login

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LAYOUT_FILES = ("base.html", "admin/_nav.html")
# Names Flask and its extensions provide to every template.
FRAMEWORK_NAMES = {"url_for", "csrf_token", "current_user", "get_flashed_messages", "request", "config", "g", "session"}
PLUGIN_NAMES = ("mine", "switchable", "cluster_nav", "header_links", "my_memberships", "admin_links",
                "outbox_enabled", "item", "link", "m", "messages", "members")


def names_page_plugin(template_dir: Path) -> types.ModuleType:
    (template_dir / "names").mkdir(parents=True)
    (template_dir / "names" / "page.html").write_text(
        '{% extends "base.html" %}{% block content %}'
        + "".join(f"<p>{name}={{{{ {name} }}}}</p>" for name in PLUGIN_NAMES)
        + "{% endblock %}"
    )
    bp = Blueprint("names", __name__, template_folder=str(template_dir))

    @bp.get("/clusters/<int:cluster_id>/names")
    def page(cluster_id: int):  # type: ignore[no-untyped-def]
        return render_template("names/page.html", **{name: f"plugin's {name}" for name in PLUGIN_NAMES})

    module = types.ModuleType("names")
    module.designing_clusters_tool_info = hookimpl(lambda: ToolInfo(slug="names", title="Names", summary="", version="1"))
    module.designing_clusters_blueprints = hookimpl(lambda: [bp])
    return module


def test_a_plugin_page_keeps_its_own_variables_and_the_layout_still_works(make_app, tmp_path):
    app = make_app(EXTRA_PLUGINS=[(names_page_plugin(tmp_path), "names")])
    client = app.test_client()
    user = create_user()
    first, second = create_cluster(manager=user, name="First valley"), create_cluster(name="Second valley")
    add_member(second, user)
    login(client, user)
    response = client.get(f"/clusters/{first.id}/names")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for name in PLUGIN_NAMES:
        assert f"<p>{name}=plugin&#39;s {name}</p>" in html
    assert "Switch cluster" in html and "Second valley" in html  # the layout's own switcher
    assert f"/clusters/{first.id}/sample" in html  # the layout's cluster navigation


def _assignments_outside_scopes(node: nodes.Node, inside_scope: bool = False) -> list[str]:
    """Names a template assigns at its top level, where they would leak into child blocks."""
    found: list[str] = []
    for child in node.iter_child_nodes():
        scoped = inside_scope or isinstance(child, (nodes.Macro, nodes.CallBlock, nodes.Block, nodes.With, nodes.For))
        if isinstance(child, (nodes.Assign, nodes.AssignBlock)) and not inside_scope:
            found += [n.name for n in child.find_all(nodes.Name) if n.ctx == "store"]
        found += _assignments_outside_scopes(child, scoped)
    return found


def test_the_layout_assigns_nothing_at_top_level_and_reads_only_layout_names():
    env = jinja2.Environment(autoescape=True)
    for name in LAYOUT_FILES:
        tree = env.parse((TEMPLATES / name).read_text())
        assert _assignments_outside_scopes(tree) == [], name
        unknown = meta.find_undeclared_variables(tree) - set(LAYOUT_NAMES) - set(LABEL_NAMES) - FRAMEWORK_NAMES
        assert unknown == set(), f"{name} reads names a plugin could shadow: {sorted(unknown)}"
    assert all(name.startswith("layout_") for name in LAYOUT_NAMES)
