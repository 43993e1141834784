"""Small frozen values that hooks return and receive.

Plugins build these; core only reads them. Keeping them frozen means a plugin
cannot change what another plugin (or core) sees after the hook returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable, Literal

from markupsafe import Markup

#: Bumped when a hook's signature or a type changes incompatibly. Additions stay version 1:
#: new fields have defaults and hooks pass only the arguments an implementation names, so
#: plugins written before ``ReportRequest``, report figures and methodology keep working.
API_VERSION = 1

PluginKind = Literal["tool", "service"]


@dataclass(frozen=True)
class ToolInfo:
    """What a plugin is. ``slug`` names its blueprints, tables and templates."""

    slug: str
    title: str
    summary: str
    version: str
    api_version: int = API_VERSION
    kind: PluginKind = "tool"
    order: int = 100
    #: Folder holding this plugin's Alembic revisions (its own branch), if any.
    migrations_dir: str | None = None
    #: The platform depends on it (e.g. payments' webhook): it cannot be disabled.
    required: bool = False


@dataclass(frozen=True)
class ClusterContext:
    """The cluster a request is about, and the viewer's place in it.

    ``role`` "consultant" is someone outside the cluster reading it through an
    access grant (e.g. the consultant of an engagement): read-only, aggregates
    only, no ``membership_id`` and ``organisation_type`` "".
    """

    id: int
    name: str
    user_id: int
    role: Literal["manager", "member", "consultant"]
    organisation_type: str
    membership_id: int = 0
    time_zone: str = "UTC"  # IANA name of the cluster's zone

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"

    @property
    def is_consultant(self) -> bool:
        """A non-member with read-only access (``membership_id`` is 0)."""
        return self.role == "consultant"

    @property
    def is_read_only(self) -> bool:
        """Every state-changing request answers 403: hide forms and action buttons."""
        return self.role == "consultant"

    @property
    def reads_aggregates(self) -> bool:
        """May read every aggregate a manager reads (results, alignment, exports) —
        never one person's answers. Managers and consultants with access."""
        return self.role in ("manager", "consultant")


@dataclass(frozen=True)
class UserContext:
    """The signed-in user, as plugins see them (for header and admin links)."""

    id: int
    email: str
    is_admin: bool
    is_consultant: bool


@dataclass(frozen=True)
class NavItem:
    """A link in the cluster navigation. ``url`` is already built."""

    label: str
    url: str
    order: int = 100


@dataclass(frozen=True)
class Widget:
    """A dashboard panel. ``html`` is rendered by the plugin's own template."""

    title: str
    html: Markup
    order: int = 100


@dataclass(frozen=True)
class PublicPage:
    """A page anyone can open, listed on the home page under the tool."""

    title: str
    url: str
    summary: str = ""
    order: int = 100


@dataclass(frozen=True)
class Download:
    """A file anyone can download (blank canvas, guide, ...)."""

    title: str
    url: str
    media_type: str = "application/pdf"
    licence: str = ""
    order: int = 100


@dataclass(frozen=True)
class DemoMember:
    """A demo membership the core created, handed to plugins' demo hooks."""

    user_id: int
    membership_id: int
    email: str
    organisation_name: str
    organisation_type: str
    role: Literal["manager", "member"]


@dataclass(frozen=True)
class DemoCluster:
    id: int
    name: str
    members: tuple[DemoMember, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ReportRequest:
    """What a report is being drafted for, handed to the report hooks that name ``request``.

    ``as_of`` (UTC) is the moment the draft is composed: tools describe the data they used
    at that moment (``ReportSection.as_of``). ``goals`` is the cluster's own text from the booking.
    """

    engagement_id: int
    as_of: datetime
    goals: str = ""
    title: str = ""


@dataclass(frozen=True)
class KeyFigure:
    """One figure for the report's executive summary, e.g. ("Overall index", "64/100")."""

    label: str
    value: str


@dataclass(frozen=True)
class ReportSection:
    """A section a tool adds to a recommendation report.

    ``html`` must be self-contained (inline SVG charts, no scripts) so that the
    same markup serves the HTML report and the PDF. ``summary`` is one sentence for
    the executive summary; ``key_figures`` its headline numbers; ``as_of`` names the
    data used ("canvas “As-is”, agreed 2 Nov 2026") so a draft can be reproduced.
    """

    key: str
    title: str
    html: Markup
    order: int = 100
    summary: str = ""
    key_figures: tuple[KeyFigure, ...] = ()
    as_of: str = ""


@dataclass(frozen=True)
class Recommendation:
    """A drafted recommendation; a consultant reviews it before delivery.

    ``priority`` is 1 (most urgent) to 5; ``driver`` links it to a research-based
    driver code (e.g. "D9") when there is one. ``score`` orders recommendations of
    equal priority (higher = more urgent; the tool documents its formula);
    ``owner_role`` ("Cluster manager"), ``horizon`` ("0–3 months") and ``indicator``
    (what to measure) fill the action plan.
    """

    key: str
    title: str
    rationale: str
    actions: tuple[str, ...]
    priority: int = 3
    source: str = ""
    driver: str | None = None
    owner_role: str = ""
    horizon: str = ""
    indicator: str = ""
    score: float | None = None


@dataclass(frozen=True)
class Methodology:
    """How a tool produced its report results, and the published sources it rests on."""

    title: str
    method: str
    references: tuple[str, ...] = ()
    order: int = 100


@dataclass(frozen=True)
class ExportLink:
    """An export of a cluster's data offered by a tool (PDF, CSV, JSON)."""

    title: str
    url: str
    media_type: str
    order: int = 100


@dataclass(frozen=True)
class PeriodicJob:
    """Work a plugin wants done on a schedule by the background worker.

    ``run`` is called inside an app context with no arguments and returns a
    short summary for the log (e.g. "closed 2 rounds").
    """

    name: str
    run: Callable[[], str]
    every_seconds: int


#: The states the admin's background-jobs page shows, whatever the kind of work.
JobState = Literal["queued", "running", "failed", "done"]


@dataclass(frozen=True)
class JobRow:
    """One piece of background work as the admin's jobs page lists it.

    ``key`` identifies it within its ``kind`` (e.g. a row id as text). A job that
    failed and will be tried again is ``queued`` with the last ``error``; ``failed``
    means failed for good (a retry button is offered when its source can retry).
    Times are UTC; ``link`` is an optional page about the job's subject.
    """

    kind: str
    key: str
    title: str
    state: JobState
    created_at: datetime
    updated_at: datetime | None = None
    attempts: int = 0
    error: str = ""
    link: str = ""


@dataclass(frozen=True)
class JobSource:
    """Where the admin's jobs page finds one kind of background work.

    ``list_jobs(state, limit)`` returns at most ``limit`` ``JobRow``s, newest
    first, in ``state`` (None: every state). ``retry(key, actor_label)`` puts a
    failed job back in the queue and returns a sentence for the admin; it raises
    ``ValueError`` with a readable message when the job cannot be retried.
    """

    kind: str
    title: str
    list_jobs: Callable[[str | None, int], list[JobRow]]
    retry: Callable[[str, str], str] | None = None
    order: int = 100


DivergenceDirection = Literal["higher", "lower", "apart"]


@dataclass(frozen=True)
class DivergingGroup:
    """An actor type (organisation type, e.g. "University") that stands apart on a topic.

    ``direction`` is "higher"/"lower" against everyone else's median, or "apart" when the
    measure has no direction (e.g. a role the group disputes); ``people`` counts its members
    behind the figure (never below ``MIN_GROUP_SIZE``: smaller groups are left out);
    ``detail`` says it in words ("median 2 against 4 for the others").
    """

    actor_type: str
    direction: DivergenceDirection
    people: int
    detail: str = ""


@dataclass(frozen=True)
class Divergence:
    """Where a tool measured that the cluster's members disagree, for workshop briefs.

    ``key`` is stable within the tool; ``about`` names what the divergence concerns in a
    form the tool understands back (e.g. "canvas:element:value_propositions",
    "innovativeness:driver:D9") so agreed outcomes can return to it. ``measure``, ``value``
    and ``unit`` give the figure ("agreement", 42.0, "%"; "interquartile range", 38.0,
    "points"). ``spread`` is the same figure normalised by the tool to 0 (full agreement)
    … 1 (the widest disagreement its measure allows) so tools can be ranked together;
    ``people`` is how many people are behind it. ``evidence`` is self-contained HTML
    (inline SVG, no scripts). ``question`` is the question to put to the workshop;
    ``keywords`` help match the divergence to the goals the cluster gave at booking.
    """

    key: str
    topic: str
    measure: str
    value: float
    unit: str
    spread: float
    people: int
    evidence: Markup
    question: str = ""
    about: str = ""
    groups: tuple[DivergingGroup, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgreedOutcome:
    """A decision a workshop recorded on one agenda item, handed back to the tools.

    ``about`` is the ``Divergence.about`` the agenda item came from ("" for an item the
    consultant added); ``source`` the slug of the tool it came from; ``due`` a calendar
    date in the cluster's time zone; ``decided_on`` the workshop's date.
    """

    engagement_id: int
    topic: str
    decision: str
    about: str = ""
    source: str = ""
    owner: str = ""
    due: date | None = None
    decided_on: date | None = None


@dataclass(frozen=True)
class OutcomeAction:
    """A one-click follow-up a tool offers on a workshop's outcomes (shown to managers).

    ``url`` receives a POST (with the CSRF token) from the brief's outcomes page;
    ``label`` is the button ("Start a to-be canvas from 3 decisions"); ``description``
    says what it will do before it is pressed.
    """

    label: str
    url: str
    description: str = ""
    order: int = 100
