"""PO and POT files: the only module that imports polib.

Reading wraps polib's errors into CatalogError with a line; writing goes
through our gettext-exact formatter, atomically, and only when the bytes change.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from pathlib import Path

import polib

from localize.config import Config
from localize.errors import CatalogError
from localize.files import write_text_atomic
from localize.model import Catalog, Message
from localize.poformat import format_po

TEMPLATES_FOLDER = "templates"
ARTICLES_FOLDER = "articles"

# A line of a PO file outside comments: a keyword and a complete C string, or a
# continuation string. polib accepts an unterminated string silently; we do not.
_STRING = r'"(?:[^"\\]|\\.)*"'
_KEYWORD_LINE = re.compile(rf"^(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])[ \t]+{_STRING}[ \t]*$")
_CONTINUATION_LINE = re.compile(rf"^{_STRING}[ \t]*$")
_POLIB_LINE = re.compile(r"\(line (\d+)\)")


def template_path(config: Config, slug: str) -> Path:
    return config.locales_dir / TEMPLATES_FOLDER / ARTICLES_FOLDER / f"{slug}.pot"


def catalog_path(config: Config, language: str, slug: str) -> Path:
    return config.locales_dir / language / "LC_MESSAGES" / ARTICLES_FOLDER / f"{slug}.po"


def template_slugs(config: Config) -> list[str]:
    """Slugs of the article templates on disk, whether or not their article still exists."""
    folder = config.locales_dir / TEMPLATES_FOLDER / ARTICLES_FOLDER
    return sorted(path.relative_to(folder).with_suffix("").as_posix() for path in folder.rglob("*.pot"))


def catalog_slugs(config: Config, language: str) -> list[str]:
    folder = config.locales_dir / language / "LC_MESSAGES" / ARTICLES_FOLDER
    return sorted(path.relative_to(folder).with_suffix("").as_posix() for path in folder.rglob("*.po"))


def read_catalog(path: Path, *, shown: Path | None = None) -> Catalog:
    """Parse a PO or POT file; a syntax error is a CatalogError with its line."""
    shown = shown or path
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CatalogError(f"cannot read: {error.strerror}", path=shown) from None
    _check_syntax(raw, shown)
    try:
        parsed = polib.pofile(str(path), wrapwidth=0)
    except UnicodeDecodeError:
        raise _encoding_error(raw, polib.detect_encoding(str(path)), shown) from None
    except (OSError, ValueError) as error:
        match = _POLIB_LINE.search(str(error))
        message = str(error).split(" in po file")[0].split(" (line")[0]
        raise CatalogError(message.lower() if message else "cannot parse", path=shown,
                           line=int(match.group(1)) if match else None) from None
    msgid_lines = _msgid_lines(raw)
    return Catalog(
        messages=tuple(_message_from_polib(entry, _msgid_line(msgid_lines, entry.linenum)) for entry in parsed),
        metadata=dict(parsed.metadata),
        header=parsed.header,
        metadata_is_fuzzy=bool(parsed.metadata_is_fuzzy),
    )


def _check_syntax(raw: bytes, shown: Path) -> None:
    text = raw.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#~"):
            stripped = stripped[2:].lstrip("|").strip()
        elif stripped.startswith("#|"):
            stripped = stripped[2:].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if _KEYWORD_LINE.match(stripped) or _CONTINUATION_LINE.match(stripped):
            continue
        if stripped.count('"') % 2 == 1 or not stripped.endswith('"'):
            raise CatalogError("unterminated string", path=shown, line=number)
        raise CatalogError(f"syntax error: unexpected {stripped.split()[0]!r}", path=shown, line=number)


def _encoding_error(raw: bytes, encoding: str, shown: Path) -> CatalogError:
    """Where the text stops being ``encoding``: polib's own error counts from a buffer, not the file."""
    try:
        raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return CatalogError(f"byte 0x{raw[error.start]:02x} is not valid {encoding}: the header's charset "
                            "must name the file's encoding", path=shown, line=line)
    return CatalogError(f"not valid {encoding}", path=shown)


def _msgid_lines(raw: bytes) -> list[int]:
    """The 1-based lines of every ``msgid`` keyword, active or obsolete, in file order."""
    numbers = []
    for number, line in enumerate(raw.removeprefix(b"\xef\xbb\xbf").splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(b"#~") and not stripped.startswith(b"#~|"):
            stripped = stripped[2:].lstrip()
        if stripped.startswith(b"msgid") and stripped[5:6] in (b" ", b"\t", b'"'):
            numbers.append(number)
    return numbers


def _msgid_line(msgid_lines: list[int], first_line: int | None) -> int:
    """The line of an entry's msgid, where msgfmt and editors place it; polib gives
    the entry's first line (its first comment)."""
    index = bisect.bisect_left(msgid_lines, first_line or 0)
    return msgid_lines[index] if index < len(msgid_lines) else (first_line or 0)


def header_line(path: Path) -> int | None:
    """The line of the header entry's ``msgid ""`` (followed at once by its msgstr), if any."""
    try:
        lines = path.read_bytes().removeprefix(b"\xef\xbb\xbf").splitlines()
    except OSError:
        return None
    for number, (line, following) in enumerate(zip(lines, lines[1:] + [b""]), start=1):
        if line.strip() == b'msgid ""' and following.lstrip().startswith(b"msgstr"):
            return number
    return None


def _message_from_polib(entry: polib.POEntry, msgid_line: int = 0) -> Message:
    return Message(
        msgid=entry.msgid,
        msgstr=entry.msgstr,
        msgctxt=entry.msgctxt,
        msgid_plural=entry.msgid_plural,
        msgstr_plural={int(index): text for index, text in entry.msgstr_plural.items()},
        comment=entry.comment,
        tcomment=entry.tcomment,
        occurrences=tuple((file, str(line) if line not in (None, "") else "") for file, line in entry.occurrences),
        flags=tuple(entry.flags),
        previous_msgctxt=entry.previous_msgctxt,
        previous_msgid=entry.previous_msgid,
        previous_msgid_plural=entry.previous_msgid_plural,
        obsolete=bool(entry.obsolete),
        linenum=msgid_line or entry.linenum or 0,
    )


def format_catalog(catalog: Catalog) -> str:
    """The file text, exactly as gettext's msgcat would write it."""
    return format_po(catalog)


def write_catalog(path: Path, catalog: Catalog) -> bool:
    """Write atomically; an unchanged file is not touched. Returns whether it was written."""
    return write_text_atomic(path, format_catalog(catalog))


def with_metadata(catalog: Catalog, **fields: str) -> Catalog:
    """The catalog with header fields set (``POT_Creation_Date`` for ``POT-Creation-Date``)."""
    metadata = dict(catalog.metadata)
    for name, value in fields.items():
        metadata[name.replace("_", "-")] = value
    return replace(catalog, metadata=metadata)


def header_timestamp(now: float | None = None) -> str:
    """A header date as gettext writes it; ``SOURCE_DATE_EPOCH`` fixes it for reproducible builds."""
    import os
    import time

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if now is None:
        now = float(epoch) if epoch and epoch.isdigit() else time.time()
    return time.strftime("%Y-%m-%d %H:%M+0000", time.gmtime(now))
