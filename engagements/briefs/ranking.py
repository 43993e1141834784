"""Which divergences a workshop should take up: a documented, pure ranking rule.

Each divergence a tool reported gets a score in 0..1::

    score = 0.5 × spread + 0.25 × people + 0.25 × relevance

* ``spread`` — the tool's own figure normalised to 0 (full agreement) … 1 (the widest
  disagreement its measure allows), clamped to 0..1. It weighs most because a workshop
  exists to settle disagreement: Delphi practice takes the spread of answers (e.g. the
  interquartile range) as the sign that an item needs another round of discussion
  (von der Gracht, "Consensus measurement in Delphi studies", *Technological
  Forecasting & Social Change* 79, 2012, 1525–1536).
* ``people`` — ``ln(1 + people) / ln(1 + cluster size)`` (1 at most): diminishing, so
  the tenth voice adds less than the second, and relative to the cluster's size, so a
  small and a large cluster rank alike. With no size known the people behind the
  largest divergence stand for it.
* ``relevance`` — the share of the divergence's words (its topic and keywords) found in
  the goals the cluster gave at booking, compared case- and accent-insensitively after
  dropping common words and reducing each word to its stem with the Snowball English
  stemmer (Porter, 2001; "governed" and "governance" both become "govern"; see
  ``words``). The cluster booked the workshop for these goals, so a divergence about
  them comes first among equals.

The weights are the project's rule of thumb (gap first, then reach and fit in equal
parts), kept here in one place. Every term only grows with its input, so more spread,
more people or more overlap with the goals never lowers a score.

Selection (``select_items``): the highest scores first; ties broken by tool slug, then
key, so the result never depends on the order the tools answered in. A divergence
whose ``about`` was already chosen (the same canvas element from two measures, say) is
skipped, so two agenda items never discuss the same thing. At least ``MIN_ITEMS`` (3)
are taken when that many distinct ones exist (fewer only when fewer exist); beyond
that, up to ``max_items`` (at most ``MAX_ITEMS``, 6), an item is added only while its
score is at least ``FURTHER_ITEM_SHARE`` (half) of the top score, so a long agenda is
not padded with small disagreements.
"""

from __future__ import annotations

import math
import re
import threading
from functools import lru_cache
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

import snowballstemmer
from snowballstemmer.basestemmer import BaseStemmer

from core.api import ContributedDivergence, Divergence

W_SPREAD, W_PEOPLE, W_RELEVANCE = 0.5, 0.25, 0.25
MIN_ITEMS, MAX_ITEMS = 3, 6
FURTHER_ITEM_SHARE = 0.5

#: Common English words that carry no topic (kept short on purpose).
STOPWORDS = frozenset(re.findall(r"[a-z]+", """
    about above after again all also and any are been before being between both but can could does for from had
    has have how into its more most not our out over own same should some such than that the their them then
    there these they this those through too under very was were what when where which while who why will with
    would you your cluster clusters member members want wants need needs
"""))


@dataclass(frozen=True)
class RankedDivergence:
    """A contributed divergence with its score (0..1) and the share of its words in the goals."""

    plugin: str
    tool_title: str
    divergence: Divergence
    score: float
    relevance: float

    @property
    def key(self) -> str:
        return f"{self.plugin}:{self.divergence.key}"


def words(text: str) -> frozenset[str]:
    """Topic stems of a text: accents stripped, lower case, split on anything not a letter
    or digit, common words and words under 3 letters dropped, each word stemmed (Snowball
    English: "Universities" → "universiti", "innovation" → "innov")."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii").lower()
    kept = [w for w in re.split(r"[^a-z0-9]+", plain) if len(w) >= 3 and w not in STOPWORDS]
    return frozenset(_stem(word) for word in kept)


@lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    """A word's Snowball stem; cached, since the pure-Python stemmer is the slow part of ranking."""
    return str(_stemmer().stemWord(word))


_local = threading.local()


def _stemmer() -> BaseStemmer:
    """The thread's Snowball stemmer: it keeps state between calls, so threads never share one,
    and building one costs far more than stemming a sentence."""
    if not hasattr(_local, "stemmer"):
        _local.stemmer = snowballstemmer.stemmer("english")
    return _local.stemmer


def relevance(divergence: Divergence, goal_words: frozenset[str]) -> float:
    """Share (0..1) of the divergence's topic and keyword words that appear in the goals."""
    own = words(" ".join([divergence.topic, *divergence.keywords]))
    if not own:
        return 0.0
    return len(own & goal_words) / len(own)


def people_term(people: int, cluster_size: int) -> float:
    """``ln(1 + people) / ln(1 + cluster size)``, in 0..1; 0 for nobody."""
    people = max(people, 0)
    size = max(cluster_size, people)
    if size <= 0:
        return 0.0
    return min(1.0, math.log1p(people) / math.log1p(size))


def score(spread: float, people: int, cluster_size: int, relevance_share: float) -> float:
    """The ranking score (0..1) of one divergence; see the module docstring."""
    spread = min(1.0, max(0.0, spread if math.isfinite(spread) else 0.0))
    share = min(1.0, max(0.0, relevance_share))
    return W_SPREAD * spread + W_PEOPLE * people_term(people, cluster_size) + W_RELEVANCE * share


def rank(found: Iterable[ContributedDivergence], goals: str, cluster_size: int = 0) -> list[RankedDivergence]:
    """Every divergence scored, best first, in an order that does not depend on the input's.

    ``cluster_size`` is the number of the cluster's members (0 when unknown: the most
    people behind any divergence stand for it). A tool reporting the same key twice
    counts once (its higher score).
    """
    items = list(found)
    size = cluster_size if cluster_size > 0 else max((c.divergence.people for c in items), default=0)
    goal_words = words(goals)
    best: dict[tuple[str, str], RankedDivergence] = {}
    for contributed in items:
        d = contributed.divergence
        share = relevance(d, goal_words)
        ranked = RankedDivergence(contributed.plugin, contributed.tool_title, d,
                                  score(d.spread, d.people, size, share), share)
        slot = (contributed.plugin, d.key)
        if slot not in best or _order(ranked) < _order(best[slot]):
            best[slot] = ranked
    return sorted(best.values(), key=_order)


def _order(item: RankedDivergence) -> tuple:
    d = item.divergence
    return (-item.score, item.plugin, d.key, d.about, d.topic, -d.people, repr(d))


def select_items(ranked: Sequence[RankedDivergence], max_items: int = MAX_ITEMS) -> list[RankedDivergence]:
    """The agenda's divergences: 3–``max_items`` (``max_items`` clamped to 3..6), best first,
    at most one per ``about``; fewer than 3 only when fewer distinct ones exist."""
    limit = min(MAX_ITEMS, max(MIN_ITEMS, max_items))
    chosen: list[RankedDivergence] = []
    seen_about: set[str] = set()
    top = ranked[0].score if ranked else 0.0
    for item in ranked:
        about = item.divergence.about
        if about and about in seen_about:
            continue
        if len(chosen) >= limit:
            break
        if len(chosen) >= MIN_ITEMS and item.score < FURTHER_ITEM_SHARE * top:
            break
        chosen.append(item)
        if about:
            seen_about.add(about)
    return chosen
