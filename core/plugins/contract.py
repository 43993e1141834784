"""A contract check any plugin's own test suite can run against a built app.

Usage in a plugin package's tests::

    from core.api import check_plugin_contract

    def test_my_plugin_honours_the_contract(app):
        assert check_plugin_contract(app, "mytool") == []

It returns the list of problems found (empty when the plugin complies): a
missing or mistyped result, a blueprint not named after the slug, a public
page or download that does not answer 200 to an anonymous visitor, a cluster
route that core cannot guard because its URL has no ``cluster_id``.
"""

from __future__ import annotations

from flask import Flask

from core.plugins.types import ClusterContext, Download, NavItem, PublicPage, ToolInfo

_LIST_HOOKS = {
    "designing_clusters_public_pages": PublicPage,
    "designing_clusters_downloads": Download,
}


def check_plugin_contract(app: Flask, slug: str) -> list[str]:
    host = app.extensions["plugin_host"]
    info = host.tools.get(slug)
    if not isinstance(info, ToolInfo):
        return [f"no plugin with slug {slug!r} is loaded"]
    problems: list[str] = []
    names = {name for name, owner in host.slug_by_plugin_name.items() if owner == slug}
    for rule in app.url_map.iter_rules():
        owner = host.blueprint_owner.get(rule.endpoint.split(".", 1)[0])
        if owner != slug:
            continue
        if rule.rule.startswith("/clusters/") and "cluster_id" not in rule.arguments:
            problems.append(f"{rule.rule}: cluster pages must take cluster_id so core can check membership")
    client = app.test_client()
    with app.test_request_context(base_url=app.config.get("BASE_URL", "http://localhost")):
        for hook_name, expected in _LIST_HOOKS.items():
            for impl in getattr(host.pm.hook, hook_name).get_hookimpls():
                if impl.plugin_name not in names:
                    continue
                for item in impl.function() or []:
                    if not isinstance(item, expected):
                        problems.append(f"{hook_name} returned {type(item).__name__}, not {expected.__name__}")
                        continue
                    status = client.get(item.url).status_code
                    if status != 200:
                        problems.append(f"{hook_name}: {item.url} answers {status} to a visitor")
        sample = ClusterContext(id=0, name="Contract check", user_id=0, role="manager", organisation_type="other")
        for impl in host.pm.hook.designing_clusters_nav_items.get_hookimpls():
            if impl.plugin_name in names:
                for item in impl.function(cluster=sample) or []:
                    if not isinstance(item, NavItem):
                        problems.append(f"designing_clusters_nav_items returned {type(item).__name__}, not NavItem")
    return problems
