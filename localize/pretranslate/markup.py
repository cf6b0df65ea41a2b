"""What an engine must not touch, replaced by tokens it keeps, and put back afterwards.

Link and image destinations, inline code, HTML tags and comments, autolinks,
footnote references and ``{placeholders}``/``%s`` directives become empty XML
elements, ``<x id="1"/>``: DeepL (``tag_handling=xml``) and LibreTranslate
(``format=html``) carry tags through by design, and an LLM is told to. The text
of a link (``[this](...)``) stays translatable between its two tokens. Engines
that read XML get the rest of the text escaped (``&``, ``<``, ``>``).

``restore`` accepts the spellings engines give a token back in (``<x id="1"/>``,
``<x id="1" />``, ``<x id='1'></x>``) and refuses a result where a token is
missing, doubled or unknown: the markup check (E2xx) would fail it anyway, and
the reason is clearer here.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_MASTER = re.compile(
    r"(?P<code>(?P<tick>`+)(?!`).*?(?<!`)(?P=tick)(?!`))"
    r"|(?P<comment><!--.*?-->)"
    r"|(?P<autolink><(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>)"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>)"
    r"|(?P<footnote>\[\^[^\]\s]+\])"
    r"|(?P<link>(?P<open>!?\[)(?P<label>(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)"
    r"(?P<close>\]\((?:[^()\s\\]|\\.|\((?:[^()\s\\]|\\.)*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
    r"|\]\[[^\[\]]*\]))"
    r"|(?P<placeholder>\{[A-Za-z_0-9.\[\]!:]*\}|%(?:\([A-Za-z_0-9]+\)|\d+\$)?[#0+-]?\d*(?:\.\d+)?[sdifgxXcr])",
    re.DOTALL,
)
_TOKEN = re.compile(r"""<x\s+id\s*=\s*["']?(\d+)["']?\s*/?>(?:\s*</x>)?""")
_XML_SPECIAL = re.compile(r"[&<>]")


@dataclass(frozen=True)
class Protected:
    """A text as an engine sees it, and what each token stands for (``slots[0]`` is id 1)."""

    text: str
    slots: tuple[str, ...]
    xml: bool


class MarkupLost(ValueError):
    """An engine's answer in which tokens went missing, doubled or appeared from nowhere."""


def token(number: int) -> str:
    return f'<x id="{number}"/>'


def protect(text: str, *, xml: bool) -> Protected:
    """``text`` with its markup replaced by tokens; ``xml`` escapes the rest for an XML-reading engine."""
    slots: list[str] = []
    pieces: list[str] = []
    _protect_into(text, slots, pieces, xml)
    return Protected("".join(pieces), tuple(slots), xml)


def _protect_into(text: str, slots: list[str], pieces: list[str], xml: bool) -> None:
    position = 0
    for match in _MASTER.finditer(text):
        pieces.append(_plain(text[position:match.start()], xml))
        position = match.end()
        if match.group("link") is not None:
            slots.append(match.group("open"))
            pieces.append(token(len(slots)))
            _protect_into(match.group("label"), slots, pieces, xml)
            slots.append(match.group("close"))
            pieces.append(token(len(slots)))
        else:
            slots.append(match.group(0))
            pieces.append(token(len(slots)))
    pieces.append(_plain(text[position:], xml))


def _plain(text: str, xml: bool) -> str:
    return _XML_SPECIAL.sub(lambda match: {"&": "&amp;", "<": "&lt;", ">": "&gt;"}[match.group(0)], text) if xml else text


def restore(translated: str, protected: Protected) -> str:
    """The engine's ``translated`` text with every token replaced by what it stands for."""
    seen: list[int] = []

    def put_back(match: re.Match) -> str:
        number = int(match.group(1))
        if not 1 <= number <= len(protected.slots):
            raise MarkupLost(f"the answer has a markup token the text did not have (id {number})")
        seen.append(number)
        return "\0" + str(number) + "\0"

    marked = _TOKEN.sub(put_back, translated)
    missing = sorted(set(range(1, len(protected.slots) + 1)) - set(seen))
    if missing:
        shown = ", ".join(repr(protected.slots[number - 1]) for number in missing[:3])
        raise MarkupLost(f"the engine dropped markup: {shown}")
    doubled = sorted({number for number in seen if seen.count(number) > 1})
    if doubled:
        raise MarkupLost(f"the engine repeated markup: {protected.slots[doubled[0] - 1]!r}")
    if protected.xml:
        marked = html.unescape(marked)
    return re.sub("\0(\\d+)\0", lambda match: protected.slots[int(match.group(1)) - 1], marked)
