"""Where a user lands after logging in (or after confirming their address).

* an admin: the admin area;
* a consultant: the first link the plugins give consultants in the header
  (``designing_clusters_user_nav``: the consultant console), else "My clusters";
* a member of exactly one cluster: that cluster's dashboard;
* anyone else: "My clusters" (none yet: how to create or join one; several: the list).
"""

from __future__ import annotations

from flask import url_for

from core.accounts.models import User
from core.clusters.services import memberships_of
from core.plugins import calls
from core.plugins.types import UserContext


def landing_url(user: User) -> str:
    if user.is_admin:
        return url_for("admin.index")
    if user.is_consultant:
        links = calls.user_nav(UserContext(id=user.id, email=user.email, is_admin=False, is_consultant=True))
        if links:
            return links[0].url
    memberships = memberships_of(user.id)
    if len(memberships) == 1:
        return url_for("clusters.dashboard", cluster_id=memberships[0].cluster_id)
    return url_for("clusters.home")
