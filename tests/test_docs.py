"""The plugin authoring guide covers every hook and every type, and is linked from the README."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from core.plugins import hookspecs, types

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "plugins.md").read_text()


def section(heading: str) -> str:
    match = re.search(rf"^### {re.escape(heading)}\n(.*?)(?=^### |^## |\Z)", GUIDE, re.S | re.M)
    assert match, f"docs/plugins.md has no section '### {heading}'"
    return match.group(1)


def anchor(heading: str) -> str:
    return re.sub(r"[^a-z0-9 _-]", "", heading.lower()).replace(" ", "-")


def test_the_readme_links_the_guide():
    assert "(docs/plugins.md)" in (ROOT / "README.md").read_text()


def test_the_table_of_contents_points_at_real_headings():
    headings = {anchor(h) for h in re.findall(r"^## (.+)$", GUIDE, re.M)}
    links = re.findall(r"^\d+\. \[[^\]]+\]\(#([^)]+)\)", GUIDE, re.M)
    assert len(links) >= 12
    assert [link for link in links if link not in headings] == []


def test_every_hook_is_documented_with_when_arguments_returns_errors_example_and_template():
    hooks = [name for name in vars(hookspecs) if name.startswith(hookspecs.PROJECT_NAME + "_")
             and callable(getattr(hookspecs, name))]
    assert len(hooks) >= 15
    for hook in hooks:
        text = section(hook)
        for part in ("- **When**", "- **Arguments**", "- **Returns**", "- **Errors**", "- **Renders in**", "```python"):
            assert part in text, f"{hook}: missing {part}"
        assert f"def {hook}(" in text, f"{hook}: the example implements another hook"


def test_every_type_and_field_is_documented():
    dataclass_types = [value for value in vars(types).values()
                       if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == types.__name__]
    assert len(dataclass_types) >= 12
    for cls in dataclass_types:
        text = section(cls.__name__)
        missing = [f.name for f in dataclasses.fields(cls) if f"`{f.name}:" not in text and f"`{f.name}`" not in text]
        assert missing == [], f"{cls.__name__}: fields not documented: {missing}"
