"""What readers get: which articles are published in which language, each as an edition.

po4a's threshold made explicit: an article whose catalog translates less
than ``min_translated`` percent of its segments is not published in that
language, in any format. A published article's untranslated segments either
keep their source text (``fallback = "source"``, the merged Markdown stays
byte-exact) or are left out (``fallback = "skip"``: their paragraphs,
headings, list items and quotes are dropped from every output, the Markdown
in ``build/`` included, so that a static-site generator fed from it shows
what the HTML shows; text inside a line, such as the headline, a table cell
or an image's alt text, keeps the source, as a page cannot do without it).

Translators are not trusted with the page: a translation whose markup differs
from its msgid's (links, images, code, emphasis, raw HTML, footnotes: the
checks E201-E206 of ``localize.checks``) is not published, in any format; its
segment keeps the source text, as an untranslated one does, and the merge
report names it.

``localize.pages`` lays the editions out as a site. Everything here works on
values; ``localize.steps.merge`` reads and writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from localize.markup import markup_problems
from localize.language import Language
from localize.splice import MergedDocument, MergedRegion, merge_document
from localize.model import Article, Catalog, Document, HtmlPlacement
from localize.render import headline
from localize.seo import short_description
from localize.segment.frontmatter import read_front_matter, split_front_matter
from localize.segment.lines import line_number, split_lines

SOURCE = "source"
SKIP = "skip"
# Front matter keys of an article's summary, for the page's description.
DESCRIPTION_KEYS = ("summary", "description")
# Kinds of segment that are whole blocks, which fallback = "skip" can leave out.
SKIPPABLE_KINDS = ("type: paragraph", "type: block quote", "type: list item", "type: heading")


@dataclass(frozen=True)
class MergePolicy:
    """What a merge may publish: ``use_fuzzy`` counts fuzzy translations as translated."""

    use_fuzzy: bool = False


@dataclass(frozen=True)
class Coverage:
    """How much of an article a catalog translates, counted in segments as a reader sees them.

    A paragraph that occurs three times is one message but three segments: a
    translator translates it once, the reader reads it three times. Whether an
    article is published (``merge``), below its threshold (``check``, E101) and
    counted as published (``status``) is decided on this alone.
    """

    segments: int
    translated: int

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.segments if self.segments else 100.0

    def publishes(self, min_translated: float) -> bool:
        return self.percent >= min_translated


def coverage(document: Document, catalog: Catalog | None, *, use_fuzzy: bool = False) -> Coverage:
    """The segments of ``document`` that ``catalog`` translates, as ``merge_document`` counts them.

    A translation that merge refuses to publish (``publishable_translations``) counts as missing.
    """
    translations, _ = publishable_translations(document, catalog, use_fuzzy=use_fuzzy)
    return Coverage(
        segments=len(document.segments),
        translated=sum(1 for segment in document.segments if translations.get(segment.text)),
    )


@dataclass(frozen=True)
class RefusedTranslation:
    """A translation that is not published: its msgid, the msgid's line in the catalog, and
    what its markup changes, as (code, message) pairs of ``localize.checks``."""

    msgid: str
    line: int
    problems: tuple[tuple[str, str], ...]


FRONT_MATTER_KIND = "front matter: "


def publishable_translations(
    document: Document, catalog: Catalog | None, *, use_fuzzy: bool = False
) -> tuple[dict[str, str], tuple[RefusedTranslation, ...]]:
    """The translations a merge may publish, by msgid, and those it refuses.

    A translation is refused when its markup differs from its msgid's: a
    link, image or raw HTML the source does not hold could otherwise reach
    the page (a front matter field, plain text, is compared on those alone;
    the text of a raw HTML block on its tags, of which only alt and title
    values may change).
    The checks are ``check``'s own (E201-E206), and no translator comment
    silences them here.
    """
    if catalog is None:
        return {}, ()
    translations = catalog.translations(use_fuzzy=use_fuzzy)
    refused: dict[str, list[tuple[str, str]]] = {}
    for segment in document.segments:
        translation = translations.get(segment.text)
        if not translation or translation == segment.text:
            continue
        for problem in markup_problems(
            segment.text, translation, plain_text=segment.kind.startswith(FRONT_MATTER_KIND),
            html=isinstance(segment.placement, HtmlPlacement),
        ):
            found = refused.setdefault(segment.text, [])
            if problem not in found:
                found.append(problem)
    if not refused:
        return translations, ()
    lines = {message.msgid: message.linenum for message in catalog.active if not message.msgid_plural}
    for msgid in refused:
        del translations[msgid]
    return translations, tuple(
        RefusedTranslation(msgid, lines.get(msgid, 0), tuple(problems)) for msgid, problems in refused.items()
    )


@dataclass(frozen=True, slots=True)  # one an article and language in every result of a merge's workers
class ArticleState:
    """One article in one language: how much is translated and whether readers get it."""

    slug: str
    segments: int
    translated: int
    fuzzy: int  # translations that are fuzzy (used only with use_fuzzy)
    published: bool
    outdated: bool

    @property
    def percent(self) -> float:
        return Coverage(segments=self.segments, translated=self.translated).percent


@dataclass(frozen=True, slots=True)  # one an article and language in every result of a merge's workers
class Edition:
    """An article as published (or withheld) in one language."""

    article: Article
    language: Language
    state: ArticleState
    text: str  # the published Markdown
    regions: tuple[MergedRegion, ...]
    title: str
    title_translated: bool
    refused: tuple[RefusedTranslation, ...] = ()  # translations not published: their segments show the source
    description: str = ""  # the front matter's summary (or description), as published
    # Whether some translation was made for an earlier source text (fuzzy, or left obsolete): the page then
    # says "out of date"; a published page that only lacks translations says "incomplete".
    source_changed: bool = False


def fuzzy_segments(document: Document, catalog: Catalog | None, published: dict[str, str] | None = None) -> int:
    """Segments whose only translation is fuzzy (and, given ``published``, is published)."""
    if catalog is None:
        return 0
    fuzzy = {message.msgid for message in catalog.active if message.fuzzy and message.msgstr}
    if published is not None:
        fuzzy &= published.keys()
    return sum(1 for segment in document.segments if segment.text in fuzzy)


def edition(
    article: Article,
    document: Document,
    catalog: Catalog | None,
    *,
    language: Language,
    source: bool,
    min_translated: float,
    fallback: str,
    policy: MergePolicy,
) -> Edition:
    """Merge one article into one language and decide whether it is published."""
    if source:
        merged = merge_document(document, {segment.text: segment.text for segment in document.segments})
        covered = Coverage(segments=merged.segments, translated=merged.segments)
        fuzzy = 0
        refused: tuple[RefusedTranslation, ...] = ()
    else:
        translations, refused = publishable_translations(document, catalog, use_fuzzy=policy.use_fuzzy)
        merged = merge_document(document, translations)
        covered = Coverage(segments=merged.segments, translated=merged.translated)
        fuzzy = fuzzy_segments(document, catalog, translations) if policy.use_fuzzy else 0
    published = source or covered.publishes(min_translated)
    state = ArticleState(
        slug=article.slug,
        segments=covered.segments,
        translated=covered.translated,
        fuzzy=fuzzy,
        published=published,
        outdated=published and not source and (covered.translated < covered.segments or fuzzy > 0),
    )
    text, regions = (merged.text, merged.regions) if fallback != SKIP else skip_untranslated(merged)
    front_matter = _front_matter(text, article)
    title = front_matter.get("title") or headline(_body_of(text, article))
    description = next((front_matter[key] for key in DESCRIPTION_KEYS if isinstance(front_matter.get(key), str)), "")
    title_region = next((region for region in regions if region.segment.kind == "front matter: title"), None)
    return Edition(
        article=article,
        language=language,
        state=state,
        text=text,
        regions=regions,
        title=str(title) if title else article.slug,
        title_translated=source or (title_region is not None and title_region.translation is not None),
        refused=refused,
        description=short_description(description),
        source_changed=not source and _source_changed(document, catalog),
    )


def _front_matter(text: str, article: Article) -> dict:
    """The front matter of the published ``text``: the article's own, read once, when the merge
    left its front matter as it was (the source's edition, an untranslated title), as YAML
    parsing was a tenth of a merge."""
    if text == article.text:  # (the source's edition: not even split again)
        return article.front_matter
    block = split_front_matter(text, path=article.path)
    if block is not None:
        source = split_front_matter(article.text, path=article.path)
        if (source is not None and source.format == block.format
                and article.text[source.content_start:source.content_end] == text[block.content_start:block.content_end]):
            return article.front_matter
    return read_front_matter(text, block, path=article.path)


def _source_changed(document: Document, catalog: Catalog | None) -> bool:
    """Whether the catalog holds translations of earlier source texts: fuzzy ones of this
    article's segments, or obsolete translated entries."""
    if catalog is None:
        return False
    if fuzzy_segments(document, catalog):
        return True
    return any(message.obsolete and (message.msgstr or any(message.msgstr_plural.values()))
               for message in catalog.messages)


def _body_of(text: str, article: Article) -> str:
    block = split_front_matter(text, path=article.path)
    return text[block.end:] if block is not None else text


def skip_untranslated(merged: MergedDocument) -> tuple[str, tuple[MergedRegion, ...]]:
    """The merged text without the blocks of untranslated segments, and where the others now are."""
    text = merged.text
    lines = split_lines(text)
    dropped: set[int] = set()
    for region in merged.regions:
        if region.translation is None and region.segment.kind.startswith(SKIPPABLE_KINDS):
            first = line_number(lines, region.start) - 1
            last = line_number(lines, max(region.start, region.end - 1)) - 1
            dropped.update(range(first, last + 1))
            # One blank line goes with the block, so that no gap of two is left.
            after = last + 1
            before_blank = first == 0 or _blank(text, lines[first - 1]) or first - 1 in dropped
            if after < len(lines) and _blank(text, lines[after]) and before_blank:
                dropped.add(after)
    if not dropped:
        return text, merged.regions
    pieces = []
    removed_before = []  # characters removed before each line starts
    removed = 0
    for index, line in enumerate(lines):
        removed_before.append(removed)
        whole = text[line.start:line.end + len(line.ending)]
        if index in dropped:
            removed += len(whole)
        else:
            pieces.append(whole)
    kept = []
    for region in merged.regions:
        first = line_number(lines, region.start) - 1
        if first in dropped:
            continue
        shift = removed_before[first]
        kept.append(MergedRegion(region.segment, region.start - shift, region.end - shift, region.translation))
    return "".join(pieces), tuple(kept)


def _blank(text: str, line) -> bool:
    return not text[line.start:line.end].strip(" \t>")
