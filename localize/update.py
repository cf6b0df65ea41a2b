"""Updating a catalog from its template, with msgmerge's semantics.

Messages whose msgid is unchanged keep their translation, translator
comments and flags; messages that left the template become obsolete (``#~``)
and come back to life when their text returns. New messages ask a
``Suggester`` (the translation memory, fuzzy matching) for a translation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from localize.language import Language
from localize.model import Catalog, Message

# Given a new message, a suggestion (filled msgstr, maybe fuzzy) or None.
Suggester = Callable[[Message], Message | None]


@dataclass(frozen=True)
class CatalogHeader:
    """What a catalog's header says about where it comes from."""

    project_name: str
    language: Language
    creation_date: str
    source_path: str


def update_catalog(
    template: Catalog,
    existing: Catalog | None,
    *,
    header: CatalogHeader,
    suggest: Suggester | None = None,
) -> Catalog:
    """The catalog for ``template``, keeping every translation ``existing`` holds."""
    old_messages = existing.messages if existing is not None else ()
    active = {message.key: message for message in old_messages if not message.obsolete}
    obsolete = {message.key: message for message in old_messages if message.obsolete}

    updated = []
    used = set()
    for new in template.messages:
        old = active.get(new.key) or obsolete.get(new.key)
        if old is not None:
            used.add(new.key)
            updated.append(_carry_over(old, new))
        else:
            suggestion = suggest(new) if suggest is not None else None
            updated.append(suggestion or new)

    # Obsolete messages: the ones already obsolete first, in their order, then those that
    # just left the template. Untranslated ones are dropped, as msgmerge does: nothing is lost.
    retired = [message for message in old_messages if message.obsolete and message.key not in used]
    retired += [
        _make_obsolete(message) for message in old_messages
        if not message.obsolete and message.key not in used and _has_translation(message)
    ]
    return Catalog(
        messages=tuple(updated + retired),
        metadata=_metadata(existing, header),
        header=existing.header if existing is not None else _header_comment(header),
        metadata_is_fuzzy=existing.metadata_is_fuzzy if existing is not None else False,
    )


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
    return {
        "Project-Id-Version": header.project_name,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": header.creation_date,
        "PO-Revision-Date": header.creation_date,
        "Last-Translator": "Automatically generated",
        "Language-Team": "none",
        "Language": header.language.code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": header.language.plural_forms,
    }


def _header_comment(header: CatalogHeader) -> str:
    return (
        f"{header.language.english_name} translation of {header.source_path}.\n"
        "This file is distributed under the same license as the articles it translates.\n"
    )
