"""The plugin system: loading, validation, containment, runtime enabling."""

from __future__ import annotations

import types

import pytest
from flask import Blueprint
from markupsafe import Markup

from core.api import ToolInfo, Widget, hookimpl
from core.plugins.manager import PluginHost, PluginLoadError
from tests.factories import create_cluster, create_user, login, manager_of


def plugin_module(name: str, **functions) -> types.ModuleType:
    module = types.ModuleType(name)
    for key, value in functions.items():
        setattr(module, key, value)
    return module


def info(slug: str):
    @hookimpl
    def designing_clusters_tool_info():
        return ToolInfo(slug=slug, title=slug.title(), summary="", version="1")

    return designing_clusters_tool_info


def test_outside_plugin_loads_through_its_entry_point(app):
    host = app.extensions["plugin_host"]
    assert "sample" in host.tools
    assert host.tools["sample"].version == "1.0.0"


def test_outside_plugin_appears_in_tools_list_page_and_dashboard(client):
    home = client.get("/").get_data(as_text=True)
    assert "Sample outside tool" in home and "/tools/sample" in home
    assert client.get("/tools/sample").status_code == 200
    cluster = create_cluster(name="Plugged")
    login(client, manager_of(cluster))
    dashboard = client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    assert "Sample widget for Plugged" in dashboard
    assert f"/clusters/{cluster.id}/sample" in dashboard  # nav item
    assert client.get(f"/clusters/{cluster.id}/sample").status_code == 200


def test_plugin_with_an_unknown_hook_stops_start_up_naming_it():
    @hookimpl
    def designing_clusters_not_a_hook():
        return None

    module = plugin_module("bad", designing_clusters_tool_info=info("bad"), designing_clusters_not_a_hook=designing_clusters_not_a_hook)
    with pytest.raises(PluginLoadError, match=r"plugin 'bad-plugin'.*unknown hook") as refused:
        PluginHost().register(module, "bad-plugin")
    assert "known hooks:" in str(refused.value)  # nothing close: the list to choose from


def test_a_misspelt_hook_name_suggests_the_near_one():
    @hookimpl
    def designing_clusters_dashboard_widget(cluster):
        return []

    module = plugin_module("typo", designing_clusters_tool_info=info("typo"),
                           designing_clusters_dashboard_widget=designing_clusters_dashboard_widget)
    with pytest.raises(PluginLoadError, match="did you mean 'designing_clusters_dashboard_widgets'"):
        PluginHost().register(module, "typo")


def test_plugin_without_tool_info_is_refused():
    @hookimpl
    def designing_clusters_public_pages():
        return []

    with pytest.raises(PluginLoadError, match="plugin 'no-info' is missing the required hook"):
        PluginHost().register(plugin_module("x", designing_clusters_public_pages=designing_clusters_public_pages), "no-info")


def test_duplicate_slug_is_refused():
    host = PluginHost()
    host.register(plugin_module("a", designing_clusters_tool_info=info("same")), "first")
    with pytest.raises(PluginLoadError, match=r"plugin .second. has duplicate slug .same."):
        host.register(plugin_module("b", designing_clusters_tool_info=info("same")), "second")


def test_plugin_that_fails_to_import_stops_start_up_naming_it(monkeypatch):
    class BrokenEntryPoint:
        name = "broken"
        group = "designing_clusters.plugins"

        def load(self):
            raise ImportError("No module named 'missing_dependency'")

    monkeypatch.setattr("core.plugins.manager.entry_points", lambda group: [BrokenEntryPoint()])
    with pytest.raises(PluginLoadError, match=r"plugin 'broken' failed to import.*missing_dependency"):
        PluginHost().load_entry_points()


def test_blueprint_must_be_named_after_the_slug():
    @hookimpl
    def designing_clusters_blueprints():
        return [Blueprint("elsewhere", __name__)]

    host = PluginHost()
    host.register(plugin_module("m", designing_clusters_tool_info=info("named"), designing_clusters_blueprints=designing_clusters_blueprints), "named-plugin")
    with pytest.raises(PluginLoadError, match="blueprint 'elsewhere' must be named 'named' or start with 'named_'"):
        host.blueprints()


def test_a_widget_that_raises_is_contained_and_the_page_still_renders(make_app):
    @hookimpl
    def designing_clusters_dashboard_widgets(cluster):
        raise RuntimeError("boom")

    broken = plugin_module("broken", designing_clusters_tool_info=info("broken"), designing_clusters_dashboard_widgets=designing_clusters_dashboard_widgets)
    app = make_app(EXTRA_PLUGINS=[(broken, "broken")])
    client = app.test_client()
    cluster = create_cluster(name="Resilient")
    login(client, manager_of(cluster))
    response = client.get(f"/clusters/{cluster.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "The broken tool could not show its summary" in html
    assert "Sample widget for Resilient" in html


def test_hook_results_are_sorted_by_order_not_load_order(make_app):
    @hookimpl
    def designing_clusters_dashboard_widgets(cluster):
        return [Widget("Zeroth widget", Markup("<p>first by order</p>"), order=0)]

    early = plugin_module("early", designing_clusters_tool_info=info("early"), designing_clusters_dashboard_widgets=designing_clusters_dashboard_widgets)
    app = make_app(EXTRA_PLUGINS=[(early, "early")])
    client = app.test_client()
    cluster = create_cluster(name="Ordered")
    login(client, manager_of(cluster))
    html = client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    assert html.index("Zeroth widget") < html.index("Sample widget")


def test_disabled_tool_disappears_and_its_urls_answer_404_without_restart(app, client):
    admin = create_user(is_admin=True)
    cluster = create_cluster(manager=admin, name="Toggle")
    login(client, admin)
    assert client.get("/tools/sample").status_code == 200
    client.post("/admin/plugins/sample/toggle", data={"enable": "0", "confirm": "yes"})
    assert client.get("/tools/sample").status_code == 404
    assert client.get(f"/clusters/{cluster.id}/sample").status_code == 404
    assert "Sample widget" not in client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    assert "Sample outside tool" not in client.get("/").get_data(as_text=True)
    client.post("/admin/plugins/sample/toggle", data={"enable": "1"})
    assert client.get("/tools/sample").status_code == 200


def test_plugins_list_command_names_every_plugin(app):
    result = app.test_cli_runner().invoke(args=["plugins", "list"])
    assert result.exit_code == 0
    assert "sample" in result.output and "1.0.0" in result.output


def test_tool_info_with_wrongly_typed_fields_is_refused():
    @hookimpl
    def designing_clusters_tool_info():
        return ToolInfo(slug="typed", title="Typed", summary="", version=1.0)  # type: ignore[arg-type]

    with pytest.raises(PluginLoadError, match="plugin 'typed' returned a ToolInfo with wrong field types: got ToolInfo whose version is float"):
        PluginHost().register(plugin_module("typed", designing_clusters_tool_info=designing_clusters_tool_info), "typed")
