"""The shared libraries banks draw on: the registry of legal sources, and destination profiles.

Both are YAML files under ``questionnaires/library/``; a bank names them (paths relative to the bank).
"""

# Annotations are evaluated as the module runs (no ``from __future__ import annotations``): see ``pipia.model``.
import datetime as dt
from functools import cached_property
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from pipia.i18n import Localized
from pipia.model import Model

Id = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9_.\-]*$")]
ArticleId = Annotated[str, StringConstraints(strict=True, min_length=1, pattern=r"^[^:\s]+$")]
Url = Annotated[str, StringConstraints(strict=True, pattern=r"^https?://\S+$")]


class Article(Model):
    """One article of a legal source that questions cite, e.g. 'pipl:39' (PIPL Art. 39, separate consent)."""

    id: ArticleId = Field(description="How questions cite it after the colon: 'pipl:39', 'cert-measures:6(2)'.")
    title: Localized = Field(
        description="Article number and a short heading, e.g. 第三十九条 单独同意 / Art. 39 Separate consent."
    )
    text: Localized | None = Field(default=None, description="Optional wording or faithful summary of the article.")


class Source(Model):
    """A law, regulation, standard, template or guide questions cite (e.g. PIPL, the Provisions, GB/T 39335, the CAC
    template), with its articles.
    """

    id: Id = Field(description="Stable id used in citations, e.g. 'pipl'.")
    kind: Literal[
        "law",
        "administrative_regulation",
        "departmental_rules",
        "normative_document",
        "national_standard",
        "practice_guide",
        "guide",
        "template",
        "contract",
        "qa",
    ] = Field(description="What kind of instrument it is; binding force differs by kind.")
    short: Localized = Field(description="Short name used in running text, e.g. 《个人信息保护法》 / PIPL.")
    title: Localized = Field(description="Full official title.")
    issuer: Localized = Field(description="Who issued it.")
    number: str | None = Field(default=None, description="Document number, e.g. 国家互联网信息办公室令第16号.")
    issued: dt.date | None = Field(default=None, description="Date issued or published.")
    effective: dt.date | None = Field(default=None, description="Date in force.")
    url: Url | None = Field(default=None, description="Official or authoritative source of the text.")
    note: Localized | None = Field(default=None, description="Caveats, e.g. superseded parts or draft-only text.")
    articles: tuple[Article, ...] = Field(default=(), description="The articles questions cite.")

    @cached_property
    def article_ids(self) -> frozenset[str]:
        """The ids of the articles listed for the source, for checking citations."""
        return frozenset(a.id for a in self.articles)

    @cached_property
    def _articles(self) -> dict[str, Article]:
        return {a.id: a for a in reversed(self.articles)}  # the first of a repeated id, as a scan finds it

    def article(self, article_id: str) -> Article | None:
        """The article with this id, or None (looked up by id: the app cites some for every question drawn)."""
        return self._articles.get(article_id)


class SourceRegistry(Model):
    """The registry of legal sources (sources.yaml) that questions, coverage items and route rules cite."""

    sources: tuple[Source, ...] = Field(description="Every law, regulation, standard and template questions cite.")

    @cached_property
    def by_id(self) -> dict[str, Source]:
        """Each source id -> the source."""
        return {s.id: s for s in self.sources}


# content: the word destination profiles write, in their YAML, for a fact they could not check (in English,
# "To be confirmed"); it is matched in the files, not written by the program.
UNCONFIRMED = "待确认"


class ProfileFact(Model):
    """One fact about a destination's law (PI law, standards, international commitments, supervision, government
    access), for the standard contract Art. 4 assessment.
    """

    topic: Literal["pi_law", "standards", "international", "supervision", "government_access", "other"] = Field(
        description="Which of the standard contract Art. 4 topics this fact informs."
    )
    text: Localized = Field(description="The fact, short and neutral.")


class ProfileSource(Model):
    """A document or page where a destination profile's facts can be checked."""

    title: str = Field(description="Title of the source document or page.")
    url: Url = Field(description="Where it can be read.")


class Destination(Model):
    """The profile of a destination country or region: its PI law in brief, facts for the destination-law questions,
    their sources and when they were checked.
    """

    id: Id = Field(description="Id matched against the options of a bank's country/region question.")
    name: Localized = Field(description="Country or region name.")
    as_of: dt.date = Field(description="Date the facts were last checked.")
    summary: Localized = Field(description="Two or three sentences: the main law and how PI is protected.")
    facts: tuple[ProfileFact, ...] = Field(description="Facts that help a DPO answer the destination-law questions.")
    sources: tuple[ProfileSource, ...] = Field(min_length=1, description="Where each fact can be checked.")

    def stale_at(self, day: dt.date) -> bool:
        """True when the facts were last checked more than 12 months before ``day`` (laws abroad change)."""
        try:
            limit = day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            limit = day.replace(year=day.year - 1, day=28)
        return self.as_of < limit

    def unconfirmed(self) -> tuple[ProfileFact, ...]:
        """The facts marked "待确认 / To be confirmed": developments the profile could not check."""
        return tuple(f for f in self.facts if f.text.zh.startswith(UNCONFIRMED))


class DestinationLibrary(Model):
    """The destination profiles shown beside a bank's country/region question."""

    destinations: tuple[Destination, ...] = Field(description="Profiles of destination countries and regions.")

    @cached_property
    def by_id(self) -> dict[str, Destination]:
        """Each destination id -> its profile."""
        return {d.id: d for d in self.destinations}
