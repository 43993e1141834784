"""The versioned question bank: load, validate and look up by version.

The bank is data, not code (``banks/v<N>.yaml``). Each round records the version
it used, and a published version is never edited, so old results never change.
Every file is validated when the plugin loads; a bad entry stops start-up with
an error that names the file and the entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

BANKS_DIR = Path(__file__).parent / "banks"
ELEMENTS: dict[str, str] = {
    "actors": "Actors and roles",
    "resources": "Resources and capabilities",
    "value_flows": "Value flows",
    "governance": "Governance",
    "value_propositions": "Value propositions",
    "activities": "Value-creating activities",
}
MIN_DRIVERS, MAX_DRIVERS = 12, 20
MIN_STATEMENTS, MAX_STATEMENTS = 3, 5
MIN_RECOMMENDATIONS, MAX_RECOMMENDATIONS = 2, 4
DRIVER_KEY = re.compile(r"^D\d{1,2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: A recommendation's ``source`` is a reference key or this marker.
PRACTICE = "practice"
FACT_KINDS = ("number", "percent", "yes_no", "text")


class BankError(ValueError):
    """A question bank file is invalid; the message names the file and the entry."""


@dataclass(frozen=True)
class Statement:
    key: str
    text: str
    weight: float
    reverse: bool
    driver_key: str


@dataclass(frozen=True)
class Reference:
    """One source: its citation text and where to find it (a DOI, or a URL
    with the date it was read), plus any detail not yet confirmed."""

    key: str
    text: str
    doi: str = ""
    url: str = ""
    accessed: str = ""  # ISO date (YYYY-MM-DD) on which the URL was read
    to_check: str = ""  # details the records did not confirm

    @property
    def link(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else self.url

    @property
    def citation(self) -> str:
        """The full line printed under a driver: text, identifier, open checks."""
        where = f"doi:{self.doi}" if self.doi else f"{self.url} (accessed {self.accessed})"
        check = f" [To be checked: {self.to_check}]" if self.to_check else ""
        return f"{self.text} {where}{check}"


@dataclass(frozen=True)
class BankRecommendation:
    title: str
    text: str
    #: A reference key, ``PRACTICE`` (practitioner practice) or "" (v1: the driver's sources).
    source: str = ""
    #: What to follow to see whether the action works.
    indicator: str = ""
    #: Statement keys whose weak result calls for this action even when the driver is not weak.
    triggers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fact:
    """A fact the cluster manager fills in (the fact sheet), not a member's view."""

    key: str
    label: str
    kind: str  # one of FACT_KINDS
    help: str = ""


@dataclass(frozen=True)
class Driver:
    key: str
    title: str
    weight: float
    explanation: str
    sources: tuple[str, ...]
    statements: tuple[Statement, ...]
    recommendations: tuple[BankRecommendation, ...]
    element_key: str
    #: The key of the driver measuring the same thing in the previous bank
    #: version (None: no mapping, so no comparison across versions).
    previous_key: str | None = None


@dataclass(frozen=True)
class Element:
    key: str
    title: str
    drivers: tuple[Driver, ...]


@dataclass(frozen=True, eq=False)
class QuestionBank:
    version: str
    title: str
    scale: dict[int, str]
    references: dict[str, str]
    elements: tuple[Element, ...]
    #: Structured sources behind ``references`` (same keys).
    sources: dict[str, Reference] = field(default_factory=dict)
    #: What the scores measure, printed on pages and PDFs.
    scope: str = ""
    #: The manager's fact sheet (empty in version 1).
    facts: tuple[Fact, ...] = ()

    @cached_property
    def drivers(self) -> tuple[Driver, ...]:
        return tuple(d for e in self.elements for d in e.drivers)

    @cached_property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for d in self.drivers for s in d.statements)

    @cached_property
    def statement_keys(self) -> frozenset[str]:
        return frozenset(s.key for s in self.statements)

    @cached_property
    def scoring_plan(self) -> tuple[tuple[str, tuple[tuple[str, float, tuple[float, ...]], ...]], ...]:
        """Per driver: (key, statements as (key, weight, points by answer 0-5)).

        Precomputed so that scoring a thousand questionnaires stays a tight loop.
        """
        def points(reverse: bool) -> tuple[float, ...]:
            return (0.0,) + tuple(((6 - v if reverse else v) - 1) * 25.0 for v in range(1, 6))

        return tuple(
            (d.key, tuple((s.key, s.weight, points(s.reverse)) for s in d.statements)) for d in self.drivers
        )

    @cached_property
    def position_plan(self) -> tuple[tuple[str, tuple[tuple[int, float, tuple[float, ...]], ...]], ...]:
        """Like ``scoring_plan`` but addressing statements by their position in
        the bank, for answers stored as a compact code string."""
        index = {s.key: i for i, s in enumerate(self.statements)}
        return tuple(
            (driver_key, tuple((index[key], weight, points) for key, weight, points in statements))
            for driver_key, statements in self.scoring_plan
        )

    @cached_property
    def points_by_position(self) -> tuple[tuple[float, ...], ...]:
        """Points of answers 0-5 (0: don't know, scored 0 but never used) for
        each statement, in bank order, reverse statements reversed."""
        by_position: dict[int, tuple[float, ...]] = {}
        for _driver, statements in self.position_plan:
            for index, _weight, points in statements:
                by_position[index] = points
        return tuple(by_position[i] for i in range(len(self.statements)))

    @cached_property
    def _drivers_by_key(self) -> dict[str, Driver]:
        return {d.key: d for d in self.drivers}

    def driver(self, key: str) -> Driver:
        return self._drivers_by_key[key]

    def pages(self, drivers_per_page: int = 2) -> list[tuple[Driver, ...]]:
        """Questionnaire pages: a few drivers each, in bank order (about 8 statements)."""
        drivers = self.drivers
        return [drivers[i : i + drivers_per_page] for i in range(0, len(drivers), drivers_per_page)]

    def element_title(self, key: str) -> str:
        return next(e.title for e in self.elements if e.key == key)

    def citations(self, driver: Driver) -> list[str]:
        return [self.references[k] for k in driver.sources]

    def recommendation_source(self, driver: Driver, recommendation: BankRecommendation) -> str:
        """Where an action comes from: its own source, practitioner practice,
        or (version 1, which named none) the driver's sources."""
        if recommendation.source == PRACTICE:
            return "Practitioner practice"
        if recommendation.source:
            return self.references[recommendation.source]
        return "; ".join(self.citations(driver))

    def recommendation_source_short(self, driver: Driver, recommendation: BankRecommendation) -> str:
        """Like ``recommendation_source`` but authors and year only, e.g. "Morrison, A. (2008)"."""
        full = self.recommendation_source(driver, recommendation)
        return "; ".join(part.split(").", 1)[0] + ")" if ")." in part else part for part in full.split("; "))

    @cached_property
    def statements_by_key(self) -> dict[str, Statement]:
        return {s.key: s for s in self.statements}


def _fail(where: str, message: str) -> BankError:
    return BankError(f"question bank {where}: {message}")


def _text(raw: Any, where: str, field: str) -> str:
    value = raw.get(field) if isinstance(raw, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"'{field}' must be non-empty text")
    return " ".join(value.split())


def _weight(raw: dict, where: str) -> float:
    value = raw.get("weight", 1)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 10:
        raise _fail(where, f"'weight' must be a number above 0 and at most 10, got {value!r}")
    return float(value)


def _list(raw: dict, where: str, field: str, low: int, high: int) -> list:
    value = raw.get(field)
    if not isinstance(value, list) or not low <= len(value) <= high:
        count = len(value) if isinstance(value, list) else "none"
        raise _fail(where, f"needs {low}-{high} {field}, found {count}")
    return value


def parse_bank(data: Any, source: str) -> QuestionBank:
    """Build a QuestionBank from parsed YAML; raise BankError naming any bad entry."""
    if not isinstance(data, dict):
        raise _fail(source, "the file must hold a mapping")
    version = data.get("version")
    if not isinstance(version, str) or not re.match(r"^\d+(\.\d+)*$", version):
        raise _fail(source, f"'version' must be a string such as \"1\" or \"1.2\", got {version!r}")
    where = f"{source} (version {version})"
    title = _text(data, where, "title")
    scale = data.get("scale")
    if not isinstance(scale, dict) or sorted(scale) != [1, 2, 3, 4, 5]:
        raise _fail(where, "'scale' must label the points 1 to 5")
    references = data.get("references")
    if not isinstance(references, dict) or not references:
        raise _fail(where, "'references' must list the sources")
    sources = {str(k): _parse_reference(str(k), v, f"{where} reference {k}") for k, v in references.items()}
    refs = {k: r.citation for k, r in sources.items()}
    rules = _Rules(refs, strict=_version_key(version) >= (2,))
    elements = _list(data, where, "elements", len(ELEMENTS), len(ELEMENTS))
    seen: set[str] = set()
    parsed = tuple(_parse_element(raw, where, rules, seen) for raw in elements)
    if sorted(e.key for e in parsed) != sorted(ELEMENTS):
        raise _fail(where, f"elements must be exactly {', '.join(ELEMENTS)}")
    count = sum(len(e.drivers) for e in parsed)
    if not MIN_DRIVERS <= count <= MAX_DRIVERS:
        raise _fail(where, f"needs {MIN_DRIVERS}-{MAX_DRIVERS} drivers in all, found {count}")
    statement_keys = {s.key for e in parsed for d in e.drivers for s in d.statements}
    for element in parsed:
        for driver in element.drivers:
            for rec in driver.recommendations:
                unknown = [k for k in rec.triggers if k not in statement_keys]
                if unknown:
                    raise _fail(f"{where} driver {driver.key}", f"recommendation '{rec.title}' is triggered by unknown statement(s) {', '.join(unknown)}")
    scope = " ".join(str(data.get("scope") or "").split())
    if rules.strict and not scope:
        raise _fail(where, "'scope' must say what the scores measure")
    facts = _parse_facts(data.get("facts") or [], where)
    return QuestionBank(
        version, title, {int(k): str(v) for k, v in scale.items()}, refs, parsed, sources=sources, scope=scope, facts=facts
    )


@dataclass(frozen=True)
class _Rules:
    """What the entries are checked against. ``strict`` (version 2 on) also
    requires a documented reason for any weight other than 1, and a source
    (or practitioner practice) and an indicator for each recommendation."""

    refs: dict[str, str]
    strict: bool


def _parse_reference(key: str, raw: Any, where: str) -> Reference:
    if not isinstance(raw, dict):
        raise _fail(where, "must be a mapping with 'text' and a 'doi', or a 'url' with the date it was 'accessed'")
    text = _text(raw, where, "text")
    doi = str(raw.get("doi") or "").strip()
    url = str(raw.get("url") or "").strip()
    accessed = str(raw.get("accessed") or "").strip()
    if doi and not doi.startswith("10."):
        raise _fail(where, f"'doi' must start with '10.', got {doi!r}")
    if not doi:
        if not url.startswith(("https://", "http://")):
            raise _fail(where, "needs a 'doi', or a 'url' and the date it was 'accessed'")
        if not DATE.match(accessed):
            raise _fail(where, f"'accessed' must be a date such as 2026-11-29, got {accessed!r}")
    to_check = " ".join(str(raw.get("to_check") or "").split())
    return Reference(key, text, doi, url, accessed, to_check)


def _parse_facts(raw: Any, where: str) -> tuple[Fact, ...]:
    if not isinstance(raw, list):
        raise _fail(where, "'facts' must be a list")
    facts: list[Fact] = []
    for item in raw:
        key = item.get("key") if isinstance(item, dict) else None
        if not isinstance(key, str) or not re.match(r"^[a-z][a-z0-9_]{1,40}$", key):
            raise _fail(where, f"fact key {key!r} must be lower-case letters, digits and underscores")
        here = f"{where} fact {key}"
        if any(f.key == key for f in facts):
            raise _fail(here, "duplicate fact key")
        kind = item.get("kind")
        if kind not in FACT_KINDS:
            raise _fail(here, f"'kind' must be one of {', '.join(FACT_KINDS)}, got {kind!r}")
        facts.append(Fact(key, _text(item, here, "label"), kind, " ".join(str(item.get("help") or "").split())))
    return tuple(facts)


def _parse_element(raw: Any, where: str, rules: _Rules, seen: set[str]) -> Element:
    key = raw.get("key") if isinstance(raw, dict) else None
    if key not in ELEMENTS:
        raise _fail(where, f"element {key!r} is not one of {', '.join(ELEMENTS)}")
    here = f"{where} element {key}"
    title = _text(raw, here, "title")
    drivers = _list(raw, here, "drivers", 1, MAX_DRIVERS)
    return Element(key, title, tuple(_parse_driver(d, here, key, rules, seen) for d in drivers))


def _parse_driver(raw: Any, where: str, element: str, rules: _Rules, seen: set[str]) -> Driver:
    key = raw.get("key") if isinstance(raw, dict) else None
    if not isinstance(key, str) or not DRIVER_KEY.match(key):
        raise _fail(where, f"driver key {key!r} must look like D1")
    here = f"{where} driver {key}"
    if key in seen:
        raise _fail(here, "duplicate driver key")
    seen.add(key)
    sources = _list(raw, here, "sources", 1, 10)
    for ref in sources:
        if ref not in rules.refs:
            raise _fail(here, f"source {ref!r} is not listed under references")
    statements = _list(raw, here, "statements", MIN_STATEMENTS, MAX_STATEMENTS)
    recommendations = _list(raw, here, "recommendations", MIN_RECOMMENDATIONS, MAX_RECOMMENDATIONS)
    previous = raw.get("previous")
    if previous is not None and (not isinstance(previous, str) or not DRIVER_KEY.match(previous)):
        raise _fail(here, f"'previous' must name a driver of the previous version such as D1, got {previous!r}")
    parsed_statements = tuple(_parse_statement(s, here, key, seen, rules) for s in statements)
    return Driver(
        key=key,
        title=_text(raw, here, "title"),
        weight=_checked_weight(raw, here, rules),
        explanation=_text(raw, here, "explanation"),
        sources=tuple(sources),
        statements=parsed_statements,
        recommendations=tuple(
            _parse_recommendation(r, f"{here} recommendation {i}", rules) for i, r in enumerate(recommendations, 1)
        ),
        element_key=element,
        previous_key=previous,
    )


def _checked_weight(raw: dict, where: str, rules: _Rules) -> float:
    weight = _weight(raw, where)
    if rules.strict and weight != 1 and not str(raw.get("weight_reason") or "").strip():
        raise _fail(where, "a weight other than 1 needs a documented 'weight_reason'")
    return weight


def _parse_recommendation(raw: Any, where: str, rules: _Rules) -> BankRecommendation:
    title, text = _text(raw, where, "title"), _text(raw, where, "text")
    source = str(raw.get("source") or "").strip()
    indicator = " ".join(str(raw.get("indicator") or "").split())
    if source and source != PRACTICE and source not in rules.refs:
        raise _fail(where, f"source {source!r} is neither a listed reference nor '{PRACTICE}'")
    if rules.strict and not source:
        raise _fail(where, f"needs a 'source' (a reference key or '{PRACTICE}')")
    if rules.strict and not indicator:
        raise _fail(where, "needs an 'indicator' to follow")
    triggers = raw.get("triggers") or []
    if not isinstance(triggers, list) or not all(isinstance(t, str) for t in triggers):
        raise _fail(where, "'triggers' must be a list of statement keys")
    return BankRecommendation(title, text, source, indicator, tuple(triggers))


def _parse_statement(raw: Any, where: str, driver: str, seen: set[str], rules: _Rules) -> Statement:
    key = raw.get("key") if isinstance(raw, dict) else None
    if not isinstance(key, str) or not key.startswith(driver + "."):
        raise _fail(where, f"statement key {key!r} must start with '{driver}.'")
    here = f"{where} statement {key}"
    if key in seen:
        raise _fail(here, "duplicate statement key")
    seen.add(key)
    reverse = raw.get("reverse", False)
    if not isinstance(reverse, bool):
        raise _fail(here, f"'reverse' must be true or false, got {reverse!r}")
    return Statement(key, _text(raw, here, "text"), _checked_weight(raw, here, rules), reverse, driver)


def load_bank_file(path: Path) -> QuestionBank:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _fail(path.name, f"is not valid YAML: {exc}") from exc
    return parse_bank(data, path.name)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def load_registry(directory: Path | None = None) -> dict[str, QuestionBank]:
    """Every bank version in the folder (default ``BANKS_DIR``), oldest first;
    validated once per process."""
    return _load_registry(directory or BANKS_DIR)


@lru_cache(maxsize=4)
def _load_registry(directory: Path) -> dict[str, QuestionBank]:
    banks: dict[str, QuestionBank] = {}
    for path in sorted(directory.glob("*.yaml")):
        bank = load_bank_file(path)
        if bank.version in banks:
            raise _fail(path.name, f"version {bank.version} is already defined by another file")
        banks[bank.version] = bank
    if not banks:
        raise _fail(str(directory), "no bank files found")
    return dict(sorted(banks.items(), key=lambda item: _version_key(item[0])))


def driver_mapping(newer: QuestionBank, older: QuestionBank) -> dict[str, str]:
    """Driver keys of ``newer`` -> the key measuring the same thing in ``older``.

    Within one version every driver maps to itself. Across versions the chain
    of ``previous`` keys is followed version by version; a driver without a
    mapping at any step is left out, so it is never compared.
    """
    if newer.version == older.version:
        return {d.key: d.key for d in newer.drivers}
    versions = bank_versions()
    if newer.version not in versions or older.version not in versions:
        return {}
    start, stop = versions.index(older.version), versions.index(newer.version)
    if start > stop:
        return {}
    mapping = {d.key: d.key for d in older.drivers}  # older key -> itself
    for version in versions[start + 1 : stop + 1]:
        bank = get_bank(version)
        mapping = {d.key: mapping[d.previous_key] for d in bank.drivers if d.previous_key in mapping}
    return mapping


def get_bank(version: str) -> QuestionBank:
    """The bank a round or quick test recorded; KeyError if that version is gone."""
    return load_registry()[version]


def latest_bank() -> QuestionBank:
    return list(load_registry().values())[-1]


def bank_versions() -> list[str]:
    return list(load_registry())
