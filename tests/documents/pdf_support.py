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
