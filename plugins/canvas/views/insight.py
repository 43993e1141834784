"""Alignment view and the exports of one canvas (PDF, CSV, JSON)."""

from __future__ import annotations

import json

from flask import Response, render_template

from core.api import ORGANISATION_TYPES, csv_response, current_cluster, members_only, pdf_response
from plugins.canvas import exports, queries
from plugins.canvas.alignment import compute_alignment
from plugins.canvas.elements import framework
from plugins.canvas.heatmap import heatmap_svg, percent
from plugins.canvas.printing import canvas_pdf
from plugins.canvas.views import bp
from plugins.canvas.views.helpers import load_canvas


def canvas_alignment(canvas):
    notes, votes = queries.alignment_facts(canvas.id)
    return compute_alignment(framework().keys, notes, votes, queries.cluster_actor_types(canvas.cluster_id))


@bp.get("/<int:canvas_id>/alignment")
def alignment(cluster_id: int, canvas_id: int):
    canvas = load_canvas(canvas_id)
    result = canvas_alignment(canvas)
    return render_template(
        "canvas/alignment.html",
        canvas=canvas,
        alignment=result,
        heatmap=heatmap_svg(result),
        percent=percent,
        titles=framework().by_key(),
        types=ORGANISATION_TYPES,
        fw=framework(),
    )


@bp.get("/<int:canvas_id>/canvas.pdf")
def export_pdf(cluster_id: int, canvas_id: int):
    canvas = load_canvas(canvas_id)
    include = ("accepted",) if canvas.is_agreed else ("proposed", "accepted")
    groups = queries.board(canvas, current_cluster().user_id, include=include)
    pdf = canvas_pdf(current_cluster().name, canvas.title, canvas.status_label, groups)
    return pdf_response(pdf, exports.export_filename(canvas, "pdf"))


def _download(body: str, media_type: str, filename: str) -> Response:
    return Response(
        body, mimetype=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.get("/<int:canvas_id>/notes.csv")
def export_notes_csv(cluster_id: int, canvas_id: int):
    canvas = load_canvas(canvas_id)
    return csv_response(exports.notes_csv(canvas), exports.export_filename(canvas, "csv", "-notes"))


@bp.get("/<int:canvas_id>/votes.csv")
@members_only  # one row per vote: a consultant reads the tallies and the alignment, not single votes
def export_votes_csv(cluster_id: int, canvas_id: int):
    canvas = load_canvas(canvas_id)
    return csv_response(exports.votes_csv(canvas), exports.export_filename(canvas, "csv", "-votes"))


@bp.get("/<int:canvas_id>/canvas.json")
def export_json(cluster_id: int, canvas_id: int):
    canvas = load_canvas(canvas_id)
    document = exports.canvas_document(canvas)
    if current_cluster().is_consultant:
        del document["votes"]  # aggregates only: each note keeps its agree/disagree tallies
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return _download(body, "application/json", exports.export_filename(canvas, "json"))
