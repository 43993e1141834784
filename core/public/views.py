from __future__ import annotations

from flask import Blueprint, render_template

from core.plugins import calls
from core.proposals.forms import ProposalForm

bp = Blueprint("public", __name__)


@bp.get("/")
def home():  # type: ignore[no-untyped-def]
    tools = calls.enabled_tools()
    services = [p for p in calls.all_plugins() if p.kind == "service"]
    return render_template(
        "public/home.html",
        tools=tools,
        services=services,
        pages=calls.public_pages(),
        downloads=calls.downloads(),
        form=ProposalForm(),
    )


@bp.get("/about")
def about():  # type: ignore[no-untyped-def]
    return render_template("public/about.html")
