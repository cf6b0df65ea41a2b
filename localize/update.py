"""Updating a catalog from its template: msgmerge's semantics, and a little better.

For each message of the template, in the template's order (the article's):

* the same msgid in the existing catalog, active or obsolete, keeps its
  translation, translator comments and flags (an obsolete one is revived);
* otherwise the translation memory may know the very same text, translated
  elsewhere in the language: it is filled in as translated, with a translator
  comment saying where it came from (so is an existing entry still
  untranslated, as msgmerge does with a compendium);
* otherwise the most similar translated text above ``UpdatePolicy.cutoff``
  gives a ``fuzzy`` suggestion that keeps the text it translates as the
  previous msgid (``#| msgid``), so that editors show what changed. The
  catalog's own messages come first; the memory wins only with a strictly
  better match. Unlike msgmerge, a paragraph split in two or two paragraphs
  merged into one are recognised (consecutive messages, joined by a space);
* otherwise the message stays untranslated.

Old messages that a fuzzy suggestion took up disappear, as in msgmerge (their
translation lives on in the suggestion); other translated ones that left the
template become obsolete (``#~``), untranslated ones are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol

from localize.catalog import new_header
from localize.language import Language
from localize.model import Catalog, Message

FUZZY = "fuzzy"
DEFAULT_CUTOFF = 0.75


@dataclass(frozen=True)
class CatalogHeader:
    """What a catalog's header says about where it comes from."""

    project_name: str
    language: Language
    creation_date: str
    source_path: str


@dataclass(frozen=True)
class UpdatePolicy:
    """How far an update may go to fill new messages.

    ``cutoff`` is the least similarity (0 to 1, as msgmerge's ``fstrcmp``
    measures it: 1 - insertions and deletions / both lengths) for a fuzzy
    suggestion; ``fuzzy=False`` makes none (``msgmerge --no-fuzzy-matching``).
    ``prune_obsolete`` drops obsolete messages instead of keeping them.
    """

    fuzzy: bool = True
    cutoff: float = DEFAULT_CUTOFF
    prune_obsolete: bool = False


@dataclass(frozen=True)
class Match:
    """A translation found for a text: what it translates, where it was found, how similar (0 to 1)."""

    msgid: str
    msgstr: str
    origin: str
    similarity: float = 1.0


class Memory(Protocol):
    """Translations of one language found outside the catalog being updated."""

    def exact(self, msgid: str) -> Match | None:
        """A translation of exactly ``msgid``."""

    def similar(self, msgid: str, *, cutoff: float) -> Match | None:
        """The translation of the text most similar to ``msgid``, at least ``cutoff`` similar."""


@dataclass(frozen=True)
class UpdateSummary:
    """What an update did, message by message, for the report."""

    reused: int = 0  # exact matches from the translation memory
    fuzzy: int = 0  # new fuzzy suggestions
    revived: int = 0  # obsolete messages whose text came back
    obsoleted: int = 0  # messages that left the template and became obsolete
    pruned: int = 0  # obsolete messages dropped by prune_obsolete


@dataclass(frozen=True)
class UpdateResult:
    catalog: Catalog
    summary: UpdateSummary = field(default_factory=UpdateSummary)


def update_catalog(
    template: Catalog,
    existing: Catalog | None,
    *,
    header: CatalogHeader,
    memory: Memory | None = None,
    policy: UpdatePolicy = UpdatePolicy(),
) -> Catalog:
    """The catalog for ``template``, keeping every translation ``existing`` holds."""
    return update(template, existing, header=header, memory=memory, policy=policy).catalog


def update(
    template: Catalog,
    existing: Catalog | None,
    *,
    header: CatalogHeader,
    memory: Memory | None = None,
    policy: UpdatePolicy = UpdatePolicy(),
) -> UpdateResult:
    """``update_catalog`` with a summary of what happened.

    A message the template keeps keeps its translation; one it dropped becomes
    obsolete (``#~``) if it was translated; a new one stays untranslated unless the
    catalog or ``memory`` holds a translation of a similar text (then ``fuzzy``).

    >>> from localize.language import parse_language
    >>> template = Catalog(messages=(Message("Sirens in Kyiv."), Message("Trams run again.")))
    >>> existing = Catalog(messages=(Message("Sirens in Kyiv.", "Сирены в Киеве."),
    ...                              Message("Old news.", "Старые новости.")))
    >>> header = CatalogHeader("news", parse_language("ru"), "2024-05-01 10:00+0000", "kyiv.md")
    >>> result = update(template, existing, header=header)
    >>> [(message.msgid, message.msgstr, message.obsolete) for message in result.catalog.messages]
    [('Sirens in Kyiv.', 'Сирены в Киеве.', False), ('Trams run again.', '', False), ('Old news.', 'Старые новости.', True)]
    >>> result.summary.obsoleted, result.catalog.metadata["Language"]
    (1, 'ru')
    """
    old_messages = existing.messages if existing is not None else ()
    active = {message.key: message for message in old_messages if not message.obsolete}
    obsolete = {message.key: message for message in old_messages if message.obsolete}
    counts = {"reused": 0, "fuzzy": 0, "revived": 0}

    updated: list[Message | None] = []
    used: set[tuple[str | None, str]] = set()
    for new in template.messages:
        old = active.get(new.key) or obsolete.get(new.key)
        if old is not None:
            used.add(new.key)
            counts["revived"] += old.obsolete
            carried = _carry_over(old, new)
            if memory is not None and _untranslated(carried) and not carried.msgid_plural:
                match = memory.exact(carried.msgid)
                if match is not None:
                    carried = _reused(carried, match)
                    counts["reused"] += 1
            updated.append(carried)
            continue
        match = memory.exact(new.msgid) if memory is not None and not new.msgid_plural else None
        if match is not None:
            counts["reused"] += 1
            updated.append(_reused(new, match))
        else:
            updated.append(None)  # decided below, once every exact match is known

    if policy.fuzzy:
        _suggest(template.messages, updated, old_messages, memory, policy.cutoff, used, counts)
    messages = [message if message is not None else new for message, new in zip(updated, template.messages)]

    # Obsolete messages: the ones already obsolete first, in their order, then those that
    # just left the template. Untranslated ones are dropped, as msgmerge does: nothing is lost.
    retired = [message for message in old_messages if message.obsolete and message.key not in used]
    newly = [
        _make_obsolete(message) for message in old_messages
        if not message.obsolete and message.key not in used and _has_translation(message)
    ]
    pruned = 0
    if policy.prune_obsolete:
        pruned, retired, newly = len(retired) + len(newly), [], []
    catalog = Catalog(
        messages=tuple(messages + retired + newly),
        metadata=_metadata(existing, header),
        header=existing.header if existing is not None else _header_comment(header),
        metadata_is_fuzzy=existing.metadata_is_fuzzy if existing is not None else False,
    )
    summary = UpdateSummary(obsoleted=len(newly), pruned=pruned, **counts)
    return UpdateResult(catalog, summary)


# -- fuzzy suggestions ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Suggestion:
    similarity: float
    message: Message
    takes: tuple[tuple[str | None, str], ...] = ()  # keys of the old messages it takes up


def _suggest(
    template: tuple[Message, ...],
    updated: list[Message | None],
    old_messages: tuple[Message, ...],
    memory: Memory | None,
    cutoff: float,
    used: set[tuple[str | None, str]],
    counts: dict[str, int],
) -> None:
    """Fill ``updated``'s gaps (``None``) with fuzzy suggestions, in place."""
    # Every translated old message may suggest (msgmerge's rule); only those whose text
    # left the template take part in merges and splits.
    own = [message for message in old_messages if _has_translation(message) and not message.msgid_plural]
    leaving = [message for message in own if message.key not in used]
    leaving_keys = {message.key for message in leaving}
    in_order = [message for message in old_messages if not message.obsolete]
    pairs = [
        (first, second) for first, second in zip(in_order, in_order[1:])
        if first.key in leaving_keys and second.key in leaving_keys
    ]
    for index, new in enumerate(template):
        if updated[index] is not None or new.msgid_plural:
            continue
        best: _Suggestion | None = None
        for old in own:
            similarity = _similarity(new.msgid, old.msgid, cutoff)
            if similarity > (best.similarity if best else 0):
                best = _Suggestion(similarity, _own_suggestion(new, old), (old.key,))
        for first, second in pairs:
            similarity = _similarity(new.msgid, f"{first.msgid} {second.msgid}", cutoff)
            if similarity > (best.similarity if best else 0):
                best = _Suggestion(similarity, _merged_suggestion(new, first, second), (first.key, second.key))
        if memory is not None:
            match = memory.similar(new.msgid, cutoff=best.similarity if best else cutoff)
            if match is not None and (best is None or match.similarity > best.similarity):
                best = _Suggestion(match.similarity, _memory_suggestion(new, match))
        if best is not None:
            updated[index] = best.message
            counts["fuzzy"] += 1
            used.update(best.takes)

    # A paragraph split in two: consecutive new messages that, joined, resemble an old one.
    # Each part gets the whole translation, and the translator keeps the part that belongs.
    for index in range(len(template) - 1):
        first, second = template[index], template[index + 1]
        if (updated[index] is not None and updated[index + 1] is not None) or first.msgid_plural or second.msgid_plural:
            continue
        joined = f"{first.msgid} {second.msgid}"
        source, best_similarity = None, 0.0
        for old in leaving:
            similarity = _similarity(joined, old.msgid, cutoff)
            if similarity > best_similarity:
                source, best_similarity = old, similarity
        if source is None:
            continue
        for position in (index, index + 1):
            if updated[position] is None:
                updated[position] = _own_suggestion(template[position], source)
                counts["fuzzy"] += 1
        used.add(source.key)


def _similarity(first: str, second: str, cutoff: float) -> float:
    """msgmerge's measure, 0 to 1; 0 when below ``cutoff``."""
    # rapidfuzz is loaded when a suggestion is looked for: a run that updates no catalog needs none of it.
    from rapidfuzz import fuzz

    return fuzz.ratio(first, second, score_cutoff=cutoff * 100) / 100


def _own_suggestion(new: Message, old: Message) -> Message:
    """``old``'s translation for ``new``, with what the translation was made for as the previous msgid.

    An old message that was itself fuzzy keeps its previous msgid: that is the text
    its translation matches. The translator's comments and flags come along.
    """
    return replace(
        new,
        msgstr=old.msgstr,
        tcomment=old.tcomment,
        flags=_fuzzy_flags(new.flags + old.flags),
        previous_msgid=_translated_text(old),
        previous_msgctxt=old.previous_msgctxt if old.fuzzy and old.previous_msgid else old.msgctxt,
    )


def _merged_suggestion(new: Message, first: Message, second: Message) -> Message:
    return replace(
        new,
        msgstr=f"{first.msgstr} {second.msgstr}",
        tcomment=first.tcomment,
        flags=_fuzzy_flags(new.flags + first.flags),
        previous_msgid=f"{_translated_text(first)} {_translated_text(second)}",
    )


def _memory_suggestion(new: Message, match: Match) -> Message:
    percent = min(99, int(match.similarity * 100))
    return replace(
        new,
        msgstr=match.msgstr,
        tcomment=_with_note(new.tcomment, f"Translation memory: {percent}% match from {match.origin}"),
        flags=_fuzzy_flags(new.flags),
        previous_msgid=match.msgid,
    )


def exact_match(message: Message, match: Match) -> Message:
    """``message`` translated by the memory's exact ``match``, with the note saying where it came from
    (for steps besides update that fill messages from the memory: pretranslate)."""
    return _reused(message, match)


def _reused(message: Message, match: Match) -> Message:
    return replace(
        message,
        msgstr=match.msgstr,
        tcomment=_with_note(message.tcomment, f"Translation memory: exact match from {match.origin}"),
        flags=tuple(flag for flag in message.flags if flag != FUZZY),
        previous_msgid=None,
        previous_msgctxt=None,
        previous_msgid_plural=None,
    )


def _translated_text(message: Message) -> str:
    return message.previous_msgid if message.fuzzy and message.previous_msgid else message.msgid


def _fuzzy_flags(flags: tuple[str, ...]) -> tuple[str, ...]:
    rest = []
    for flag in flags:
        if flag != FUZZY and flag not in rest:
            rest.append(flag)
    return (FUZZY, *rest)


def _with_note(comment: str, note: str) -> str:
    return f"{comment}\n{note}" if comment else note


# -- carrying over -------------------------------------------------------------------------

def _carry_over(old: Message, new: Message) -> Message:
    """The old translation with the template's references and extracted comments."""
    return replace(
        old,
        occurrences=new.occurrences,
        comment=new.comment,
        msgid_plural=new.msgid_plural,
        obsolete=False,
        # A previous msgid only explains a fuzzy translation; once confirmed it is noise.
        previous_msgid=old.previous_msgid if old.fuzzy else None,
        previous_msgid_plural=old.previous_msgid_plural if old.fuzzy else None,
        previous_msgctxt=old.previous_msgctxt if old.fuzzy else None,
    )


def _make_obsolete(message: Message) -> Message:
    return replace(message, obsolete=True, occurrences=(), comment="")


def _has_translation(message: Message) -> bool:
    return bool(message.msgstr) or any(message.msgstr_plural.values())


def _untranslated(message: Message) -> bool:
    return not message.fuzzy and not _has_translation(message)


def _metadata(existing: Catalog | None, header: CatalogHeader) -> dict[str, str]:
    """The existing header, updated where the template decides; a new one like msginit's."""
    if existing is not None and existing.metadata:
        metadata = dict(existing.metadata)
        metadata["POT-Creation-Date"] = header.creation_date
        metadata.setdefault("Language", header.language.code)
        if not metadata.get("Language"):
            metadata["Language"] = header.language.code
        metadata.setdefault("Plural-Forms", header.language.plural_forms)
        return metadata
    return new_header(header.project_name, language=header.language, creation_date=header.creation_date)


def _header_comment(header: CatalogHeader) -> str:
    return (
        f"{header.language.english_name} translation of {header.source_path}.\n"
        "This file is distributed under the same license as the articles it translates.\n"
    )
