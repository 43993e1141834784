"""The canvas's element definitions, read from the versioned data file.

Wording is data (``data/elements.yaml``) so it can be revised without touching
code; code only relies on the element keys, which are stored with each note.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).parent / "data" / "elements.yaml"


@dataclass(frozen=True)
class Element:
    key: str
    number: int
    title: str
    short: str
    definition: str
    questions: tuple[str, ...]
    from_paper: bool


@dataclass(frozen=True)
class Citation:
    authors: str
    year: int
    title: str
    journal: str
    volume: str
    pages: str
    doi: str
    url: str
    #: The source paper's own licence (not ours), e.g. "CC BY 4.0".
    licence: str = ""
    licence_url: str = ""

    @property
    def reference(self) -> str:
        return f"{self.authors} ({self.year}). {self.title}. {self.journal} {self.volume}: {self.pages}"

    @property
    def text(self) -> str:
        return f"{self.reference}. doi:{self.doi}"


@dataclass(frozen=True)
class Licence:
    name: str
    url: str
    line: str


@dataclass(frozen=True)
class Framework:
    """Everything the data file says: version, elements, citation, licence."""

    version: str
    title: str
    attribution: str
    citation: Citation
    licence: Licence
    elements: tuple[Element, ...]
    #: The "changes made" notice an adaptation of a CC BY work must carry.
    changes: str = ""

    @property
    def source_notice(self) -> str:
        """Attribution of the source paper under its own licence, with what we changed."""
        licence = f", licensed under {self.citation.licence} ({self.citation.licence_url})" if self.citation.licence else ""
        return f"Source: {self.citation.text}{licence}. {self.changes}".strip()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(e.key for e in self.elements)

    def get(self, key: str) -> Element | None:
        return next((e for e in self.elements if e.key == key), None)

    def by_key(self) -> dict[str, Element]:
        return {e.key: e for e in self.elements}


def parse_framework(raw: dict) -> Framework:
    """Build and check a framework; a malformed file fails loudly at start-up."""
    elements = tuple(
        Element(
            key=str(item["key"]),
            number=int(item["number"]),
            title=str(item["title"]).strip(),
            short=str(item.get("short") or item["title"]).strip(),
            definition=" ".join(str(item["definition"]).split()),
            questions=tuple(str(q).strip() for q in item["questions"]),
            from_paper=bool(item.get("from_paper", False)),
        )
        for item in raw["elements"]
    )
    if raw["citation"].get("licence", "").startswith("CC BY") and not str(raw.get("changes") or "").strip():
        raise ValueError("an adaptation of a CC BY source needs a 'changes' notice")
    keys = [e.key for e in elements]
    if len(set(keys)) != len(keys):
        raise ValueError("element keys must be unique")
    for element in elements:
        if not 2 <= len(element.questions) <= 4:
            raise ValueError(f"element {element.key!r} needs 2 to 4 guiding questions")
    return Framework(
        version=str(raw["version"]),
        title=str(raw["title"]),
        attribution=" ".join(str(raw["attribution"]).split()),
        citation=Citation(**{k: raw["citation"][k] for k in Citation.__dataclass_fields__ if k in raw["citation"]}),
        licence=Licence(
            name=raw["licence"]["name"], url=raw["licence"]["url"], line=" ".join(raw["licence"]["line"].split())
        ),
        elements=tuple(sorted(elements, key=lambda e: e.number)),
        changes=" ".join(str(raw.get("changes") or "").split()),
    )


@lru_cache(maxsize=1)
def framework() -> Framework:
    with DATA_FILE.open(encoding="utf-8") as fh:
        return parse_framework(yaml.safe_load(fh))
