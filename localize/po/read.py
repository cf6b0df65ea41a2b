"""Reading PO and POT files: the only module that imports polib.

polib's errors become a CatalogError with a line; a file is checked first as msgfmt
checks it (syntax, escapes, charset). What polib loses or misreads (comments, escapes,
obsolete previous strings, several domains: see ``_RawEntry``) is taken back from the
file's own lines, so that a catalog read and written again is what msgcat makes of it.
"""

from __future__ import annotations

import bisect
import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib

from localize.errors import CatalogError
from localize.model import Catalog, Message

# A line of a PO file outside comments: a keyword and a complete C string, or a
# continuation string. polib accepts an unterminated string silently; we do not.
_STRING = r'"(?:[^"\\]|\\.)*"'
_KEYWORD_LINE = re.compile(rf"^(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])[ \t]+{_STRING}[ \t]*$")
_CONTINUATION_LINE = re.compile(rf"^{_STRING}[ \t]*$")
_POLIB_LINE = re.compile(r"\(line (\d+)\)")
# The C escapes gettext accepts in a string: \n \t \b \r \f \v \a \\ \", octal
# \NNN and hexadecimal \xHH...; msgfmt rejects any other ("invalid control sequence").
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]+|[0-7]{1,3}|.?)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
# Escapes polib leaves as they are written (it knows only \n \t \b \r \f \v \\ \").
_ESCAPES_POLIB_MISSES = re.compile(r"\\[xa0-7]")
_BODY_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)[ \t]*(\".*)", re.DOTALL)
_PLURAL_FORM = re.compile(r"msgstr\[(\d+)\]")
_BLANKS = re.compile(r"[ \t]+")
# Lines that polib reads otherwise than gettext (see _RawEntry): a comment ending
# in blanks or in the \r of CRLF, "#." without text, an empty first "#" line of
# a comment, indented comments, "##", "#~|", "#foo", "#,fuzzy" and "#.<tab>" (polib
# drops the two characters after the marker), two "#," lines in
# one comment, a reference written "file: 12"; escapes polib does not decode, and
# a lone \r, at which polib splits a reference. Each pattern starts with a fixed
# character, which the regular expression engine finds fast.
_POLIB_MISREAD_COMMENT = re.compile(
    rb"\n(?:[ \t]+#|\n#[ \t\r]*\n"
    rb"|#(?:[^\n]*[ \t\r]\n|\.\n|#|~\||[^ \t\n.:,|~!#]|[.:,|][^ \n]|[.:,|~][^\n]*\n#[ \t\r]*\n"
    rb"|[,!][^\n]*\n(?:[ \t]*(?:#[^\n]*)?\n)*?#[,!]|:[^\n]*(?::[ \t]+\d|[ \t]:)))"
)
_POLIB_MISREAD_CHARACTERS = re.compile(rb"\\[xa0-7]|\r[^\n]")
# Where the entry after a header begins (blank lines may come between its strings).
_NEXT_ENTRY = re.compile(r"\n[ \t]*(?:#|msgctxt|msgid)")


def read_catalog(path: Path, *, shown: Path | None = None, data: bytes | None = None,
                 parse: CatalogParser | None = None) -> Catalog:
    """Parse a PO or POT file as gettext reads it; a syntax error is a CatalogError with its line.

    ``data`` is the file's content when the caller has it already; ``parse``: see ``read_catalog_file``.
    """
    shown = shown or path
    return (parse or parse_catalog)(_read_bytes(path, shown) if data is None else data, shown)


# How a file's bytes become a catalog, the file named as shown (errors are CatalogErrors).
CatalogParser = Callable[[bytes, Path], Catalog]


def _read_bytes(path: Path, shown: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CatalogError(f"cannot read: {error.strerror}", path=shown) from None


def parse_catalog(raw: bytes, shown: Path) -> Catalog:
    """The catalog in ``raw``, the content of the file shown as ``shown``."""
    _check_bytes(raw, shown)
    _check_syntax(raw, shown)
    charset = declared_charset(raw)
    encoding = charset_codec(charset) or "utf-8"
    _check_charset_agrees(raw, charset, encoding, shown)
    if _DOMAIN_LINE_BYTES.search(raw):
        return _read_domains(raw, encoding, shown)
    return _read_raw(raw, encoding, shown)


# gettext's ``domain "NAME"`` directive: the entries after it, up to the next one, go to NAME.mo.
_DOMAIN_LINE = re.compile(rf"^domain[ \t]+({_STRING})[ \t]*$")
_DOMAIN_LINE_BYTES = re.compile(rb"(?m)^[ \t]*domain[ \t]")


def _read_domains(raw: bytes, encoding: str, shown: Path) -> Catalog:
    """A catalog that uses ``domain`` directives, read one domain at a time: each part is read
    with the other lines blanked (so that line numbers stay the file's), and its messages keep
    their domain, in which alone a msgid must be unique."""
    lines = raw.split(b"\n")
    starts = [(0, None)]
    for number, line in enumerate(lines):
        match = _DOMAIN_LINE.match(line.strip().decode(encoding, errors="replace"))
        if match:
            starts.append((number, _unescape(match.group(1)[1:-1], encoding)))
    parts = []
    for (start, domain), (end, _) in zip(starts, starts[1:] + [(len(lines), None)]):
        kept = range(start if domain is None else start + 1, end)
        blanked = [line if number in kept else b"" for number, line in enumerate(lines)]
        if any(line.strip() for line in blanked):
            parts.append((domain, _read_raw(b"\n".join(blanked), encoding, shown)))
    if not parts:
        return Catalog(messages=(), header_msgstrs=())
    first = next((part for _, part in parts if part.header_msgstrs), parts[0][1])
    return replace(
        first,
        messages=tuple(replace(message, domain=domain) for domain, part in parts for message in part.messages),
        header_msgstrs=tuple(text for _, part in parts for text in part.header_msgstrs or ()),
    )


def _read_raw(raw: bytes, encoding: str, shown: Path) -> Catalog:
    """The catalog in ``raw`` (its syntax and charset checked already), decoded as ``encoding``."""
    try:
        parsed = _parse_with_polib(raw, encoding)
    except UnicodeDecodeError:
        raise _encoding_error(raw, encoding, shown) from None
    except (OSError, ValueError) as error:
        match = _POLIB_LINE.search(str(error))
        message = str(error).split(" in po file")[0].split(" (line")[0]
        raise CatalogError(message.lower() if message else "cannot parse", path=shown,
                           line=int(match.group(1)) if match else None) from None
    msgid_lines = _msgid_lines(raw)
    text = raw.decode(encoding, errors="replace")
    if _polib_misreads(raw):
        header, entries = _raw_entries(text, len(parsed))
        if entries is not None and any(
            (raw_entry.obsolete, "msgctxt" in raw_entry.strings) != (bool(entry.obsolete), entry.msgctxt is not None)
            for raw_entry, entry in zip(entries, parsed)
        ):
            entries = None  # not the entries polib found: keep polib's view
    else:
        # Only the header may still differ (two fields of one name); it comes first.
        end = _NEXT_ENTRY.search(text, max(text.find("\nmsgstr"), 0))
        header, entries = _raw_entries(text[:end.start()] if end else text, -1)[0], None
    # polib keeps the header's flags in metadata_is_fuzzy: "#, no-wrap" alone is no fuzzy header.
    header_flags = header.flags() if header and header.flag_lines else parsed.metadata_is_fuzzy or ()
    return Catalog(
        messages=tuple(
            _message_from_polib(entry, _msgid_line(msgid_lines, entry.linenum), raw_entry, encoding)
            for entry, raw_entry in zip(parsed, entries or [None] * len(parsed))
        ),
        metadata=_header_fields(header.value("msgstr", encoding), parsed.metadata) if header else dict(parsed.metadata),
        header="\n".join(header.translator_comments) if header else parsed.header,
        metadata_is_fuzzy="fuzzy" in header_flags,
        header_msgstrs=(header.value("msgstr", encoding) or "",) if header else (
            ("\n".join(f"{name}: {value}" for name, value in parsed.metadata.items()),) if parsed.metadata else ()
        ),
    )


class _Lines(str):
    """File content for polib, split into lines at ``\\n`` only, as gettext reads a file: a
    file path makes polib read with universal newlines, which also break at a lone ``\\r``,
    and content alone is split with ``str.splitlines``, which breaks at U+2028 and the like."""

    def splitlines(self, keepends: bool = False) -> list[str]:  # noqa: ARG002 - polib's call
        return self.split("\n")


# polib wants a space after a comment's marker; gettext does not ("#,fuzzy", "#foo").
_COMMENT_MARKERS = ("#~|", "#~", "#.", "#:", "#,", "#|", "#")


def _parse_with_polib(raw: bytes, encoding: str) -> polib.POFile:
    """polib's reading of ``raw``; comment lines polib alone rejects are given their space first."""
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        if _undecodable_line(raw, encoding) is not None:
            raise
        # gettext reads comments as bytes: a name in Latin-1 in a UTF-8 file's comment is no error.
        text = raw.decode(encoding, errors="replace")
    lines = text.removeprefix("\ufeff").split("\n")
    try:
        return _polib_parse(_Lines("\n".join(lines)), encoding)
    except OSError:
        spaced = [_spaced_comment(line) for line in lines]
        if spaced == lines:
            raise
    return _polib_parse(_Lines("\n".join(spaced)), encoding)


def _polib_parse(text: _Lines, encoding: str) -> polib.POFile:
    """``polib.pofile(text)``, without the garbage cycle it leaves: its parser's table of
    transitions holds the parser's own bound methods, so that the parser, the file's lines and
    every entry stay in memory until the cyclic garbage collector runs (a third of a worker's
    time went to finding them). The table is emptied once the file is read."""
    parser_class = getattr(polib, "_POFileParser", None)
    try:
        parser = parser_class(text, encoding=encoding, check_for_duplicates=False)
    except TypeError:  # another polib (no such class, or another signature): its own way
        return polib.pofile(text, wrapwidth=0, encoding=encoding)
    try:
        parsed = parser.parse()
    finally:
        parser.__dict__.clear()
    parsed.wrapwidth = 0
    return parsed


def _spaced_comment(line: str) -> str:
    stripped = line.lstrip()
    if not stripped.startswith("#") or stripped.startswith("##"):
        return line
    token = stripped.split(None, 1)[0]
    if token in _COMMENT_MARKERS:
        return line
    marker = next(marker for marker in _COMMENT_MARKERS if token.startswith(marker))
    return line[: len(line) - len(stripped)] + marker + " " + stripped[len(marker):]


def _check_bytes(raw: bytes, shown: Path) -> None:
    """Refuse what gettext would read otherwise than the file means: a NUL byte (msgfmt
    cuts a string there, msgcat drops the rest of it) and line ends of a lone CR (gettext
    sees one line: msgfmt finds no message at all)."""
    nul = raw.find(b"\0")
    if nul >= 0:
        raise CatalogError("a NUL byte, which gettext cannot keep in a string (msgfmt cuts the text there)",
                           path=shown, line=raw.count(b"\n", 0, nul) + 1)
    lone_returns = raw.count(b"\r") - raw.count(b"\r\n")
    if lone_returns and lone_returns >= raw.count(b"\n"):
        raise CatalogError("its lines end with CR alone (classic Mac OS), which gettext does not read as "
                           "line ends: save it with LF or CRLF line ends", path=shown, line=1)


# gettext reads the name after "charset=" up to a blank (po-charset.c); "CHARSET" is a template's placeholder.
_CHARSET = re.compile(rb"charset=([^ \t\n\\\"]*)")
_CHARSET_BLANKS = re.compile(rb"charset=[ \t]+([^ \t\n\\\";]+)")


def declared_charset(raw: bytes) -> str | None:
    """The charset the header names, as written ("KOI8-R", "ISO_8859-15"), or None.

    gettext reads ``charset= koi8-r`` as an empty name (msgcat then refuses the file,
    msgfmt copies the bytes unconverted); the name after the blanks is what its
    author meant, so it is read here.
    """
    msgids = 0
    for line in raw.split(b"\n"):
        stripped = line.lstrip()
        if stripped.startswith(b"msgid"):
            msgids += 1
            if msgids > 1 or not stripped[5:].strip() == b'""':
                return None  # gettext looks in the header entry only, which comes first
        if stripped.startswith(b"#") or b"charset=" not in stripped:
            continue
        spaced = _CHARSET_BLANKS.search(stripped)
        match = spaced or _CHARSET.search(stripped)
        name = match.group(1).decode("ascii", errors="replace").rstrip(";")
        return name or None
    return None


def charset_codec(charset: str | None) -> str | None:
    """Python's codec for a charset name gettext or iconv accepts; None for none or an unknown one."""
    if not charset or charset.upper() == "CHARSET":
        return None
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def _charset_line(raw: bytes) -> int | None:
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if b"charset=" in line and not line.lstrip().startswith(b"#"):
            return number
    return None


def _check_charset_agrees(raw: bytes, charset: str | None, encoding: str, shown: Path) -> None:
    """Refuse a header whose charset the bytes contradict, before anything decodes them wrongly.

    Text in a legacy charset almost never forms valid UTF-8 sequences (KOI8-R or Latin-1
    letters are lead bytes followed by ASCII), so a file that says ISO-8859-1 and is valid
    UTF-8 with non-ASCII in it was saved as UTF-8 under an old header: msgfmt would take
    it, and every non-ASCII character would come out as two wrong ones.
    """
    if encoding == "utf-8" or raw.isascii():
        return
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return
    raise CatalogError(f"the header says charset={charset} but the file is UTF-8: set charset=UTF-8 in the "
                       "header (or convert the file to the charset it names)", path=shown, line=_charset_line(raw))


# A file every line of which ``_check_syntax`` accepts at a glance: blank lines, comments
# other than ``#~`` and ``#|``, and strings with no escape but the simple ones (so no NUL).
# Any other file is checked line by line, which also finds the line of an error.
_PLAIN_STRING = rb'"(?:[^"\\\n]|\\[ntbrfva\\"])*"'
_PLAIN_LINE = (rb"[ \t\r\f\v]*(?:#(?![~|])[^\n]*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+"
               + _PLAIN_STRING + rb"|" + _PLAIN_STRING + rb")?[ \t\r\f\v]*")
# Each line atomic ``(?>...)``: a line can be matched in more than one way (where its spaces
# end), and without it a file that fails at its last line is retried in every combination of
# the lines before (a real CRLF catalog with one "#~" line took minutes).
_PLAIN_FILE = re.compile(rb"(?:(?>" + _PLAIN_LINE + rb")\n)*(?>" + _PLAIN_LINE + rb")")


def _check_syntax(raw: bytes, shown: Path) -> None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raise CatalogError(
            "starts with a byte order mark, which gettext rejects: save it as UTF-8 without BOM",
            path=shown, line=1,
        )
    if _PLAIN_FILE.fullmatch(raw) is not None:
        return
    text = raw.decode("utf-8", errors="replace")
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("#~"):
            stripped = stripped[2:].lstrip("|").strip()
        elif stripped.startswith("#|"):
            stripped = stripped[2:].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if _KEYWORD_LINE.match(stripped) or _CONTINUATION_LINE.match(stripped) or _DOMAIN_LINE.match(stripped):
            invalid = _invalid_escape(stripped) if "\\" in stripped else None
            if invalid is not None:
                raise CatalogError(f"invalid escape sequence {invalid!r} in a string", path=shown, line=number)
            nul = _nul_escape(stripped) if "\\" in stripped else None
            if nul is not None:
                raise CatalogError(f"the escape {nul!r} is a NUL character, which gettext cannot keep in a string "
                                   "(msgfmt cuts the text there)", path=shown, line=number)
            continue
        if stripped.count('"') % 2 == 0 and re.search(_STRING + r"[ \t]*[^\s\"]", stripped):
            raise CatalogError("syntax error: unexpected text after a string", path=shown, line=number)
        if stripped.count('"') % 2 == 1 or not stripped.endswith('"'):
            raise CatalogError("unterminated string", path=shown, line=number)
        raise CatalogError(f"syntax error: unexpected {stripped.split()[0]!r}", path=shown, line=number)


def _encoding_error(raw: bytes, encoding: str, shown: Path) -> CatalogError:
    """Where the text stops being ``encoding``: polib's own error counts from a buffer, not the file."""
    number = _undecodable_line(raw, encoding)
    if number is None:
        return CatalogError(f"not valid {encoding}", path=shown)
    line = raw.split(b"\n")[number - 1]
    try:
        line.decode(encoding)
    except UnicodeDecodeError as error:
        return CatalogError(f"byte 0x{line[error.start]:02x} is not valid {encoding}: the header's charset "
                            "must name the file's encoding", path=shown, line=number)
    return CatalogError(f"not valid {encoding}", path=shown, line=number)  # pragma: no cover - split mid-sequence


def _undecodable_line(raw: bytes, encoding: str) -> int | None:
    """The first line outside comments that is not ``encoding``; msgfmt reads comments as bytes."""
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            line.decode(encoding)
        except UnicodeDecodeError:
            stripped = line.lstrip()
            if not stripped.startswith(b"#") or stripped[1:2] in (b"~", b"|"):
                return number
    return None


def _invalid_escape(line: str) -> str | None:
    """The first escape sequence of ``line``'s string that gettext rejects, if any."""
    for match in _ESCAPE.finditer(line[line.index('"') + 1:line.rindex('"')]):
        code = match.group(1)
        if not (code in _SIMPLE_ESCAPES or code[:1] in "01234567" and code or code[:1] == "x" and len(code) > 1):
            return match.group()
    return None


def _nul_escape(line: str) -> str | None:
    """The first escape of ``line``'s string that stands for a NUL byte (``\\0``, ``\\x00``), if any."""
    for match in _ESCAPE.finditer(line[line.index('"') + 1:line.rindex('"')]):
        code = match.group(1)
        if code[:1] in "01234567" and code and int(code, 8) & 0xFF == 0 or (
                code[:1] == "x" and len(code) > 1 and int(code[1:], 16) & 0xFF == 0):
            return match.group()
    return None


@dataclass
class _RawEntry:
    """One entry as gettext reads it from the file's lines, for what polib loses.

    polib strips every line, so comments lose their trailing blanks (and the
    ``\\r`` of a CRLF file, which msgcat keeps); it drops ``#.`` lines with no
    text and an entry's first empty ``#`` line, reads ``## x`` as ``# x``,
    skips the ``#~|`` previous strings of obsolete entries, leaves the escapes
    ``\\a``, ``\\x1b`` and ``\\033`` undecoded, keeps one of two header fields
    of the same name, and adds up the flags of two ``#,`` lines where gettext
    0.21 keeps the last line's only (``#, fuzzy`` then ``#, c-format`` is no
    fuzzy entry for msgfmt); it splits references at a lone ``\\r`` and does not
    read "a.c: 12" as line 12 of a.c. ``strings`` holds each keyword's pieces as
    written, still escaped; previous strings are keyed ``|msgid`` and so on.
    """

    obsolete: bool = False
    translator_comments: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)
    flag_lines: list[str] = field(default_factory=list)
    strings: dict[str, list[str]] = field(default_factory=dict)

    def flags(self) -> tuple[str, ...]:
        """The flags of the entry's last ``#,`` line, the one gettext keeps."""
        return tuple(token for token in (part.strip() for part in self.flag_lines[-1].split(",")) if token)

    def value(self, keyword: str, encoding: str) -> str | None:
        """The string of ``keyword``, unescaped as gettext does; None if the entry has none."""
        pieces = self.strings.get(keyword)
        return None if pieces is None else _unescape("".join(pieces), encoding)


def _polib_misreads(raw: bytes) -> bool:
    """Whether polib reads some line of ``raw`` otherwise than gettext does."""
    return bool(_POLIB_MISREAD_COMMENT.search(b"\n\n" + raw + b"\n") or _POLIB_MISREAD_CHARACTERS.search(raw))


def _raw_entries(text: str, expected: int) -> tuple[_RawEntry | None, list[_RawEntry] | None]:
    """The header entry and the other entries of ``text``, in file order.

    The entries are None when their number is not ``expected`` (polib's), so
    that a file read some other way than gettext reads it keeps polib's view.
    """
    entries: list[_RawEntry] = []
    current = _RawEntry()
    in_body = False  # the current entry's keywords have begun
    keyword = ""  # the keyword the next continuation string belongs to

    def begin_entry() -> None:
        nonlocal current, in_body
        if in_body:
            entries.append(current)
            current, in_body = _RawEntry(), False

    for line in text.removeprefix("\ufeff").split("\n"):
        stripped = line.lstrip(" \t")
        if not stripped.strip():
            continue
        if stripped.startswith("#") and not stripped.startswith("#~") or stripped.startswith("#~|"):
            begin_entry()
            content = stripped[2:] if stripped.startswith("#~|") else stripped[1:]
            marker = "|" if stripped.startswith("#~|") else content[:1]
            if marker == "|":
                previous = content[1:].lstrip(" \t").rstrip()
                match = _BODY_KEYWORD.match(previous)
                if match:
                    keyword = "|" + match.group(1)
                    current.strings[keyword] = [match.group(2).rstrip()[1:-1]]
                elif previous.startswith('"') and keyword.startswith("|"):
                    current.strings[keyword].append(previous[1:-1])
            elif marker == ".":
                current.extracted_comments.append(content[2:] if content[1:2] == " " else content[1:])
            elif marker == ":":
                current.references += _references(content[1:])
            elif marker in (",", "!"):
                current.flag_lines.append(content[1:])
            else:
                current.translator_comments.append(content[1:] if content[:1] == " " else content)
            continue
        obsolete = stripped.startswith("#~")
        body = stripped[2:].strip() if obsolete else stripped.strip()
        match = _BODY_KEYWORD.match(body)
        if match:
            if match.group(1) == "msgctxt" or match.group(1) == "msgid" and keyword != "msgctxt":
                begin_entry()
            keyword = match.group(1)
            current.strings[keyword] = [match.group(2).rstrip()[1:-1]]
        elif body.startswith('"') and keyword in current.strings:
            current.strings[keyword].append(body.rstrip()[1:-1])
        else:
            continue
        current.obsolete = current.obsolete or obsolete
        in_body = True
    begin_entry()

    header_index = next(
        (index for index, entry in enumerate(entries)
         if not entry.obsolete and entry.strings.get("msgid") is not None and not "".join(entry.strings["msgid"])),
        None,
    )
    header = entries.pop(header_index) if header_index is not None else None
    return header, entries if len(entries) == expected else None


def _unescape(escaped: str, encoding: str) -> str:
    """``escaped`` with gettext's C escapes decoded; ``\\x`` and octal escapes are bytes
    of the file's encoding, and a hexadecimal one reads every hex digit that follows."""
    if "\\" not in escaped:
        return escaped
    pieces: list[bytes] = []
    position = 0
    for match in _ESCAPE.finditer(escaped):
        pieces.append(escaped[position:match.start()].encode(encoding, errors="surrogateescape"))
        code = match.group(1)
        if code in _SIMPLE_ESCAPES:
            pieces.append(_SIMPLE_ESCAPES[code].encode("ascii"))
        elif code[:1] == "x":
            pieces.append(bytes([int(code[1:], 16) & 0xFF]))
        elif code[:1].isdigit():
            pieces.append(bytes([int(code, 8) & 0xFF]))
        else:
            pieces.append(match.group().encode(encoding, errors="surrogateescape"))
        position = match.end()
    pieces.append(escaped[position:].encode(encoding, errors="surrogateescape"))
    return b"".join(pieces).decode(encoding, errors="replace")


def _header_fields(msgstr: str | None, fallback: dict[str, str]) -> dict[str, str]:
    """The header's fields, such that writing ``Name: value`` lines gives ``msgstr`` back.

    A line that is no new ``Name: value`` field (a second field of the same
    name, a line without a colon) stays with the field before it, as polib
    keeps a continuation line; polib's own reading keeps only the last of two
    fields and strips the values.
    """
    if not msgstr:
        return dict(fallback)
    fields: dict[str, str] = {}
    last = None
    for line in msgstr.removesuffix("\n").split("\n"):
        name, colon, value = line.partition(":")
        if colon and name and name == name.strip() and name not in fields and value.startswith(" "):
            fields[name], last = value[1:], name
        elif last is not None:
            fields[last] += "\n" + line
        elif ": " in line:
            name, _, value = line.partition(": ")
            fields[name], last = value, name
        elif colon:
            fields[name.strip()], last = value.strip(), name.strip()
    return fields


def _msgid_lines(raw: bytes) -> list[int]:
    """The 1-based lines of every ``msgid`` keyword, active or obsolete, in file order."""
    numbers = []
    for number, line in enumerate(raw.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
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
        lines = path.read_bytes().removeprefix(b"\xef\xbb\xbf").split(b"\n")
    except OSError:
        return None
    for number, (line, following) in enumerate(zip(lines, lines[1:] + [b""]), start=1):
        if line.strip() == b'msgid ""' and following.lstrip().startswith(b"msgstr"):
            return number
    return None


def _message_from_polib(
    entry: polib.POEntry, msgid_line: int = 0, raw: _RawEntry | None = None, encoding: str = "utf-8"
) -> Message:
    message = Message(
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
    return _with_raw_entry(message, raw, encoding) if raw is not None else message


def _with_raw_entry(message: Message, raw: _RawEntry, encoding: str) -> Message:
    """``message`` with what polib lost of it taken from the file's lines (see ``_RawEntry``)."""
    fields: dict = {
        "tcomment": "\n".join(raw.translator_comments),
        "comment": "\n".join(raw.extracted_comments),
        "occurrences": tuple(raw.references),
    }
    if raw.flag_lines:
        fields["flags"] = raw.flags()
    if message.obsolete:
        for keyword in ("msgctxt", "msgid", "msgid_plural"):
            if f"|{keyword}" in raw.strings:
                fields[f"previous_{keyword}"] = raw.value(f"|{keyword}", encoding)
    if any(_ESCAPES_POLIB_MISSES.search(piece) for pieces in raw.strings.values() for piece in pieces):
        for keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            if keyword in raw.strings:
                fields[keyword] = raw.value(keyword, encoding)
        for keyword in ("msgctxt", "msgid", "msgid_plural"):
            if f"|{keyword}" in raw.strings:
                fields[f"previous_{keyword}"] = raw.value(f"|{keyword}", encoding)
        plural_forms = {int(match.group(1)): raw.value(key, encoding) or ""
                        for key in raw.strings if (match := _PLURAL_FORM.fullmatch(key))}
        if plural_forms:
            fields["msgstr_plural"] = plural_forms
    changed = {name: value for name, value in fields.items() if getattr(message, name) != value}
    return replace(message, **changed) if changed else message


def _references(text: str) -> list[tuple[str, str]]:
    """The (file, line) pairs of a ``#:`` line as gettext reads them: tokens apart at blanks
    (not at a \\r), and a line number after a colon, blanks allowed around it ("a.c: 12")."""
    references = []
    tokens = [token for token in _BLANKS.split(text) if token]
    position = 0
    while position < len(tokens):
        token = tokens[position]
        position += 1
        following = tokens[position:position + 2]
        if following[:1] == [":"] and following[1:] and following[1].isdigit():
            references.append((token, following[1]))  # "a.c : 12"
            position += 2
        elif following[:1] and following[0].startswith(":") and following[0][1:].isdigit():
            references.append((token, following[0][1:]))  # "a.c :12"
            position += 1
        elif len(token) >= 2 and token.endswith(":") and following[:1] and following[0].isdigit():
            references.append((token[:-1], following[0]))  # "a.c: 12"
            position += 1
        else:
            file, colon, line = token.rpartition(":")
            references.append((file, line) if colon and file and line.isdigit() else (token, ""))
    return references


def reject_duplicates(catalog: Catalog, *, shown: Path) -> None:
    """Refuse a catalog that defines one message twice (as after a bad merge of two
    translators' work): a step that updates it would have to drop one translation."""
    seen: set[tuple[str | None, str]] = set()
    for message in catalog.messages:
        if message.key in seen:
            raise CatalogError(
                f"message {message.msgid[:40]!r} is defined twice: keep one of the translations",
                path=shown, line=message.linenum or None,
            )
        seen.add(message.key)


@dataclass(frozen=True)
class CatalogFile:
    """A catalog a step updates, with the file it came from: its bytes, charset and line ends.

    ``catalog`` is read with the file's own line ends (CRLF included) taken off, so that
    its comments do not keep the CR that gettext would leave in them.
    """

    path: Path
    data: bytes
    catalog: Catalog
    charset: str | None  # as the header names it
    newline: str  # "\n" or "\r\n"

    @property
    def legacy_charset(self) -> str | None:
        """The charset the header names, when it is not UTF-8 (the file is converted on write)."""
        codec = charset_codec(self.charset)
        return self.charset if codec is not None and codec != "utf-8" else None


def read_catalog_file(path: Path, *, shown: Path, parse: CatalogParser | None = None) -> CatalogFile | None:
    """The catalog at ``path`` with its file (None if there is none); a catalog that
    defines a message twice is refused: updating it would have to drop one translation.

    ``parse``: how the file's bytes (their CRLF line ends made LF) become a catalog,
    when not by ``parse_catalog`` (``localize.parsed`` keeps parses in the tree's cache)."""
    if not path.is_file():
        return None
    data = _read_bytes(path, shown)
    newline = "\r\n" if b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n") else "\n"
    catalog = (parse or parse_catalog)(data.replace(b"\r\n", b"\n") if newline == "\r\n" else data, shown)
    reject_duplicates(catalog, shown=shown)
    return CatalogFile(path, data, catalog, declared_charset(data), newline)
