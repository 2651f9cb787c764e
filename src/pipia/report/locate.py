"""A template error told in Word's terms: which part of the document, which paragraph (its text), what to change.

Jinja reports a line of the XML it compiled, which means nothing to the person who edits the template in
Word. docxtpl starts every paragraph (``<w:p``) on a line of its own before compiling, so the line of an
error is a paragraph: its text, stripped of XML, is what the person can find in Word (Ctrl+F). Pure: the
renderer hands over the compiled source, the line and the exception.
"""

from __future__ import annotations

import difflib
import html
import re
from types import TracebackType

from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from pipia.i18n import Message, msg

# Tags a template may use: Jinja's own and docxtpl's table-cell extensions.
KNOWN_TAGS = ("if", "elif", "else", "endif", "for", "endfor", "set", "endset", "with", "endwith", "filter",
              "endfilter", "macro", "endmacro", "call", "endcall", "raw", "endraw", "cellbg", "colspan", "vm", "hm")
# docxtpl's prefixes: {%p %} a paragraph, {%tr %} a table row, {%tc %} a cell, {%r %} a run.
DOCXTPL_PREFIXES = {"p": msg("template_unit_paragraph"), "tr": msg("template_unit_row"),
                    "tc": msg("template_unit_cell"), "r": msg("template_unit_run")}
# The parts of a document, as Word calls them.
PARTS = {"body": msg("template_part_body"), "header": msg("template_part_header"),
         "footer": msg("template_part_footer"), "footnotes": msg("template_part_footnotes")}
QUOTE_LIMIT = 100
_TAGS = re.compile(r"<[^>]+>")
_UNKNOWN = re.compile(r"Encountered unknown tag '(?P<tag>[^']+)'")
_LOOKING_FOR = re.compile(r"looking for the following tags: (?P<tags>.*?)\. ")


def part_of(partname: str) -> str:
    """Which part of the document a package part is: ``/word/header2.xml`` → ``header`` (a key of ``PARTS``)."""
    if "header" in partname:
        return "header"
    if "footer" in partname:
        return "footer"
    if "footnote" in partname:
        return "footnotes"
    return "body"


def place(part: str, quoted: str | None = None, ended: bool = False) -> Message:
    """Where in the document, as its author finds it in Word: ``in the body, at the paragraph “…”``."""
    if ended:
        return msg("template_at_end", part=PARTS[part])
    if quoted:
        return msg("template_at_paragraph", part=PARTS[part], quoted=quoted)
    return msg("template_in_part", part=PARTS[part])


_MARKS = re.compile(r"<w:p[ >/]|</w:p>|\{%|\{\{")
# A Jinja comment holding a line break: it renders as nothing, yet starts a new line for Jinja's count.
LINE_BREAK = "{#\n#}"


def own_lines(source: str) -> str:
    """``source`` with every tag that stands between paragraphs moved onto a line of its own.

    docxtpl starts a line at each paragraph, and a ``{%p %}`` or ``{%tr %}`` tag that replaced its
    paragraph or row is left at the end of the line before: an error in either was put on the same
    line, and the paragraph quoted could be the wrong one. The break is a Jinja comment, so what
    is rendered does not change by a byte.
    """
    out: list[str] = []
    depth = last = 0
    for mark in _MARKS.finditer(source):
        token = mark.group()
        if token.startswith("<w:p"):
            end = source.find(">", mark.start())
            if end > 0 and source[end - 1] != "/":  # <w:p/> is an empty paragraph: nothing inside
                depth += 1
        elif token == "</w:p>":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out += [source[last:mark.start()], LINE_BREAK]
            last = mark.start()
    out.append(source[last:])
    return "".join(out)


def paragraph_text(source: str, lineno: int | None) -> str | None:
    """The text of line ``lineno`` (1-based) of the compiled XML: the paragraph as Word shows it."""
    if not lineno:
        return None
    lines = source.splitlines()
    # A line holding only table or section structure has no text: the nearest paragraph before it does.
    for index in range(min(lineno, len(lines)) - 1, -1, -1):
        line = lines[index]
        # A {%p %} or {%tr %} tag has replaced its paragraph or row: it follows the paragraph before it on
        # the same line, and is the likelier culprit than that paragraph's text.
        line = line.removeprefix(LINE_BREAK[-2:]).removesuffix(LINE_BREAK[:2])  # see own_lines
        after = line.rsplit("</w:p>", 1)[-1] if "</w:p>" in line else ""
        tags = html.unescape(_TAGS.sub("", after)).strip()
        text = tags if "{%" in tags or "{{" in tags else html.unescape(_TAGS.sub("", line)).strip()
        if text:
            return text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT - 1] + "…"
    return None


def template_line(exc: BaseException) -> int | None:
    """The template line an error happened on: a syntax error's own, else the last template frame's."""
    if isinstance(exc, TemplateSyntaxError):
        return exc.lineno
    line = None
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def describe(name: str, part: str, source: str, exc: BaseException) -> Message:
    """``name: in <part>, at the paragraph “<text>”: <what is wrong>; <what to change>``; ``part`` a key of
    ``PARTS``."""
    ended = isinstance(exc, TemplateSyntaxError) and "unexpected end of template" in str(exc.message).lower()
    quoted = None if ended else paragraph_text(source, template_line(exc))
    return msg("template_error", name=name, place=place(part, quoted, ended), what=explain(exc))


def explain(exc: BaseException) -> Message:
    """What is wrong and what to change, for a template author working in Word. Jinja's own words (in
    English) are quoted where they name what it found."""
    if isinstance(exc, SecurityError):
        return msg("template_not_allowed", detail=str(exc))
    if isinstance(exc, UndefinedError):
        return msg("template_undefined", detail=str(exc.message))
    message = str(getattr(exc, "message", None) or exc)
    if isinstance(exc, TypeError) and "no loader" in message:  # import, include, extends: no files to read
        return msg("template_no_import")
    if not isinstance(exc, TemplateSyntaxError):
        return msg("template_fails_on_values", kind=type(exc).__name__, detail=message)
    unknown = _UNKNOWN.search(message)
    if unknown and unknown["tag"] in DOCXTPL_PREFIXES:
        prefix = unknown["tag"]
        return msg("template_prefix_not_recognised", prefix=prefix, unit=DOCXTPL_PREFIXES[prefix])
    if unknown and unknown["tag"] in KNOWN_TAGS:  # Jinja's word for an endfor or else with no block open
        return msg("template_stray_tag", tag=unknown["tag"])
    if unknown:
        tag = unknown["tag"]
        close = difflib.get_close_matches(tag, KNOWN_TAGS, n=1)
        if close:
            return msg("template_unknown_tag_close", tag=tag, close=close[0])
        return msg("template_unknown_tag", tag=tag, known=", ".join(KNOWN_TAGS[:8]))
    if "unexpected end of template" in message.lower():
        wanted = _LOOKING_FOR.search(message)
        return msg("template_never_closed", tags=wanted["tags"] if wanted else "endif / endfor")
    if "unexpected char" in message:
        return msg("template_bad_character", detail=message)
    return msg("template_syntax", detail=message)
