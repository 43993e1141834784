"""Hook results are checked against the hookspecs' declared types when they come back.

Each wrong shape below is one an outside author actually produced; each is
logged with the plugin, the hook, what was expected and what came, and is
contained like an exception (a notice in place of the plugin's part).
"""

from __future__ import annotations

import logging
import types

import pytest
from flask import url_for
from markupsafe import Markup

from core.api import ClusterContext, NavItem, PeriodicJob, ReportSection, ToolInfo, Widget, hookimpl
from core.plugins import hookspecs
from core.plugins.checking import HookResultError, check_result, expected_return_types
from core.plugins.jobs import periodic_jobs
from tests.factories import create_cluster, login, manager_of


def plugin(slug: str, **hooks) -> types.ModuleType:
    module = types.ModuleType(slug)

    @hookimpl
    def designing_clusters_tool_info():
        return ToolInfo(slug=slug, title=slug.title(), summary="", version="1")

    module.designing_clusters_tool_info = designing_clusters_tool_info
    for name, function in hooks.items():
        setattr(module, f"designing_clusters_{name}", hookimpl(function))
    return module


WRONG_WIDGETS = {
    "a dict": lambda cluster: [{"title": "Dict widget", "html": "<p>x</p>", "order": 0}],
    "a bare Markup": lambda cluster: Markup("<p>bare markup widget</p>"),
    "a single Widget not in a list": lambda cluster: Widget("Lonely widget", Markup("<p>x</p>")),
    "a tuple of Widgets": lambda cluster: (Widget("Tupled widget", Markup("<p>x</p>")),),
    "a Widget whose html is a plain str": lambda cluster: [Widget("Plain widget", "<p>x</p>")],  # type: ignore[arg-type]
}


@pytest.mark.parametrize("shape", WRONG_WIDGETS)
def test_a_wrong_widget_is_logged_and_replaced_by_a_notice(make_app, caplog, shape):
    app = make_app(EXTRA_PLUGINS=[(plugin("wonky", dashboard_widgets=WRONG_WIDGETS[shape]), "wonky")])
    client = app.test_client()
    cluster = create_cluster(name="Checked")
    login(client, manager_of(cluster))
    with caplog.at_level(logging.ERROR, logger="core.plugins.manager"):
        response = client.get(f"/clusters/{cluster.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The wonky tool could not show its summary" in html
    assert "Sample widget for Checked" in html  # the other plugins' parts still render
    assert "bound method" not in html
    message = next(r.getMessage() for r in caplog.records if "designing_clusters_dashboard_widgets" in r.getMessage())
    assert "plugin 'wonky'" in message and "expected list[Widget]" in message and "got " in message


def test_a_nav_item_given_as_a_tuple_is_dropped_and_logged(make_app, caplog):
    app = make_app(EXTRA_PLUGINS=[(plugin("tupled", nav_items=lambda cluster: [("Tupled", "/x", 1)]), "tupled")])
    client = app.test_client()
    cluster = create_cluster(name="Navigated")
    login(client, manager_of(cluster))
    with caplog.at_level(logging.ERROR, logger="core.plugins.manager"):
        html = client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    assert f"/clusters/{cluster.id}/sample" in html  # other plugins' links still there
    assert "expected list[NavItem], got list with tuple at position 0" in caplog.text


def test_report_sections_given_as_a_string_count_as_a_failure(make_app, caplog):
    app = make_app(EXTRA_PLUGINS=[(plugin("stringy", report_sections=lambda cluster: "<h2>My section</h2>"), "stringy")])
    context = ClusterContext(id=1, name="Any", user_id=1, role="manager", organisation_type="sme")
    with app.test_request_context(), caplog.at_level(logging.ERROR, logger="core.plugins.manager"):
        outcome = dict(app.extensions["plugin_host"].call_each(
            "designing_clusters_report_sections", lambda slug: True, cluster=context))
    assert outcome["stringy"] is None
    assert "plugin 'stringy' returned the wrong type from designing_clusters_report_sections" in caplog.text
    assert "expected list[ReportSection], got str" in caplog.text


def test_right_results_pass_unchanged(make_app):
    section = ReportSection("key", "Title", Markup("<p>x</p>"))
    app = make_app(EXTRA_PLUGINS=[(plugin("tidy", report_sections=lambda cluster: [section]), "tidy")])
    context = ClusterContext(id=1, name="Any", user_id=1, role="manager", organisation_type="sme")
    with app.test_request_context():
        outcome = dict(app.extensions["plugin_host"].call_each(
            "designing_clusters_report_sections", lambda slug: True, cluster=context))
    assert outcome["tidy"] == [section]


def test_a_wrong_periodic_job_list_stops_the_worker_naming_the_plugin(make_app):
    job = PeriodicJob("tick", lambda: "ticked", every_seconds=60)
    # The worker's Celery app reads the jobs as it is built (the test apps build one too).
    with pytest.raises(HookResultError, match=r"plugin 'ticking'.*periodic_jobs: expected list\[PeriodicJob\], got tuple"):
        periodic_jobs(make_app(EXTRA_PLUGINS=[(plugin("ticking", periodic_jobs=lambda: (job,)), "ticking")]))


def test_a_wrong_blueprint_list_stops_start_up(make_app):
    from core.plugins.manager import PluginLoadError

    with pytest.raises(PluginLoadError, match=r"plugin 'noprint'.*expected list\[Blueprint\], got list with str"):
        make_app(EXTRA_PLUGINS=[(plugin("noprint", blueprints=lambda: ["noprint"]), "noprint")])


def test_every_hook_has_a_checkable_declared_type():
    """A hook added to the hookspecs later is checked too: its annotation must resolve."""
    declared = expected_return_types(hookspecs)
    specs = {name for name in vars(hookspecs) if name.startswith("designing_clusters_") and callable(getattr(hookspecs, name))}
    assert set(declared) == specs
    assert all(value is not None or name.endswith(("_demo_data", "_delete_user_data")) for name, value in declared.items())
    for name, value in declared.items():
        assert value is not object, name


def test_the_checker_reads_any_spec_module_so_new_hooks_need_no_edit(tmp_path):
    """A spec module written after the checker, with its own new type, is checked from its annotations."""
    source = '''
from __future__ import annotations
from dataclasses import dataclass
from typing import TYPE_CHECKING
import pluggy
if TYPE_CHECKING:
    from markupsafe import Markup
PROJECT_NAME = "designing_clusters"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)

@dataclass(frozen=True)
class Divergence:
    key: str
    spread_bp: int

@hookspec
def designing_clusters_divergences(cluster) -> list[Divergence]:
    """New hook."""

@hookspec
def designing_clusters_banner() -> Markup | None:
    """Another new hook, typed with a TYPE_CHECKING-only import."""
'''
    path = tmp_path / "later_specs.py"
    path.write_text(source)
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("later_specs", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["later_specs"] = module
    spec.loader.exec_module(module)
    good = module.Divergence("D1", 2500)
    assert check_result(module, "p", "designing_clusters_divergences", [good]) == [good]
    with pytest.raises(HookResultError, match=r"expected list\[Divergence\], got list with Divergence whose spread_bp is str"):
        check_result(module, "p", "designing_clusters_divergences", [module.Divergence("D1", "25%")])
    assert check_result(module, "p", "designing_clusters_banner", Markup("<b>hi</b>")) == Markup("<b>hi</b>")
    with pytest.raises(HookResultError, match="got int"):
        check_result(module, "p", "designing_clusters_banner", 3)
    del sys.modules["later_specs"]


def test_none_means_nothing_to_add(make_app):
    app = make_app(EXTRA_PLUGINS=[(plugin("quiet", nav_items=lambda cluster: None), "quiet")])
    context = ClusterContext(id=1, name="Any", user_id=1, role="manager", organisation_type="sme")
    with app.test_request_context():
        outcome = dict(app.extensions["plugin_host"].call_each("designing_clusters_nav_items", lambda s: True, cluster=context))
    assert outcome["quiet"] == []
    assert all(isinstance(item, NavItem) for item in outcome["sample"])
    assert url_for  # the sample plugin built its URL inside the request context
