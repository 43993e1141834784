"""Reading PDFs back in tests: the fonts they embed and their text."""

from __future__ import annotations

import io

from pypdf import PdfReader

#: One phrase per script the font set must cover (issue 12): Latin, Greek, Cyrillic,
#: Arabic, Hebrew, Devanagari, Chinese, and emoji.
MIXED_SCRIPT = "Coopération Ελληνικά Кириллица العربية עברית देवनागरी 中国航空产业集群合作伙伴网络 🚀🤝"

#: The Noto family each script of MIXED_SCRIPT must be printed with (PostScript names).
FAMILIES_FOR_MIXED_SCRIPT = {
    "Noto-Sans", "Noto-Sans-Arabic", "Noto-Sans-Hebrew", "Noto-Sans-Devanagari", "Noto-Sans-CJK-SC", "Noto-Color-Emoji",
}


def embedded_fonts(data: bytes) -> set[str]:
    """PostScript names of every font the PDF embeds, subset prefix and style removed."""
    reader = PdfReader(io.BytesIO(data))
    names: set[str] = set()

    def visit(resources) -> None:  # type: ignore[no-untyped-def]
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
        for xobject in (resources.get("/XObject") or {}).values():
            visit(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return {n.removesuffix("-Bold").removesuffix("-Italic").removesuffix("-Bold-Italic") for n in names}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return "".join(text.split())


#: An unbroken word far longer than any line of any document (500 characters).
LONG_WORD = ("Innovationskooperationsvereinbarung" * 15)[:500]


def text_running_out(html: str) -> list[str]:
    """Text that runs past the right edge of the block that holds it, or of its page,
    in WeasyPrint's own layout of ``html`` (with core's PDF stylesheet). Empty when
    every line wraps inside its box."""
    from weasyprint import CSS, HTML
    from weasyprint.formatting_structure import boxes

    from core.pdf import PDF_BASE_CSS

    found: list[str] = []

    def walk(box, right_edge: float) -> None:  # type: ignore[no-untyped-def]
        if isinstance(box, boxes.BlockContainerBox) and not isinstance(box, boxes.InlineBlockBox):
            right_edge = min(right_edge, box.content_box_x() + box.width)
        if isinstance(box, boxes.TextBox) and box.position_x + box.width > right_edge + 0.5:
            found.append(box.text[:40])
        for child in getattr(box, "children", None) or []:
            walk(child, right_edge)

    for page in HTML(string=html).render(stylesheets=[CSS(string=PDF_BASE_CSS)]).pages:
        page_box = page._page_box
        walk(page_box, page_box.content_box_x() + page_box.width)
    return found
