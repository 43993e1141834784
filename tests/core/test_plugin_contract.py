"""The contract kit plugin authors run, applied to every plugin we ship."""

from __future__ import annotations

import types

from flask import Blueprint, url_for

from core.api import PublicPage, ToolInfo, check_plugin_contract, hookimpl


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
        return [PublicPage("Shaky page", url_for("shaky.page")), "not a PublicPage"]

    module = types.ModuleType("shaky")
    for hook in (designing_clusters_tool_info, designing_clusters_blueprints, designing_clusters_public_pages):
        setattr(module, hook.__name__, hook)
    app = make_app(EXTRA_PLUGINS=[(module, "shaky")])
    problems = check_plugin_contract(app, "shaky")
    assert any("/tools/shaky answers 500" in p for p in problems)
    assert any("returned str, not PublicPage" in p for p in problems)
    assert any("/clusters/everyone/shaky" in p for p in problems)
    assert check_plugin_contract(app, "missing") == ["no plugin with slug 'missing' is loaded"]
