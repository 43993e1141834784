"""The public API for plugins: import from here and nothing else in core.

Everything a tool needs — the hook marker, the types hooks return, the
database, access checks, email and PDF rendering — is re-exported here, so
core's internals can change without breaking plugins.
"""

from __future__ import annotations

import pluggy
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from core.accounts.roles import admin_required, consultant_required
from core.clusters.access import (
    current_cluster,
    current_membership,
    get_in_cluster_or_404,
    manager_required,
)
from core.accounts.directory import PersonInfo, get_people, get_person, staff_people
from core.clusters.directory import (
    MemberInfo,
    UserClusterInfo,
    cluster_names,
    clusters_of_user,
    list_members,
    managed_clusters,
    manager_emails,
    members_by_id,
)
from core.clusters.models import ORGANISATION_TYPES
from core.email.sending import Attachment, send_email
from core.extensions import csrf, db, limiter
from core.models import ClusterOwned, UTCDateTime, utcnow
from core.pdf import pdf_response, render_pdf, render_pdf_with_pages
from core.reports import (
    ContributedMethod,
    ContributedRecommendation,
    ContributedSection,
    ReportContributions,
    collect_report_contributions,
)
from core.storage import Storage, StorageNameError, StoredFile, file_storage
from core.tasks import send_task_after_commit
from core.templating import background_request_context
from core.plugins.contract import check_plugin_contract
from core.plugins.hookspecs import PROJECT_NAME
from core.plugins.state import is_enabled as plugin_enabled
from core.plugins.types import (
    API_VERSION,
    ClusterContext,
    DemoCluster,
    DemoMember,
    Download,
    ExportLink,
    KeyFigure,
    Methodology,
    NavItem,
    PeriodicJob,
    PublicPage,
    Recommendation,
    ReportRequest,
    ReportSection,
    ToolInfo,
    UserContext,
    Widget,
)

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

__all__ = [
    "API_VERSION",
    "Attachment",
    "ClusterContext",
    "ClusterOwned",
    "ContributedMethod",
    "ContributedRecommendation",
    "ContributedSection",
    "DemoCluster",
    "DemoMember",
    "Download",
    "ExportLink",
    "FlaskForm",
    "KeyFigure",
    "Methodology",
    "MemberInfo",
    "NavItem",
    "PeriodicJob",
    "ORGANISATION_TYPES",
    "PersonInfo",
    "PublicPage",
    "Recommendation",
    "ReportContributions",
    "ReportRequest",
    "ReportSection",
    "Storage",
    "StorageNameError",
    "StoredFile",
    "ToolInfo",
    "UTCDateTime",
    "UserClusterInfo",
    "UserContext",
    "Widget",
    "admin_required",
    "background_request_context",
    "check_plugin_contract",
    "cluster_names",
    "clusters_of_user",
    "collect_report_contributions",
    "consultant_required",
    "csrf",
    "limiter",
    "current_cluster",
    "current_membership",
    "current_user",
    "db",
    "file_storage",
    "get_in_cluster_or_404",
    "get_people",
    "get_person",
    "hookimpl",
    "list_members",
    "login_required",
    "managed_clusters",
    "manager_emails",
    "manager_required",
    "members_by_id",
    "pdf_response",
    "plugin_enabled",
    "render_pdf",
    "render_pdf_with_pages",
    "send_email",
    "send_task_after_commit",
    "staff_people",
    "utcnow",
]
