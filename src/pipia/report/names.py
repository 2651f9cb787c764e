"""The names a report template may read, from the typed context, and the check of a template's names.

``context_names`` and ``describe`` list every name of ``contextmodel.ReportContext`` with its nesting
(``chapter1.recipients[].name``), for the documentation of template names. ``check_tree`` follows a
compiled template's expressions through that description: a loop variable takes the shape of one item
of the list it loops over, ``{% set %}`` and ``{% with %}`` names the shape of their value, and every
field read from a part of the context must be one of that part's fields. What it cannot follow (a
macro's arguments, the result of most filters, methods of a text) is not checked, rather than refused:
rendering the sample assessment, which ``pipia template check`` also does, catches the rest.

Pure: it reads a Jinja syntax tree and the compiled source (for the paragraph of each problem), never a
file or the document.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from jinja2 import Environment, nodes
from pydantic import BaseModel

from pipia.i18n import Message, msg
from pipia.model import Model
from pipia.report import locate
from pipia.report.contextmodel import ReportContext

__all__ = ["RENDER_NAMES", "NameDoc", "Shape", "UnknownName", "check_source", "check_tree", "context_names", "describe",
           "template_defines"]

# Names the renderer adds to the context (see ``render.template_values``): they are not JSON.
RENDER_NAMES = {"chart": "The dimension chart (Annex 5) as an image to print alone in its paragraph: "
                         "``{{ chart }}``; empty when nothing was scored."}
# Jinja's own globals (see ``render``'s test of what a template can reach).
JINJA_GLOBALS = frozenset({"range", "dict", "lipsum", "cycler", "joiner", "namespace"})
# What a ``{% for %}`` loop offers as ``loop``.
LOOP_FIELDS = ("index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0",
               "previtem", "nextitem", "cycle", "changed")
# Methods of the dicts the context is made of, which a template may call (``cover.items()``).
DICT_METHODS = frozenset({"items", "keys", "values", "get"})
# Filters that return one item of a list, and those that return a list of the same items.
ITEM_FILTERS = frozenset({"first", "last", "random"})
SAME_FILTERS = frozenset({"sort", "reverse", "unique", "list", "selectattr", "rejectattr", "select", "reject",
                          "default", "d"})


class UnknownName(Model):
    """A name a template reads that the report does not provide, where it is, and the names valid there.

    ``name`` is the expression as written (``cover.procesor``, ``r.nmae``); ``part`` the part of the
    document (a key of ``locate.PARTS``) and ``paragraph`` its text, as Word shows it ("" if none); ``of``
    what the name was read from as written (``cover``, ``r``), empty for a top-level name, with ``of_path``
    the list it loops over or the path it stands for (``chapter1.recipients[]``) where that differs;
    ``known`` the valid names at that level as they would be written; ``closest`` the likeliest one, or
    empty; ``is_list``: a field was read from a list, which must be looped over.
    """

    name: str
    part: str = "body"
    paragraph: str = ""
    of: str = ""
    of_path: str = ""
    known: tuple[str, ...] = ()
    closest: str = ""
    is_list: bool = False

    @property
    def where(self) -> str:
        """Where it is, in English: ``in the body, at the paragraph “…”``."""
        return locate.place(self.part, self.paragraph)("en")

    def said(self) -> Message:
        """The problem as one line for the template's author: where, the name, what to write instead."""
        known = ", ".join(self.known)
        of: Message | str = self.of
        if self.of_path.endswith("[]"):
            of = msg("template_of_each", name=self.of, path=self.of_path.removesuffix("[]"))
        elif self.of_path:
            of = msg("template_of_path", name=self.of, path=self.of_path)
        if self.is_list:
            what = msg("template_name_of_list", of=of, known=known)
        elif self.of:
            what = (msg("template_no_such_field_close", of=of, closest=self.closest, known=known) if self.closest
                    else msg("template_no_such_field", of=of, known=known))
        else:
            what = (msg("template_no_such_name_close", closest=self.closest, known=known) if self.closest
                    else msg("template_no_such_name", known=known))
        return msg("template_unknown_name", place=locate.place(self.part, self.paragraph), name=self.name,
                   what=what)

    def __str__(self) -> str:
        """The problem in English (``said`` writes it in either language)."""
        return self.said()("en")


# -- the shapes of the context ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Shape:
    """What a value of the context is: an object with fields, a list of items, a leaf, or not known."""

    kind: Literal["object", "list", "leaf", "any"]
    path: str = ""  # where it is in the context: chapter1.recipients[]
    fields: dict[str, Shape] = field(default_factory=dict)
    item: Shape | None = None
    type: str = ""  # in words, for the documentation
    description: str = ""  # of the field holding it
    doc: str = ""  # of the part itself: its class's docstring


ANY = Shape("any")
LOOP = Shape("object", "loop", {name: ANY for name in LOOP_FIELDS}, type="the loop")
LEAF_TYPES = {str: "text", bool: "true/false", int: "whole number", float: "number"}


def _shape(annotation: Any, path: str, description: str = "") -> Shape:
    """The shape of a field's annotation: a model, ``list[...]``, a leaf type, an optional or a Literal."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = {name: _shape(info.annotation, f"{path}.{name}" if path else name, info.description or "")
                  for name, info in annotation.model_fields.items()}
        return Shape("object", path, fields, type=annotation.__name__, description=description,
                     doc=" ".join((annotation.__doc__ or "").split()))
    if origin is list:
        (item_type,) = typing.get_args(annotation)
        item = _shape(item_type, f"{path}[]")
        return Shape("list", path, item=item, type=f"list of {item.type}", description=description)
    if origin in (typing.Union, types.UnionType):
        kinds = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner = _shape(kinds[0], path, description)
        return Shape("leaf", path, type=f"{inner.type} or none", description=description)
    if origin is Literal:
        values = " or ".join(str(v) for v in typing.get_args(annotation))
        return Shape("leaf", path, type=f"text: {values}", description=description)
    return Shape("leaf", path, type=LEAF_TYPES.get(annotation, str(annotation)), description=description)


@cache
def context_shape() -> Shape:
    """The shape of everything a template sees: ``ReportContext`` and the names the renderer adds."""
    root = _shape(ReportContext, "")
    images = {name: Shape("object", name, type="image", description=text) for name, text in RENDER_NAMES.items()}
    return Shape("object", "", {**root.fields, **images}, type="ReportContext")


@dataclass(frozen=True)
class NameDoc:
    """One name of the context for the documentation: its path, type in words and description."""

    path: str
    type: str
    description: str
    depth: int


def describe() -> list[NameDoc]:
    """Every name of the context, parents before their fields, in the order the context holds them."""
    return list(_walk(context_shape(), 0))


def _walk(shape: Shape, depth: int) -> Iterator[NameDoc]:
    for child in shape.fields.values():
        yield NameDoc(child.path, child.type, child.description, depth)
        if child.kind == "object":
            yield from _walk(child, depth + 1)
        elif child.item is not None and child.item.kind == "object":
            yield from _walk(child.item, depth + 1)


def context_names() -> list[str]:
    """Every name of the context with its nesting: ``cover``, ``cover.processor``, ``chapter1.recipients[].name``."""
    return [doc.path for doc in describe()]


# -- checking a template ---------------------------------------------------------------------------------
def check_source(source: str, part: str) -> list[UnknownName]:
    """``check_tree`` of a template's source text (one paragraph a line); TemplateSyntaxError if it has one."""
    return check_tree(Environment().parse(source), source, part)


def template_defines(tree: nodes.Template) -> set[str]:
    """Names the template gives a value itself (set, for, with, macro, import), wherever it does.

    Jinja counts a name set inside an ``{% if %}`` block and read after it as read from the context,
    since the block may not run. It is the template's own name all the same, not one the report lacks;
    if it is read where it has no value, rendering the sample says so.
    """
    names: set[str] = set()
    targets: list[nodes.Node] = []
    for node in tree.find_all((nodes.Assign, nodes.AssignBlock, nodes.For, nodes.With)):
        if isinstance(node, nodes.With):
            targets += node.targets
        elif isinstance(node, nodes.Assign | nodes.AssignBlock | nodes.For):
            targets.append(node.target)
    for target in targets:
        names |= {n.name for n in target.find_all(nodes.Name) if n.ctx in ("store", "param")}
        if isinstance(target, nodes.Name):
            names.add(target.name)
    names |= {n.name for n in tree.find_all(nodes.Macro)}
    names |= {n.target for n in tree.find_all(nodes.Import)}
    for imported in tree.find_all(nodes.FromImport):
        names |= {item if isinstance(item, str) else item[1] for item in imported.names}
    return names


def check_tree(tree: nodes.Template, source: str, part: str) -> list[UnknownName]:
    """Every name ``tree`` reads that the report does not provide, nested ones included, in the order read.

    ``source`` is the compiled text of the part (one paragraph per line, see ``locate.own_lines``), to
    quote the paragraph of each problem; ``part`` is the part (a key of ``locate.PARTS``: ``body``).
    """
    checker = _Checker(source, part, template_defines(tree))
    checker.statements(tree.body, {})
    return list(dict.fromkeys(checker.problems))


class _Checker:
    def __init__(self, source: str, part: str, defined: set[str]) -> None:
        self.source, self.part, self.defined = source, part, defined
        self.problems: list[UnknownName] = []

    def paragraph(self, node: nodes.Node) -> str:
        return locate.paragraph_text(self.source, node.lineno) or ""

    # -- statements: they bind names to shapes --------------------------------------------------------
    def statements(self, body: list[nodes.Node], env: dict[str, Shape]) -> None:
        for node in body:
            self.statement(node, env)

    def statement(self, node: nodes.Node, env: dict[str, Shape]) -> None:
        if isinstance(node, nodes.For):
            listed = self.expr(node.iter, env)
            inner = {**env, "loop": LOOP}
            self.bind(node.target, listed.item if listed.kind == "list" and listed.item else ANY, inner)
            if node.test is not None:
                self.expr(node.test, inner)
            self.statements(node.body, inner)
            self.statements(node.else_, env)
        elif isinstance(node, nodes.Assign):
            self.bind(node.target, self.expr(node.node, env), env)  # a set inside {% if %} stays set after it
        elif isinstance(node, nodes.AssignBlock):
            self.statements(node.body, env)
            self.bind(node.target, ANY, env)
        elif isinstance(node, nodes.With):
            inner = dict(env)
            for target, value in zip(node.targets, node.values, strict=True):
                self.bind(target, self.expr(value, env), inner)
            self.statements(node.body, inner)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            # A macro's arguments can be anything: what it reads from them is not checked.
            inner = {**env, "caller": ANY, "varargs": ANY, "kwargs": ANY}
            for arg in node.args:
                inner[arg.name] = ANY
            for default in node.defaults:
                self.expr(default, env)
            if isinstance(node, nodes.CallBlock):
                self.expr(node.call, env)
            else:
                env[node.name] = ANY
            self.statements(node.body, inner)
        elif isinstance(node, nodes.Import):
            env[node.target] = ANY
        elif isinstance(node, nodes.FromImport):
            for item in node.names:
                env[item if isinstance(item, str) else item[1]] = ANY
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.expr(child, env)
                else:
                    self.statement(child, env)

    def bind(self, target: nodes.Node, shape: Shape, env: dict[str, Shape]) -> None:
        if isinstance(target, nodes.Name):
            env[target.name] = shape
        else:  # a tuple (for k, v in …) or a namespace attribute: the parts are not followed
            for name in target.find_all(nodes.Name):
                env[name.name] = ANY

    # -- expressions: each returns the shape of its value --------------------------------------------
    def expr(self, node: nodes.Node, env: dict[str, Shape]) -> Shape:
        if isinstance(node, nodes.Name):
            return self.name(node, env)
        if isinstance(node, nodes.Getattr):
            return self.member(node, self.expr(node.node, env), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node, env)
            key = node.arg
            if isinstance(key, nodes.Const) and isinstance(key.value, str) and base.kind == "object":
                return self.member(node, base, key.value)
            self.expr(key, env)
            return base.item if base.kind == "list" and base.item else ANY
        if isinstance(node, nodes.Filter) and node.node is not None:
            base = self.expr(node.node, env)
            self.children(node, env, skip=node.node)
            if node.name in ITEM_FILTERS and base.kind == "list" and base.item:
                return base.item
            return base if node.name in SAME_FILTERS else ANY
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            base = self.expr(node.node.node, env)
            if not (base.kind == "object" and node.node.attr in DICT_METHODS):  # cover.items() is a dict's
                self.member(node.node, base, node.node.attr)
            self.children(node, env, skip=node.node)
            return ANY
        self.children(node, env)
        return ANY

    def children(self, node: nodes.Node, env: dict[str, Shape], skip: nodes.Node | None = None) -> None:
        for child in node.iter_child_nodes():
            if child is not skip:
                if isinstance(child, nodes.Expr):
                    self.expr(child, env)
                else:
                    self.statement(child, env)

    def name(self, node: nodes.Name, env: dict[str, Shape]) -> Shape:
        top = context_shape().fields
        if node.name in env:
            return env[node.name]
        if node.name in top:
            return top[node.name]
        if node.name not in self.defined and node.name not in JINJA_GLOBALS:
            known = tuple(top)
            self.problems.append(UnknownName(name=node.name, part=self.part, paragraph=self.paragraph(node),
                                             known=known, closest=_closest(node.name, known)))
        return ANY

    def member(self, node: nodes.Getattr | nodes.Getitem, base: Shape, attr: str) -> Shape:
        if base.kind == "object" and attr in base.fields:
            return base.fields[attr]
        if base.kind not in ("object", "list"):
            return ANY  # a text's methods (upper, strip …) or something not followed
        written = _written(node.node)
        if base.kind == "list":
            item = base.item.fields if base.item else {}
            self.problems.append(UnknownName(name=_written(node), part=self.part, paragraph=self.paragraph(node),
                                             of=written, known=tuple(f"x.{k}" for k in item), is_list=True))
            return ANY
        known = tuple(f"{written}.{k}" for k in base.fields)
        self.problems.append(UnknownName(name=_written(node), part=self.part, paragraph=self.paragraph(node),
                                         of=written, of_path=_of_path(written, base), known=known,
                                         closest=_closest(f"{written}.{attr}", known)))
        return ANY


def _closest(name: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
    return close[0] if close else ""


def _of_path(written: str, shape: Shape) -> str:
    """The path a name read from stands for (``chapter1.recipients[]`` for a loop variable ``r``); "" when
    it is written as that path."""
    path = shape.path
    if written == path or shape is LOOP:
        return ""
    return path


def _written(node: nodes.Node) -> str:
    """An expression as the template wrote it, near enough to find: ``annex['route'].desided``."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_written(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        key = node.arg
        inner = repr(key.value) if isinstance(key, nodes.Const) else "…"
        return f"{_written(node.node)}[{inner}]"
    if isinstance(node, nodes.Filter) and node.node is not None:
        return f"({_written(node.node)}|{node.name})"
    return "…"
