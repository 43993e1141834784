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
from core.anonymity import MIN_GROUP_SIZE
from core.confirm import confirmation_page
from core.csv_export import csv_from_dicts, csv_response, csv_text
from core.email.sending import Attachment, send_email
from core.extensions import csrf, db, limiter
from core.models import ClusterOwned, UTCDateTime, utcnow
from core.pdf import MIN_READABLE_PT, PDF_BASE_CSS, PDF_FONT_STACK, pdf_response, render_pdf
from core.templating import background_request_context
from core.wording import counted, signed_change
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
    NavItem,
    PeriodicJob,
    PublicPage,
    Recommendation,
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
    "DemoCluster",
    "DemoMember",
    "Download",
    "ExportLink",
    "FlaskForm",
    "MemberInfo",
    "MIN_GROUP_SIZE",
    "MIN_READABLE_PT",
    "NavItem",
    "PDF_BASE_CSS",
    "PDF_FONT_STACK",
    "PeriodicJob",
    "ORGANISATION_TYPES",
    "PersonInfo",
    "PublicPage",
    "Recommendation",
    "ReportSection",
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
    "confirmation_page",
    "consultant_required",
    "counted",
    "csrf",
    "csv_from_dicts",
    "csv_response",
    "csv_text",
    "limiter",
    "current_cluster",
    "current_membership",
    "current_user",
    "db",
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
    "send_email",
    "signed_change",
    "staff_people",
    "utcnow",
]
