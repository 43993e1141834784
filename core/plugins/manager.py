"""Loads plugins from the entry-point group and calls their hooks safely.

One ``PluginHost`` lives on each app (``app.extensions["plugin_host"]``), never
as a module global, so tests can build apps with different plugin sets.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, Callable, Iterable, Iterator

import pluggy
from flask import Blueprint

from core.extensions import db
from core.plugins import hookspecs
from core.plugins.checking import HookResultError, check_result
from core.plugins.types import API_VERSION, ToolInfo

log = logging.getLogger(__name__)
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class PluginLoadError(RuntimeError):
    """A plugin cannot be loaded; the message names it and says why."""


@dataclass(frozen=True)
class HookFailure:
    plugin: str
    hook: str


class PluginHost:
    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.tools: dict[str, ToolInfo] = {}
        self.slug_by_plugin_name: dict[str, str] = {}
        self.blueprint_owner: dict[str, str] = {}

    # -- loading -----------------------------------------------------------
    def load_entry_points(self, only: Iterable[str] | None = None) -> None:
        wanted = set(only) if only is not None else None
        for ep in sorted(entry_points(group=hookspecs.ENTRY_POINT_GROUP), key=lambda e: e.name):
            if wanted is not None and ep.name not in wanted:
                continue
            try:
                module = ep.load()
            except Exception as exc:  # reported with the plugin's name, then raised
                raise PluginLoadError(f"plugin '{ep.name}' failed to import: {exc!r}") from exc
            self.register(module, ep.name)

    def register(self, module: object, name: str) -> None:
        try:
            self.pm.register(module, name=name)
        except ValueError as exc:
            raise PluginLoadError(f"plugin '{name}' could not be registered: {exc}") from exc
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            self.pm.unregister(name=name)
            raise PluginLoadError(f"plugin '{name}' implements an unknown hook: {_suggest(exc)}") from exc
        self._validate_info(module, name)

    def _validate_info(self, module: object, name: str) -> None:
        def refuse(reason: str) -> PluginLoadError:
            self.pm.unregister(name=name)
            return PluginLoadError(f"plugin '{name}' {reason}")

        for required in hookspecs.REQUIRED_HOOKS:
            if name not in {i.plugin_name for i in getattr(self.pm.hook, required).get_hookimpls()}:
                raise refuse(f"is missing the required hook {required}")
        info = module.designing_clusters_tool_info()  # type: ignore[attr-defined]
        if not isinstance(info, ToolInfo):
            raise refuse("must return a ToolInfo from designing_clusters_tool_info")
        try:
            check_result(hookspecs, name, "designing_clusters_tool_info", info)
        except HookResultError as exc:
            raise refuse(f"returned a ToolInfo with wrong field types: got {exc.got}") from exc
        if not SLUG_PATTERN.match(info.slug):
            raise refuse(f"has slug {info.slug!r}: use lower-case letters, digits and _")
        if info.slug in self.tools:
            raise refuse(f"has duplicate slug {info.slug!r}")
        if info.api_version != API_VERSION:
            raise refuse(f"is written for plugin API {info.api_version}; the platform offers {API_VERSION}")
        self.tools[info.slug] = info
        self.slug_by_plugin_name[name] = info.slug

    def blueprints(self) -> list[tuple[str, Blueprint]]:
        """(slug, blueprint) pairs, checked to be named after their plugin."""
        found: list[tuple[str, Blueprint]] = []
        for impl in self.pm.hook.designing_clusters_blueprints.get_hookimpls():
            slug = self.slug_by_plugin_name[impl.plugin_name]
            try:
                blueprints = self.call_impl(impl, "designing_clusters_blueprints")
            except HookResultError as exc:
                raise PluginLoadError(str(exc)) from exc
            for bp in blueprints:
                if bp.name != slug and not bp.name.startswith(slug + "_"):
                    raise PluginLoadError(
                        f"plugin '{impl.plugin_name}': blueprint {bp.name!r} must be named {slug!r} "
                        f"or start with '{slug}_' (e.g. '{slug}_public'), after the plugin's slug"
                    )
                self.blueprint_owner[bp.name] = slug
                found.append((slug, bp))
        return found

    def plugin_slug(self, plugin_name: str) -> str:
        return self.slug_by_plugin_name[plugin_name]

    # -- calling -------------------------------------------------------------
    def call_impl(self, impl: pluggy.HookImpl, hook_name: str, **kwargs: Any) -> list[Any]:
        """Call one plugin's implementation and check its result's type.

        Returns the result as a list (``[]`` for ``None``, ``[value]`` for a
        single-value hook). Raises whatever the plugin raised, or
        ``HookResultError`` when the result is not the hook's declared type.
        """
        value = impl.function(**{k: kwargs[k] for k in impl.argnames})
        check_result(hookspecs, impl.plugin_name, hook_name, value)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    def results(self, hook_name: str, **kwargs: Any) -> Iterator[tuple[str, list[Any]]]:
        """(slug, checked results) of every plugin, enabled or not; errors propagate.

        For start-up and background callers (commands, periodic jobs), where a
        plugin's mistake must stop the operation loudly rather than be hidden.
        """
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            slug = self.slug_by_plugin_name.get(impl.plugin_name, impl.plugin_name)
            yield slug, self.call_impl(impl, hook_name, **kwargs)

    # -- calling at request time -------------------------------------------
    def call_safely(
        self,
        hook_name: str,
        enabled: Callable[[str], bool] = lambda slug: True,
        **kwargs: Any,
    ) -> tuple[list[Any], list[HookFailure]]:
        """Call a list hook on every enabled plugin; one plugin's error is contained.

        Returns the flattened results sorted by ``order`` and the failures, so a
        page can show a notice in place of the failing plugin's part.
        """
        results: list[Any] = []
        failures: list[HookFailure] = []
        for slug, items in self.call_each(hook_name, enabled, **kwargs):
            if items is None:
                failures.append(HookFailure(plugin=slug, hook=hook_name))
            else:
                results.extend(items)
        results.sort(key=lambda item: getattr(item, "order", 100))
        return results, failures

    def call_each(
        self, hook_name: str, enabled: Callable[[str], bool], **kwargs: Any
    ) -> Iterator[tuple[str, list[Any] | None]]:
        """(slug, results) per enabled plugin; results is None when the plugin failed.

        Failing means raising or returning something other than the hook's
        declared type (logged with the plugin, hook, expected and actual type).
        """
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            slug = self.slug_by_plugin_name.get(impl.plugin_name, impl.plugin_name)
            if not enabled(slug):
                continue
            try:
                items = self.call_impl(impl, hook_name, **kwargs)
            except HookResultError as exc:
                log.error("%s", exc, extra={"plugin": exc.plugin, "hook": exc.hook})
                yield slug, None
                continue
            except Exception:  # logged: a plugin must never take a page down
                log.exception("plugin %s failed in %s", impl.plugin_name, hook_name)
                _rollback_quietly()
                yield slug, None
                continue
            yield slug, items


def _suggest(exc: pluggy.PluginValidationError) -> str:
    """pluggy's message plus the nearest known hook name, when one is close."""
    prefix = hookspecs.PROJECT_NAME + "_"
    known = sorted(name for name in vars(hookspecs) if name.startswith(prefix))
    unknown = re.search(r"unknown hook '([^']+)'", str(exc))
    # Compared without the shared prefix, which would make every name look close.
    stems = {name.removeprefix(prefix): name for name in known}
    wanted = unknown.group(1).removeprefix(prefix) if unknown else ""
    near = difflib.get_close_matches(wanted, list(stems), n=1, cutoff=0.75)
    hint = f" (did you mean '{stems[near[0]]}'?)" if near else f" (known hooks: {', '.join(known)})"
    return f"{exc}{hint}"


def _rollback_quietly() -> None:
    try:
        db.session.rollback()
    except Exception:  # logged below
        log.exception("rollback after plugin failure failed")

