"""``designing-clusters plugins new SLUG``: a working plugin package to start from.

The files under ``core/plugins/scaffold/`` are copied with their placeholders
(``__slug__``, ``__package__``, ``__title__``, ``__api_version__``,
``__date__``) filled in, in file names too. The result has a pyproject with
the entry point, ``plugin.py``, a view with a CSRF-protected form, templates,
a model with its first migration, a widget, a report section, demo data and
tests that pass, the contract check included, as generated.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from core.plugins.manager import SLUG_PATTERN
from core.plugins.types import API_VERSION

TEMPLATE_DIR = Path(__file__).resolve().parent / "scaffold"
SUFFIX = ".tmpl"


class ScaffoldError(ValueError):
    """The package cannot be generated; the message says why."""


def scaffold_plugin(slug: str, into: Path, title: str | None = None) -> Path:
    """Write the package ``designing-clusters-<slug>/`` under ``into``; return its folder.

    Raises ``ScaffoldError`` for a slug the platform would refuse or a folder
    that already exists (nothing is overwritten).
    """
    if not SLUG_PATTERN.match(slug):
        raise ScaffoldError(f"slug {slug!r} is not valid: use 2 to 40 lower-case letters, digits and _, starting with a letter")
    target = into / f"designing-clusters-{slug.replace('_', '-')}"
    if target.exists():
        raise ScaffoldError(f"{target} already exists; choose another folder with --into")
    values = {
        "__package__": f"dc_{slug}",
        "__slug__": slug,
        "__title__": title or slug.replace("_", " ").capitalize(),
        "__api_version__": str(API_VERSION),
        "__date__": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
    }
    for source in sorted(TEMPLATE_DIR.rglob(f"*{SUFFIX}")):
        relative = _fill(str(source.relative_to(TEMPLATE_DIR))[: -len(SUFFIX)], values)
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(_fill(source.read_text(), values))
    return target


def _fill(text: str, values: dict[str, str]) -> str:
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text
