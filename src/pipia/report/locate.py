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

# Tags a template may use: Jinja's own and docxtpl's table-cell extensions.
KNOWN_TAGS = ("if", "elif", "else", "endif", "for", "endfor", "set", "endset", "with", "endwith", "filter",
              "endfilter", "macro", "endmacro", "call", "endcall", "raw", "endraw", "cellbg", "colspan", "vm", "hm")
# docxtpl's prefixes: {%p %} a paragraph, {%tr %} a table row, {%tc %} a cell, {%r %} a run.
DOCXTPL_PREFIXES = {"p": "paragraph", "tr": "table row", "tc": "table cell", "r": "run of text"}
QUOTE_LIMIT = 100
_TAGS = re.compile(r"<[^>]+>")
_UNKNOWN = re.compile(r"Encountered unknown tag '(?P<tag>[^']+)'")
_LOOKING_FOR = re.compile(r"looking for the following tags: (?P<tags>.*?)\. ")


def part_name(partname: str) -> str:
    """Where in the document a part is, as Word calls it: ``/word/header2.xml`` → ``a page header``."""
    if "header" in partname:
        return "a page header"
    if "footer" in partname:
        return "a page footer"
    if "footnote" in partname:
        return "the footnotes"
    return "the body"


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


def describe(name: str, where: str, source: str, exc: BaseException) -> str:
    """``name: in <where>, at the paragraph “<text>”: <what is wrong>; <what to change>``."""
    ended = isinstance(exc, TemplateSyntaxError) and "unexpected end of template" in str(exc.message).lower()
    quoted = None if ended else paragraph_text(source, template_line(exc))
    place = f"in {where}, at the paragraph “{quoted}”" if quoted else f"at the end of {where}" if ended else \
        f"in {where}"
    return f"{name}: {place}: {explain(exc)}"


def explain(exc: BaseException) -> str:
    """What is wrong and what to change, for a template author working in Word."""
    if isinstance(exc, SecurityError):
        return f"the template tried an operation that is not allowed ({exc}); remove it from this paragraph"
    if isinstance(exc, UndefinedError):
        return (f"the template uses a value the report does not provide ({exc.message}); check the spelling "
                "of the name against `pipia template check` and the shipped templates")
    message = str(getattr(exc, "message", None) or exc)
    if not isinstance(exc, TemplateSyntaxError):
        return (f"the template fails on the report's values ({type(exc).__name__}: {message}); "
                "correct the expression in this paragraph")
    unknown = _UNKNOWN.search(message)
    if unknown and unknown["tag"] in DOCXTPL_PREFIXES:
        prefix = unknown["tag"]
        return (f"a {{%{prefix} … %}} tag (one that replaces its {DOCXTPL_PREFIXES[prefix]}) was not recognised: "
                f"it needs a space after {{%{prefix}, must not contain “%” or “}}” before its closing %}}, and "
                f"must be the only tag of its {DOCXTPL_PREFIXES[prefix]}; retype it in Word accordingly")
    if unknown:
        tag = unknown["tag"]
        close = difflib.get_close_matches(tag, KNOWN_TAGS, n=1)
        hint = f"; did you mean “{close[0]}”?" if close else f"; known tags are {', '.join(KNOWN_TAGS[:8])}"
        return f"unknown tag “{tag}”{hint} Correct it in Word and save the template again"
    if "unexpected end of template" in message.lower():
        wanted = _LOOKING_FOR.search(message)
        tags = wanted["tags"] if wanted else "an end tag"
        return (f"a block is never closed (expected {tags}); add a paragraph such as {{%p endif %}} or "
                "{%p endfor %} where the block should end")
    if "unexpected char" in message:
        return (f"{message}: a tag may not contain this character; in Word, retype the tag without it "
                "(for a percentage, compare with 0.5 rather than 50%)")
    return f"{message}; correct the tag in this paragraph in Word and save the template again"
