"""Run-time checks of hook results against the hookspecs' own annotations.

The expected type of every hook is read from its spec's return annotation in
``core/plugins/hookspecs.py``, so a hook added there later is checked with no
change here. A result that does not match raises ``HookResultError``, which
the host treats like an exception raised by the plugin: contained at request
time (logged, a notice in place of the plugin's part), fatal at start-up.

What "matches" means, for an annotation ``T``:

- ``None`` from any hook means "nothing to add" (pluggy's convention);
- ``list[X]`` needs a real ``list`` (not a tuple, dict or single item) whose
  every element matches ``X``;
- a frozen dataclass needs an instance whose fields match their own
  annotations (a ``Widget`` whose ``html`` is a plain ``str`` is refused:
  it would be shown escaped);
- unions, ``Literal``, ``tuple[X, ...]``, ``dict[K, V]`` and ``Callable``
  are checked structurally; ``Any`` and type variables accept anything.
"""

from __future__ import annotations

import ast
import collections.abc
import dataclasses
import functools
import inspect
import re
import types
import typing
from typing import Any


class HookResultError(TypeError):
    """A hook returned something other than its declared type."""

    def __init__(self, plugin: str, hook: str, expected: str, got: str) -> None:
        self.plugin, self.hook, self.expected, self.got = plugin, hook, expected, got
        super().__init__(f"plugin '{plugin}' returned the wrong type from {hook}: expected {expected}, got {got}")


def _type_checking_names(module: types.ModuleType) -> dict[str, Any]:
    """Names a module imports only under ``if TYPE_CHECKING:``, imported for real."""
    names: dict[str, Any] = {}
    tree = ast.parse(inspect.getsource(module))
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            block = ast.Module(body=[n for n in node.body if isinstance(n, (ast.Import, ast.ImportFrom))], type_ignores=[])
            exec(compile(block, module.__name__, "exec"), names)  # noqa: S102 - the module's own import lines
    names.pop("__builtins__", None)
    return names


@functools.cache
def spec_hints(spec_module: types.ModuleType) -> dict[str, dict[str, Any]]:
    """``{hook name: {argument or "return": resolved annotation}}`` for every spec."""
    extra = _type_checking_names(spec_module)
    return {
        name: typing.get_type_hints(function, globalns=vars(spec_module), localns=extra)
        for name, function in vars(spec_module).items()
        if name.startswith(spec_module.PROJECT_NAME + "_") and callable(function)
    }


def expected_return_types(spec_module: types.ModuleType) -> dict[str, Any]:
    """``{hook name: resolved return annotation}`` for every spec in the module."""
    return {name: hints.get("return", Any) for name, hints in spec_hints(spec_module).items()}


@functools.cache
def _field_types(cls: type) -> dict[str, Any]:
    module = inspect.getmodule(cls)
    return typing.get_type_hints(cls, globalns=vars(module) if module else None)


def describe(annotation: Any) -> str:
    """``list[Widget]`` rather than ``list[core.plugins.types.Widget]``."""
    if annotation is type(None) or annotation is None:
        return "None"
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return annotation.__name__
    return re.sub(r"\b(?:[A-Za-z_]\w*\.)+(\w+)", r"\1", repr(annotation))


def _mismatch(value: Any, annotation: Any) -> str | None:
    """None when ``value`` matches ``annotation``, else a description of what came."""
    if annotation is Any or isinstance(annotation, typing.TypeVar):
        return None
    if annotation is None or annotation is type(None):
        return None if value is None else type(value).__name__
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        problems = [_mismatch(value, option) for option in args]
        return None if any(p is None for p in problems) else type(value).__name__
    if origin is typing.Literal:
        return None if value in args else repr(value)
    if origin is collections.abc.Callable or annotation is collections.abc.Callable:
        return None if callable(value) else type(value).__name__
    if origin in (list, tuple, set, frozenset, dict):
        if not isinstance(value, origin):
            return type(value).__name__
        return _mismatch_in_container(value, origin, args)
    if origin is not None:  # another generic (e.g. Mapping[...]): check the container only
        return None if isinstance(value, origin) else type(value).__name__
    if isinstance(annotation, type):
        if not isinstance(value, annotation):
            return type(value).__name__
        if dataclasses.is_dataclass(annotation):
            for item in dataclasses.fields(annotation):
                problem = _mismatch(getattr(value, item.name), _field_types(annotation).get(item.name, Any))
                if problem is not None:
                    return f"{type(value).__name__} whose {item.name} is {problem}"
    return None


def _mismatch_in_container(value: Any, origin: type, args: tuple[Any, ...]) -> str | None:
    if not args:
        return None
    if origin is dict:
        for key, item in value.items():
            problem = _mismatch(key, args[0]) or _mismatch(item, args[1])
            if problem is not None:
                return f"dict with {problem} at key {key!r}"
        return None
    if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
        if len(value) != len(args):
            return f"tuple of {len(value)} items"
        pairs = list(zip(value, args, strict=True))
    else:
        pairs = [(item, args[0]) for item in value]
    for position, (item, expected) in enumerate(pairs):
        problem = _mismatch(item, expected)
        if problem is not None:
            return f"{origin.__name__} with {problem} at position {position}"
    return None


def check_result(spec_module: types.ModuleType, plugin: str, hook: str, value: Any) -> Any:
    """Return ``value`` unchanged when it matches the hook's declared type.

    Raises ``HookResultError`` naming the plugin, the hook, the expected type
    and what came instead. ``None`` always passes (the plugin adds nothing).
    """
    if value is None:
        return None
    expected = expected_return_types(spec_module).get(hook, Any)
    problem = _mismatch(value, expected)
    if problem is not None:
        raise HookResultError(plugin, hook, describe(expected), problem)
    return value
