"""The tool's public page and free downloads, for anyone without an account."""

from __future__ import annotations

from flask import render_template

from core.api import pdf_response
from plugins.canvas.elements import framework
from plugins.canvas.printing import blank_canvas_pdf, guide_pdf
from plugins.canvas.views import public_bp


@public_bp.get("")
def page():
    return render_template("canvas/public.html", fw=framework())


@public_bp.get("/blank-canvas.pdf")
def blank_canvas():
    return pdf_response(blank_canvas_pdf(), "cluster-business-model-canvas-a3.pdf")


@public_bp.get("/guide.pdf")
def guide():
    return pdf_response(guide_pdf(), "cluster-business-model-canvas-guide.pdf")
