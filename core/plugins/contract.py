"""A contract check any plugin's own test suite can run against a built app.

Usage in a plugin package's tests::

    from core.api import check_plugin_contract

    def test_my_plugin_honours_the_contract(app):
        assert check_plugin_contract(app, "mytool") == []

It returns the list of problems found (empty when the plugin complies):

- every hook the plugin implements is called with sample arguments and its
  result checked against the hook's declared type (hooks declared ``-> None``,
  which write to the database, are not called);
- blueprints are named after the slug; a cluster route whose URL has no
  ``cluster_id`` cannot be guarded by core;
- public pages and downloads answer 200 to an anonymous visitor;
- the plugin's tables are prefixed ``<slug>_``;
- its models need no migration beyond those it ships (on a migrated database);
- its templates live under ``templates/<slug>/`` (or ``<slug>_…/``), and its
  email templates are ``templates/emails/<slug>_….{txt,html}``, so they can
  neither shadow core's layout nor another plugin's pages.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from core import migrations
from core.extensions import Base, db
from core.plugins import hookspecs
from core.plugins.checking import HookResultError, expected_return_types, spec_hints
from core.plugins.types import ToolInfo

_VISITED_HOOKS = ("designing_clusters_public_pages", "designing_clusters_downloads")


def check_plugin_contract(app: Flask, slug: str) -> list[str]:
    host = app.extensions["plugin_host"]
    info = host.tools.get(slug)
    if not isinstance(info, ToolInfo):
        return [f"no plugin with slug {slug!r} is loaded"]
    names = {name for name, owner in host.slug_by_plugin_name.items() if owner == slug}
    problems = _route_problems(app, host, slug)
    with app.test_request_context(base_url=app.config.get("BASE_URL", "http://localhost")):
        problems += _hook_problems(app, host, names)
    problems += _table_problems(host, names, slug)
    problems += _migration_problems(app, slug)
    problems += _template_problems(app, host, slug)
    return problems


def _route_problems(app: Flask, host: Any, slug: str) -> list[str]:
    problems = []
    for rule in app.url_map.iter_rules():
        if host.blueprint_owner.get(rule.endpoint.split(".", 1)[0]) != slug:
            continue
        if rule.rule.startswith("/clusters/") and "cluster_id" not in rule.arguments:
            problems.append(f"{rule.rule}: cluster pages must take cluster_id so core can check membership")
    return problems


def _hook_problems(app: Flask, host: Any, names: set[str]) -> list[str]:
    problems: list[str] = []
    client = app.test_client()
    for hook_name, expected in expected_return_types(hookspecs).items():
        if expected is type(None):
            continue  # writes to the database: checked when really called
        for impl in getattr(host.pm.hook, hook_name).get_hookimpls():
            if impl.plugin_name not in names:
                continue
            try:
                kwargs = {arg: sample_argument(hook_name, arg) for arg in impl.argnames}
                items = host.call_impl(impl, hook_name, **kwargs)
            except HookResultError as exc:
                problems.append(f"{hook_name}: expected {exc.expected}, got {exc.got}")
                continue
            except Exception as exc:  # noqa: BLE001 - reported, not raised
                problems.append(f"{hook_name} raised {exc!r} with sample arguments")
                continue
            if hook_name in _VISITED_HOOKS:
                for item in items:
                    status = client.get(item.url).status_code
                    if status != 200:
                        problems.append(f"{hook_name}: {item.url} answers {status} to a visitor")
    return problems


def sample_argument(hook_name: str, argument: str) -> Any:
    """A plausible value for a hook's argument, built from the spec's annotation.

    Frozen dataclasses are filled field by field (ids 0, empty strings, the
    first ``Literal`` choice), so hooks added later get samples too.
    """
    return _sample(spec_hints(hookspecs)[hook_name].get(argument, Any), argument)


def _sample(annotation: Any, name: str) -> Any:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return None if type(None) in args else _sample(args[0], name)
    if origin is typing.Literal:
        return args[0]
    if origin in (list, tuple, set, frozenset, dict):
        return origin()
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        hints = typing.get_type_hints(annotation, globalns=vars(inspect.getmodule(annotation)))
        values = {}
        for item in dataclasses.fields(annotation):
            if item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING:
                values[item.name] = _sample(hints[item.name], item.name)
        return annotation(**values)
    if annotation is bool:
        return False
    if annotation in (int, float):
        return annotation(0)
    if annotation is str:
        return f"contract-check-{name}"
    return None


def _plugin_packages(host: Any, names: set[str]) -> list[str]:
    packages = []
    for name in names:
        module = host.pm.get_plugin(name)
        module_name = getattr(module, "__name__", "")
        is_package = hasattr(module, "__path__")
        packages.append(module_name if is_package or "." not in module_name else module_name.rsplit(".", 1)[0])
    return [p for p in packages if p]


def _table_problems(host: Any, names: set[str], slug: str) -> list[str]:
    packages = _plugin_packages(host, names)
    problems = []
    for mapper in Base.registry.mappers:
        module = mapper.class_.__module__
        if not any(module == p or module.startswith(p + ".") for p in packages):
            continue
        for table in mapper.tables:
            if not table.name.startswith(slug + "_"):
                problems.append(f"table {table.name!r} ({mapper.class_.__name__}) must be prefixed {slug + '_'!r}")
    return problems


def _migration_problems(app: Flask, slug: str) -> list[str]:
    """On the migrated test database, the plugin's models need no new migration."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, **migrations.branch_filters(app, slug)}
        )
        differences = compare_metadata(context, db.metadata)
    return [
        f"models and migrations differ ({_describe_difference(d)}): "
        f"run designing-clusters db revision --branch {slug} -m '...'"
        for d in differences
    ]


def _describe_difference(difference: Any) -> str:
    change = difference[0] if isinstance(difference, list) else difference
    name = next((getattr(part, "name", None) for part in change[1:] if getattr(part, "name", None)), "")
    return f"{change[0]} {name}".strip()


def _template_problems(app: Flask, host: Any, slug: str) -> list[str]:
    problems = []
    for name, blueprint in app.blueprints.items():
        if host.blueprint_owner.get(name) != slug or not blueprint.template_folder:
            continue
        folder = Path(blueprint.root_path, blueprint.template_folder)
        for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
            if entry.is_dir() and (entry.name == slug or entry.name.startswith(slug + "_")):
                continue
            if entry.is_dir() and entry.name == "emails":  # send_email renders emails/<name>
                problems += [
                    f"email template 'emails/{mail.name}' of blueprint {name!r} must be named '{slug}_…'"
                    for mail in sorted(entry.iterdir()) if not mail.name.startswith(slug + "_")
                ]
                continue
            problems.append(
                f"template {entry.name!r} of blueprint {name!r} must live under templates/{slug}/ "
                f"so it cannot shadow core's or another plugin's templates"
            )
    return problems
