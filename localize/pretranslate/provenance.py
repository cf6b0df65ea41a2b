"""How an entry says that a machine translated it, and how status recognises it.

A translator comment (``# Machine translation: deepl``) is what every PO editor
shows and what ``localize extract`` carries over with the translation, like the
translation memory's own notes. The entry is fuzzy as well, so it is never
published; once a translator confirms it (clears fuzzy), it counts as translated.
"""

from __future__ import annotations

from localize.model import Message

MACHINE_NOTE = "Machine translation:"


def machine_note(engine: str, model: str = "") -> str:
    """The comment line for a translation by ``engine`` (and ``model``, for an LLM)."""
    return f"{MACHINE_NOTE} {engine}" + (f" ({model})" if model else "")


def is_machine_translated(message: Message) -> bool:
    """Whether the entry carries a machine-translation note."""
    return any(line.startswith(MACHINE_NOTE) for line in message.tcomment.splitlines())


def is_unreviewed_machine_translation(message: Message) -> bool:
    """A machine's translation nobody has confirmed yet: fuzzy, with its note, not obsolete."""
    return message.fuzzy and not message.obsolete and bool(message.msgstr) and is_machine_translated(message)
