"""Small frozen values that hooks return and receive.

Plugins build these; core only reads them. Keeping them frozen means a plugin
cannot change what another plugin (or core) sees after the hook returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
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
