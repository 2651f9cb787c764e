"""Rendering a Word template with docxtpl: the only module that imports it.

Every render follows the tech notes, because docxtpl's defaults silently delete text:

- a fresh ``DocxTemplate`` per render, from template bytes: rendering mutates it (its document is a copy
  of the template opened once per process). What does not depend on
  the context is done once per process and reused: docxtpl's cleaning of each part's XML (``patch_xml``,
  a pure function of the part's text) and Jinja's compiling of the result (``from_string`` has no cache of
  its own, and compiling is most of a render);
- a ``SandboxedEnvironment`` (templates cannot reach Python internals: ``{{ ''.__class__ }}`` raises)
  with autoescape, ``StrictUndefined`` (a misspelt variable is an error, not an empty string) and a
  ``finalize`` that cleans every printed value of characters XML cannot hold;
- RichText only from cleaned text (``finalize`` does not reach inside it);
- the document's core properties set with python-docx after rendering, never templated (autoescape
  would write ``R&amp;D``), and the properties put in schema order, before the one save;
- nothing a template can reach has a method that touches a file or the document. docxtpl's
  ``InlineImage`` and ``RichText`` are not passed: an ``InlineImage`` carries its ``DocxTemplate``, whose
  public ``save`` and ``replace_zipname`` write and read any file the process can (the sandbox only
  refuses underscore attributes). ``template_values`` is the one place that builds what a template sees:
  the plain JSON context, checked, and ``Xml`` objects that can be printed and have nothing else.

The sandbox does not bound time or memory; ``sandbox`` runs untrusted templates in a child process.
"""

from __future__ import annotations

import copy
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.part import Part
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from docx.oxml.parser import element_class_lookup
from docx.oxml.xmlchemy import BaseOxmlElement
from docxtpl import DocxTemplate, RichText
from jinja2 import StrictUndefined
from jinja2 import Template as JinjaTemplate
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup, escape

from pipia.i18n import msg, t
from pipia.report import charts, docxzip, locate
from pipia.report.docxorder import put_in_order
from pipia.report.errors import TemplateError
from pipia.report.names import RENDER_NAMES, UnknownName, check_tree
from pipia.report.text import clean_text

__all__ = ["RENDER_NAMES", "Xml", "clean_text", "environment", "render_docx", "template_values"]

ALERT = "C00000"

# docxtpl turns "\a" in printed text into a new paragraph with the same formatting: a line break typed
# in an answer becomes a paragraph of its own (indented like the first), not a break inside one.
PARAGRAPH = "\a"

# After rendering, docxtpl turns {_{ }_} {_% %_} in the output into {{ }} {% %} (its escape for literal
# tags). Writing the brace of user text as a character reference keeps "{_{" typed by a user as typed.
_MARKERS = re.compile(r"\{(?=_)|(?<=_)\}")


def _protect(xml: str) -> str:
    return _MARKERS.sub(lambda m: "&#123;" if m.group(0) == "{" else "&#125;", xml)


class Xml:
    """WordprocessingML built by the renderer (a run of text, an image) that a template can only print.

    No public attribute, and the private one holds a function (whose insides the sandbox refuses too), so
    ``{{ x.anything }}`` fails while ``{{ x }}`` prints the XML.
    """

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[], str]) -> None:
        self._make = make

    def __html__(self) -> str:
        return self._make()

    def __str__(self) -> str:
        return self._make()


def template_values(tpl: DocxTemplate, context: dict[str, Any]) -> dict[str, Any]:
    """What a template sees: the report context (plain data only, else TypeError naming the path) and
    ``chart``, the dimension chart (a native Word chart, see ``charts``) as printable ``Xml``; None when
    nothing was scored."""
    if not _all_plain(context):
        _check_plain(context, "")  # finds and names the first value that is not
    rows = context.get("annex", {}).get("dimensions", [])
    lang = str(context.get("lang", "zh"))
    chart = Xml(lambda: _insert_chart(tpl, rows, lang)) if charts.has_chart(rows) else None
    return {**context, "chart": chart}


def _insert_chart(tpl: DocxTemplate, rows: list[dict[str, Any]], lang: str) -> str:
    """Add the chart part to the document, related from the part being rendered (body or header), and
    return the run that shows it. Called where the template prints ``{{ chart }}``."""
    part = tpl.current_rendering_part
    package = part.package
    chart = Part(package.next_partname(charts.PART_NAME), charts.CONTENT_TYPE, charts.chart_part_xml(rows, lang),
                 package)
    return charts.inline_run_xml(part.relate_to(chart, charts.RELATIONSHIP), part.next_id, rows, lang)


_PLAIN = (str, int, float, bool, type(None))


def _all_plain(value: Any) -> bool:
    # The check without the path of each value: naming every path costs a tenth of a report.
    if isinstance(value, dict):
        return all(map(_all_plain, value.values()))
    if isinstance(value, list | tuple):
        return all(map(_all_plain, value))
    return isinstance(value, _PLAIN)


def _check_plain(value: Any, path: str) -> None:
    # An object in the context exposes its public methods to the template: only data may pass.
    if isinstance(value, dict):
        for key, item in value.items():
            _check_plain(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_plain(item, f"{path}[{i}]")
    elif not isinstance(value, _PLAIN):
        raise TypeError(f"{path}: a {type(value).__name__} cannot be passed to a template (plain data only)")


# What ``_finalize`` changes in a string: line breaks and characters XML cannot hold (``clean_text``, the
# paragraph mark), what escaping changes, and the braces of docxtpl's markers. Most printed values (labels,
# names, short answers) hold none, and come out as they went in without the five passes over them.
_FINALIZED = re.compile("[\x00-\x1f\ufffe\uffff\ud800-\udfff&<>\"'{}]")


def _finalize(value: Any) -> Any:
    """Every ``{{ }}`` value on its way out: cleaned, escaped once, docxtpl's markers neutralised."""
    if type(value) is str and not _FINALIZED.search(value):
        return Markup(value)
    return _finalized(value)


def _finalized(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Markup):  # already escaped by a filter such as join: clean what is left
        return Markup(_protect(_text(str(value))))
    if isinstance(value, Xml):  # XML we built from cleaned text
        return value
    if isinstance(value, str):
        return Markup(_protect(str(escape(_text(value)))))
    return value


def _text(text: str) -> str:
    return clean_text(text).replace("\n", PARAGRAPH)


def rich(text: Any, alert: bool = False) -> Xml:
    """Template filter ``rt``: the text as a run, in bold red when ``alert`` (e.g. an unanswered question)."""
    run = RichText()
    run.add(_text("" if text is None else str(text)), bold=alert, color=ALERT if alert else None)
    xml = _protect(run.xml)
    return Xml(lambda: xml)



# The filters pipia adds to Jinja's own; each returns plain text or Xml.
FILTERS: dict[str, Callable[..., Any]] = {"rt": rich}


def environment() -> SandboxedEnvironment:
    """The environment every template is compiled and rendered in (see the module's docstring)."""
    return _environment()


class _Compiler:
    """What docxtpl is given as its Jinja environment for one render: compiles through the shared, cached
    environment, and remembers the source it compiled last, so an error can quote its paragraph."""

    def __init__(self) -> None:
        self.source = ""
        self.autoescape = True  # docxtpl sets it; the shared environment always escapes

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> JinjaTemplate:
        if isinstance(source, str):
            source = _own_lines(source)  # so an error's line is the paragraph or tag that holds it
        self.source = source if isinstance(source, str) else ""
        if globals is not None or template_class is not None or not isinstance(source, str):
            return _shared().from_string(source, globals, template_class)
        return _compiled(source)


# Templates compiled per process, by their source text. A report has three parts (body, header, footer)
# and a few properties; 64 holds both shipped templates and some users' own with room to spare, and keeps
# memory bounded however many different templates a long-running app sees.
COMPILED_TEMPLATES = 64


_own_lines = lru_cache(maxsize=COMPILED_TEMPLATES)(locate.own_lines)


@lru_cache(maxsize=COMPILED_TEMPLATES)
def _compiled(source: str) -> JinjaTemplate:
    # A compiled template holds no state of a render (the context is passed to ``render``), so sharing
    # it between renders and threads is what Jinja's own template cache does for loaded templates.
    return _shared().from_string(source)


@lru_cache(maxsize=1)
def _shared() -> SandboxedEnvironment:
    return _environment()


@lru_cache(maxsize=COMPILED_TEMPLATES)
def _patched(xml: str) -> str:
    return str(DocxTemplate.patch_xml(_PATCHER, xml))


# docxtpl's ``resolve_listing`` turns a tab, line break, paragraph mark (``PARAGRAPH``) or page break in
# printed text into Word's elements, by running three nested regular expressions over every paragraph of
# the rendered part: a quarter of a report's time. A paragraph without any of those characters comes out
# unchanged, so only the paragraphs holding one are given to it (found with its own paragraph pattern).
_LISTED_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING_CHARACTERS = re.compile("[\t\a\n\f]")


# docxtpl's ``fix_tables`` parses the rendered body, then walks every cell of every table in Python to
# find a table whose grid no longer fits its rows (a ``{%tc %}`` loop added or removed cells): a sixth of
# a render. The walk changes nothing when every row spans exactly the grid's columns, which XPath counts
# in C; only a table that does not fit (or cannot be counted) is given to docxtpl's own walk.
@lru_cache(maxsize=4)
def _row_counts(namespace: str) -> tuple[etree.XPath, etree.XPath]:
    """XPaths of a row's cells, and of the columns its cells span (``gridSpan``), in the document's namespace."""
    ns = {"w": namespace}
    return (etree.XPath("count(w:tc)", namespaces=ns),
            etree.XPath("count(w:tc) + sum(w:tc/w:tcPr/w:gridSpan/@w:val) - count(w:tc/w:tcPr/w:gridSpan)",
                        namespaces=ns))


def _tables_fit(tree: Any) -> bool:
    """True when docxtpl's ``fix_tables`` would leave every table of ``tree`` as it is: each row has no
    more cells than the grid has columns, and the widest row spans all of them."""
    if "w" not in tree.nsmap:
        return False  # docxtpl's walk says what is wrong
    cells, spanned = _row_counts(tree.nsmap["w"])
    w = f"{{{tree.nsmap['w']}}}"
    for table in tree.iter(f"{w}tbl"):
        grid = table.find(f"{w}tblGrid")
        if grid is None:
            return False
        columns = len(grid.findall(f"{w}gridCol"))
        widest = 0.0
        for row in table.iter(f"{w}tr"):  # nested tables' rows too, as docxtpl walks them
            span = spanned(row)
            if cells(row) > columns or math.isnan(span):  # NaN: a span that is not a number
                return False
            widest = max(widest, span)
        if widest < columns:
            return False
    return True


class _Template(DocxTemplate):  # type: ignore[misc]
    """docxtpl's template, with its cleaning of a part's XML done once per distinct part, its resolving
    of tabs and breaks in printed text done only where there are some, and its walk over table cells
    only where a table's grid may no longer fit. The rendered body is parsed inside its document's root
    (``_framed``) rather than moved into it, and its properties are put in schema order here, on the
    freshly parsed tree, before it becomes the document's."""

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)

    def init_docx(self, reload: bool = True) -> None:
        state = vars(self)  # docxtpl's attributes, untyped
        if isinstance(self.template_file, bytes) and (not state["docx"] or (state["is_rendered"] and reload)):
            # Rendering changes the document: a copy of its own, sharing only the parts no render changes.
            opened = _opened(self.template_file)
            self.docx = copy.deepcopy(opened.document, {id(part): part for part in opened.kept})
            self.is_rendered = False
        else:
            super().init_docx(reload)

    def fix_tables(self, xml: str) -> Any:
        tree = self._framed(xml)
        if tree is None or not _tables_fit(tree):
            tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))  # as docxtpl parses it
            if not _tables_fit(tree):
                tree = super().fix_tables(xml)
        put_in_order(tree)
        return tree

    def _framed(self, xml: str) -> Any:
        """The rendered body parsed inside a copy of the document's root element, with python-docx's
        element classes, so that it becomes the document's without being moved (see ``map_tree``);
        None when the body is not well-formed or declares namespaces its root does not."""
        if not vars(self).get("docx"):  # a template not opened: nothing to frame the body in
            return None
        root = self.docx._element
        root.replace(root.body, root.makeelement(f"{{{root.nsmap['w']}}}body"))
        before, empty, after = etree.tostring(root, encoding="unicode").partition("<w:body/>")
        start = _BODY_START.match(xml)
        declared = _declared(before[:before.find(">")])
        if not empty or start is None or _declared(start.group(0)) != declared:
            return None
        content = xml[start.end():]
        # Moving, lxml drops each declaration of a prefix already declared alike above it: the chart's run
        # repeats some of the root's. Dropped here too when that is all there is to drop: each other
        # declaration in the body is of a prefix and a namespace the root does not declare, and made once
        # (so never inside another like it). Otherwise the body is moved as before.
        if inner := _DECLARATION.findall(content):
            prefixes, uris = zip(*(d.split("=", 1) for d in declared), strict=True)
            for other in set(inner) - declared:
                prefix, uri = other.split("=", 1)
                if prefix in prefixes or uri in uris or inner.count(other) > 1:
                    return None
            if len(set(uris)) != len(uris):
                return None

            content = _undeclared(content, declared)
        try:
            framed = etree.fromstring(f"{before}<w:body>{content}{after}", _docx_parser())
        except etree.XMLSyntaxError:  # docxtpl's own recovering parse says what it can of it
            return None
        return framed.find(f"{{{root.nsmap['w']}}}body")

    def fix_docpr_ids(self, tree: Any) -> None:
        if not isinstance(tree, BaseOxmlElement):
            super().fix_docpr_ids(tree)
            return
        # docxtpl's numbering of drawings, for a body of python-docx's element classes, whose ``xpath``
        # knows the prefixes itself and takes no ``namespaces``.
        for drawing in tree.xpath("//wp:docPr"):
            self.docx_ids_index += 1
            drawing.attrib["id"] = str(self.docx_ids_index)

    def map_tree(self, tree: Any) -> None:
        # lxml moving a tree into another document walks every node to reconcile its namespaces: a body
        # parsed in its document's frame takes the place of the document's root element instead.
        root = tree.getparent()
        if root is None:
            super().map_tree(tree)
            return
        self.docx._element = self.docx.part._element = root
        vars(self.docx)["_Document__body"] = None  # python-docx's cached body, the one replaced

    def resolve_listing(self, xml: str) -> str:
        resolve = super().resolve_listing

        def paragraph(match: re.Match[str]) -> str:
            text = match.group(0)
            return str(resolve(text)) if _LISTING_CHARACTERS.search(text) else text

        return _LISTED_PARAGRAPH.sub(paragraph, xml)


# The parts of a template no render changes, by content type: docxtpl renders the body, headers, footers
# and footnotes, and pipia sets the core properties; none of these is here. The styles (with their
# Word 2010 copy) are most of a template's bytes: copying, serialising and compressing them again for
# each report was a tenth of its time.
_KEPT_TYPES = frozenset({
    CT.WML_STYLES, "application/vnd.ms-word.stylesWithEffects+xml", CT.WML_SETTINGS, CT.WML_WEB_SETTINGS,
    CT.WML_FONT_TABLE, CT.WML_NUMBERING, CT.OFC_THEME, CT.OFC_EXTENDED_PROPERTIES, CT.OFC_CUSTOM_XML_PROPERTIES,
    CT.XML, CT.JPEG, CT.PNG,
})


@dataclass(frozen=True)
class _Opened:
    """A template as python-docx opens it, and what every report of it shares: the parts no render
    changes (``kept``, the same objects in every rendered copy), each with its zip member, compressed once."""

    document: Any
    kept: tuple[Any, ...]
    members: dict[int, docxzip.Member]  # by id() of a kept part, which ``kept`` keeps alive


_BODY_START = re.compile(r"<w:body(?: xmlns(?::\w+)?=\"[^\"]*\")*>")
# Starting with its literal, the pattern is searched for as fast as a substring (a body is ~600 KB).
_DECLARATION = re.compile(r"xmlns(?::\w+)?=\"[^\"]*\"")


def _declared(start_tag: str) -> set[str]:
    """The namespace declarations of a start tag, as written: ``xmlns:w="..."``."""
    return set(_DECLARATION.findall(start_tag))


def _undeclared(xml: str, declared: set[str]) -> str:
    """``xml`` without those of ``declared`` declared inside its tags (a declaration follows a space in a
    start tag: after the last "<" and no ">", since text holds no "<" and lxml and Jinja escape ">" in
    attribute values); the same text elsewhere stays."""
    pieces, kept = [], 0
    for found in _DECLARATION.finditer(xml):
        at = found.start()
        if (found.group(0) in declared and xml[at - 1].isspace()
                and xml.rfind("<", 0, at) > xml.rfind(">", 0, at)):
            pieces.append(xml[kept:at - 1])
            kept = found.end()
    return "".join(pieces) + xml[kept:]


@lru_cache(maxsize=1)
def _docx_parser() -> etree.XMLParser:
    """The parser of a rendered body as docxtpl's, but making python-docx's element classes, and not recovering:
    a body that is not well-formed goes to docxtpl's own recovering parse."""
    parser = etree.XMLParser()
    parser.set_element_class_lookup(element_class_lookup)
    return parser


@lru_cache(maxsize=4)
def _opened(template: bytes) -> _Opened:
    """The template opened once per process; never rendered itself, only copied.

    Copying the parsed package (lxml copies its trees in C) costs half of unzipping and parsing every
    part again. Four holds both shipped templates; a user's template is rendered in a child process."""
    document = Document(io.BytesIO(template))
    kept = {id(part): part for part in document.part.package.iter_parts() if part.content_type in _KEPT_TYPES}
    # A kept part relates only to kept parts: each rendered copy must reach every other part through its
    # own copies, or it would be written twice (the template's and the copy).
    while dropped := [key for key, part in kept.items()
                      if any(not rel.is_external and id(rel.target_part) not in kept for rel in part.rels.values())]:
        for key in dropped:
            del kept[key]
    members = {key: docxzip.member(part.partname.membername, part.blob) for key, part in kept.items()}
    return _Opened(document, tuple(kept.values()), members)


class _Members:
    """python-docx's physical package writer as its ``PackageWriter`` calls it: the members, compressed."""

    def __init__(self) -> None:
        self.members: list[docxzip.Member] = []

    def write(self, uri: Any, blob: bytes) -> None:
        self.members.append(docxzip.member(uri.membername, blob))


def _saved(document: Any, opened: _Opened) -> bytes:
    """The .docx python-docx's ``save`` writes, the same members in the same order with the same bytes,
    with each kept part's member compressed once per process rather than again."""
    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    written = _Members()
    PackageWriter._write_content_types_stream(written, parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(written, package.rels)  # type: ignore[no-untyped-call]
    for part in parts:  # as PackageWriter._write_parts, but for the members kept
        kept = opened.members.get(id(part))
        if kept is not None:
            written.members.append(kept)
        else:
            written.write(part.partname, part.blob)
        if len(part.rels):
            written.write(part.partname.rels_uri, part.rels.xml)
    try:
        return docxzip.archive(written.members)
    except ValueError:  # too large for a plain zip: python-docx writes zip64
        rendered = io.BytesIO()
        document.save(rendered)
        return rendered.getvalue()


_PATCHER = DocxTemplate(io.BytesIO())  # patch_xml reads nothing of its template: any instance will do


def render_docx(template_bytes: bytes, context: dict[str, Any], name: str = "template") -> bytes:
    """The rendered .docx. ``name`` is how error messages refer to the template (a path, an upload's name).

    Raises TemplateError saying where (body, header, footer; the paragraph's text) and what to change.
    """
    tpl = _Template(template_bytes)
    values = template_values(tpl, context)
    env = _Compiler()
    try:
        tpl.render(values, jinja_env=env, autoescape=True)
    except (JinjaTemplateError, TypeError, ValueError, LookupError, AttributeError, ArithmeticError) as exc:
        # An expression that fails on the report's values, or a tag Jinja cannot read.
        part = getattr(getattr(tpl, "current_rendering_part", None), "partname", "")
        raise TemplateError(locate.describe(name, locate.part_of(str(part)), env.source, exc)) from None
    except (MemoryError, RecursionError) as exc:
        raise TemplateError(msg("template_too_much_memory", name=name, kind=type(exc).__name__)) from None
    except SyntaxError as exc:  # lxml's XMLSyntaxError: tags that leave the document's XML broken
        raise TemplateError(msg("template_xml_broken", name=name, detail=str(exc))) from None
    _set_properties(tpl.docx, context)
    return _saved(tpl.docx, _opened(template_bytes))


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=True, finalize=_finalize, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


def template_problems(template_bytes: bytes, name: str = "template") -> list[UnknownName]:
    """Every name the template reads that the report does not provide, nested fields included, in the
    order of the document's parts (body, headers, footers), each with its paragraph (see ``names``).

    Each part is compiled as docxtpl compiles it, so a syntax error names its part and paragraph, and an
    expression that cannot even be compiled fails here rather than in a user's report. Raises TemplateError.
    """
    tpl = DocxTemplate(io.BytesIO(template_bytes))
    document = Document(io.BytesIO(template_bytes))
    parts = [("/word/document.xml", tpl.xml_to_string(document._element.body))]
    for rel in document.part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and rel.target_part.blob:
            parts.append((str(rel.target_part.partname), tpl.xml_to_string(parse_xml(rel.target_part.blob))))
    env = _environment()
    found: list[UnknownName] = []
    for partname, xml in parts:
        # As docxtpl's render_xml_part does: every paragraph on a line of its own.
        source = locate.own_lines(re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml)))
        where = locate.part_of(partname)
        try:
            tree = env.parse(source)
            found += check_tree(tree, source, where)
            env.compile(tree)
        except JinjaTemplateError as exc:
            raise TemplateError(locate.describe(name, where, source, exc)) from None
    return list(dict.fromkeys(found))


def _set_properties(document: Any, context: dict[str, Any]) -> None:
    """Put the rendered document's properties in schema order and set its core properties, in place."""
    # The body was put in order as it was parsed (``_Template.fix_tables``).
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if not part.is_linked_to_previous:
                put_in_order(part._element)
    props = document.core_properties
    cover = context.get("cover", {})
    approval = context.get("annex", {}).get("approval", {})
    title = t("zh" if context.get("lang") == "zh" else "en", "report.title")
    processor = cover.get("processor", "")
    props.title = _property(f"{title} — {processor}" if processor else title)
    props.author = _property(approval.get("assessor", ""))
    props.subject = _property(cover.get("route", ""))
    props.last_modified_by = _property(approval.get("assessor", ""))
    props.comments = _property(cover.get("tool", ""))


def _property(text: str) -> str:
    # Core properties are one line of at most 255 characters (python-docx refuses longer ones).
    return clean_text(text).replace("\n", " ")[:255]
