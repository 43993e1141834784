"""The public API for plugins: import from here and nothing else in core.

Everything a tool needs — the hook marker, the types hooks return, the
database, access checks, email and PDF rendering — is re-exported here, so
core's internals can change without breaking plugins.
"""

from __future__ import annotations

import warnings
from typing import Any

import pluggy
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from core.accounts.roles import admin_required, consultant_required
from core.clusters.access import (
    current_access_grant,
    current_cluster,
    get_in_cluster_or_404,
    manager_required,
    members_only,
    require_member,
)
from core.clusters.access import current_membership as _membership_row
from core.accounts.directory import PersonInfo, get_people, get_person, staff_people
from core.clusters.directory import (
    MemberInfo,
    UserClusterInfo,
    cluster_names,
    cluster_time_zones,
    cluster_stages,
    clusters_of_user,
    current_member,
    list_members,
    managed_clusters,
    manager_emails,
    members_by_id,
)
from core.clusters.grants import (
    AccessInfo,
    end_cluster_access,
    grant_cluster_access,
    live_grants_of_user,
    set_cluster_access_expiry,
)
from core.clusters.models import ORGANISATION_TYPES
from core.clusters.time_zones import zone as zone_info, zone_names
from core.anonymity import MIN_GROUP_SIZE
from core.background.alerts import alert_once as alert_failed_job
from core.confirm import confirmation_page
from core.csv_export import csv_from_dicts, csv_response, csv_text
from core.email.bulk import BulkMailError, BulkMailProgress, bulk_mail_jobs, send_bulk_email
from core.email.sending import Attachment, send_email
from core.extensions import csrf, db, limiter
from core.hygiene.ids import is_valid_id, parse_id
from core.hygiene.paging import page_number
from core.hygiene.text import clean_filename, has_control_characters, raw_input, strip_bidi_controls
from core.links import absolute_url
from core.models import ClusterOwned, UTCDateTime, utcnow
from core.page_cache import cacheable
from core.pdf import MIN_READABLE_PT, PDF_BASE_CSS, PDF_FONT_STACK, pdf_response, render_pdf, render_pdf_with_pages
from core.reports import (
    ContributedMethod,
    ContributedRecommendation,
    ContributedSection,
    ReportContributions,
    collect_report_contributions,
)
from core.divergences import (
    ContributedDivergence,
    DivergenceContributions,
    agreed_outcomes,
    collect_divergences,
    outcome_actions,
)
from core.storage import Storage, StorageNameError, StoredFile, file_storage
from core.tasks import send_task_after_commit
from core.templating import background_request_context
from core.wording import counted, quoted, signed_change
from core.plugins.contract import check_plugin_contract
from core.plugins.hookspecs import PROJECT_NAME
from core.plugins.state import is_enabled as plugin_enabled
from core.plugins.types import (
    API_VERSION,
    AgreedOutcome,
    Divergence,
    DivergingGroup,
    OutcomeAction,
    ClusterContext,
    DemoCluster,
    DemoMember,
    Download,
    ExportLink,
    JobRow,
    JobSource,
    JobState,
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


def current_membership() -> Any:
    """Deprecated: returns a database row; use ``current_member()`` (a frozen ``MemberInfo``).

    Kept working for plugins written against API 1; removed in API 2.
    """
    warnings.warn(
        "core.api.current_membership() hands out a database row and will be removed with API 2; "
        "use core.api.current_member() or current_cluster()",
        DeprecationWarning,
        stacklevel=2,
    )
    return _membership_row()


__all__ = [
    "cacheable",
    "clean_filename",
    "has_control_characters",
    "is_valid_id",
    "page_number",
    "parse_id",
    "raw_input",
    "strip_bidi_controls",
    "absolute_url",
    "API_VERSION",
    "AccessInfo",
    "AgreedOutcome",
    "ContributedDivergence",
    "Divergence",
    "DivergenceContributions",
    "DivergingGroup",
    "OutcomeAction",
    "agreed_outcomes",
    "collect_divergences",
    "outcome_actions",
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
    "JobRow",
    "JobSource",
    "JobState",
    "FlaskForm",
    "KeyFigure",
    "Methodology",
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
    "alert_failed_job",
    "background_request_context",
    "check_plugin_contract",
    "cluster_names",
    "cluster_time_zones",
    "cluster_stages",
    "clusters_of_user",
    "collect_report_contributions",
    "confirmation_page",
    "consultant_required",
    "counted",
    "quoted",
    "csrf",
    "csv_from_dicts",
    "csv_response",
    "csv_text",
    "limiter",
    "current_access_grant",
    "current_cluster",
    "current_member",
    "current_membership",
    "current_user",
    "db",
    "end_cluster_access",
    "file_storage",
    "get_in_cluster_or_404",
    "get_people",
    "get_person",
    "grant_cluster_access",
    "hookimpl",
    "list_members",
    "live_grants_of_user",
    "login_required",
    "managed_clusters",
    "manager_emails",
    "manager_required",
    "members_by_id",
    "members_only",
    "pdf_response",
    "plugin_enabled",
    "render_pdf",
    "render_pdf_with_pages",
    "require_member",
    "send_email",
    "send_bulk_email",
    "bulk_mail_jobs",
    "BulkMailError",
    "BulkMailProgress",
    "send_task_after_commit",
    "set_cluster_access_expiry",
    "signed_change",
    "staff_people",
    "utcnow",
    "zone_info",
    "zone_names",
]
