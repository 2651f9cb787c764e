"""What the report tests share: the sample assessment, templates made of given paragraphs, and reading a
rendered .docx back as text."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn

from pipia.answers import format as answers_mod
from pipia.answers.format import Answers
from pipia.bank.format import LoadedBank
from pipia.bank.loader import load_bank
from pipia.files.resources import samples_dir

SAMPLE = samples_dir() / "crossborder-ecommerce.yaml"
GOLDEN = Path(__file__).parent / "data" / "golden"


@cache
def sample() -> tuple[LoadedBank, Answers]:
    answers, _ = answers_mod.read(SAMPLE)
    return load_bank(answers.bank.id, [SAMPLE.parent]), answers


def paragraphs(element: Any) -> list[str]:
    """Every paragraph under an XML element (tables included), in document order, as plain text."""
    out = []
    for p in element.iter(qn("w:p")):
        parts = []
        for node in p.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
            parts.append(node.text or "" if node.tag == qn("w:t") else "\n" if node.tag == qn("w:br") else "\t")
        out.append("".join(parts))
    return out


def document_text(docx: bytes) -> str:
    """Body, headers and footers of a .docx as text, one paragraph per line."""
    document = Document(io.BytesIO(docx))
    lines = paragraphs(document.element.body)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            lines += paragraphs(part._element)
    return "\n".join(lines)


def template_with(*texts: str) -> bytes:
    """A minimal .docx template whose body paragraphs are ``texts``."""
    document = Document()
    for text in texts:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
