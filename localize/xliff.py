"""XLIFF 1.2 and 2.0: a language's catalogs for CAT tools that do not read PO (Trados, memoQ, Phrase).

One XLIFF file holds every catalog of a language, one ``<file>`` per
catalog, its ``original`` the catalog's path under ``LC_MESSAGES``
(``articles/SLUG.po``, ``ui.po``): a translator gets one job, as Weblate
gives one file per download, and every CAT tool reads several ``<file>``
elements. The layout of 1.2 is Translate Toolkit's po2xliff's, which CAT
tools and Translate Toolkit know: references as ``po-reference`` context
groups, extracted and translator comments as notes and ``po-entry``
contexts, plurals as ``<group restype="x-gettext-plurals">``, fuzzy as
``approved="no"`` with ``state="needs-review-translation"``. 2.0 keeps the
same as notes (``location``, ``developer``, ``translator``, ``msgctxt``),
plurals as ``<group type="gettext:plurals">`` and fuzzy as ``state="initial"``
with a target.

Segments are plain text: a msgid's inline Markdown is text to a CAT tool,
as it is to a translator in Poedit. Reading accepts what po2xliff and CAT
tools write (XLIFF 1.1 and 1.2, 2.0 and 2.1; ``<mrk>``, ``<g>``, ``<pc>``
taken as their text); a unit whose text hides in placeholder codes is
reported, not guessed. Files come from outside: no DTD is loaded, no entity
is declared or expanded, nothing is fetched. lxml is imported here alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from localize.errors import LocalizeError
from localize.model import Message

if TYPE_CHECKING:
    from lxml import etree

# lxml is imported by the functions that read and write XLIFF, not with the module: the command line
# imports it for VERSIONS on every run, where lxml's import would cost more than some whole runs.

XLIFF_1 = "1.2"
XLIFF_2 = "2.0"
VERSIONS = (XLIFF_1, XLIFF_2)
NAMESPACES = {
    "urn:oasis:names:tc:xliff:document:1.1": XLIFF_1,
    "urn:oasis:names:tc:xliff:document:1.2": XLIFF_1,
    "urn:oasis:names:tc:xliff:document:2.0": XLIFF_2,
    "urn:oasis:names:tc:xliff:document:2.1": XLIFF_2,
}
_NAMESPACE = {XLIFF_1: "urn:oasis:names:tc:xliff:document:1.2", XLIFF_2: "urn:oasis:names:tc:xliff:document:2.0"}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
PLURALS_1 = "x-gettext-plurals"
PLURALS_2 = "gettext:plurals"
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# 1.2 target states that say a translation is done (the others wait for a translator or a reviewer).
_CONFIRMED_1 = {"translated", "signed-off", "final"}
# Inline elements whose content is text of the segment: 1.2's <g>, <mrk>; 2.0's <pc>, <mrk>.
_TEXT_ELEMENTS = {"g", "mrk", "pc"}
# Inline elements that stand for something they do not hold as text.
_CODE_ELEMENTS = {"x", "bx", "ex", "ph", "bpt", "ept", "it", "sub", "sc", "ec", "sm", "em"}


class XliffError(LocalizeError):
    """An XLIFF file that cannot be read."""


@dataclass(frozen=True)
class CatalogFile:
    """One catalog as a ``<file>``: its path under ``LC_MESSAGES`` and its active messages."""

    original: str
    messages: tuple[Message, ...]
    nplurals: int


@dataclass(frozen=True)
class Unit:
    """A translation as an XLIFF file gives it back.

    ``msgctxt`` is ``None`` when the file does not say (po2xliff drops it);
    ``targets`` holds one text, or one per plural form; ``fuzzy`` a translation
    not yet confirmed. ``problem`` says why the unit cannot be used.
    """

    original: str
    line: int
    msgid: str
    msgid_plural: str = ""
    msgctxt: str | None = None
    targets: tuple[str, ...] = ()
    fuzzy: bool = False
    problem: str = ""


@dataclass(frozen=True)
class XliffDocument:
    version: str
    source_language: str
    target_language: str
    units: tuple[Unit, ...]


def writable(message: Message) -> bool:
    """Whether XML 1.0 can carry every text of ``message``."""
    texts = [message.msgid, message.msgid_plural, message.msgstr, message.msgctxt or "", message.comment,
             message.tcomment, *message.msgstr_plural.values()]
    return not any(_NOT_XML.search(text) for text in texts)


# -- writing --------------------------------------------------------------------------------------

def format_xliff(
    files: list[CatalogFile], *, version: str, source_language: str, target_language: str, tool_version: str,
) -> str:
    """The XLIFF document of ``files``; every message must be ``writable``."""
    from lxml import etree

    namespace = _NAMESPACE[version]
    if version == XLIFF_1:
        root = etree.Element(f"{{{namespace}}}xliff", nsmap={None: namespace}, version="1.2")
    else:
        root = etree.Element(f"{{{namespace}}}xliff", nsmap={None: namespace}, version="2.0",
                             srcLang=source_language, trgLang=target_language)
    for index, catalog in enumerate(files, start=1):
        if version == XLIFF_1:
            _file_1(root, namespace, catalog, source_language, target_language, tool_version)
        else:
            _file_2(root, namespace, catalog, index)
    text = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text


def _sub(parent: etree._Element, namespace: str, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    from lxml import etree

    element = etree.SubElement(parent, f"{{{namespace}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _file_1(root, ns: str, catalog: CatalogFile, source: str, target: str, tool_version: str) -> None:
    file = _sub(root, ns, "file", original=catalog.original, **{"source-language": source,
                "target-language": target, "datatype": "po"})
    header = _sub(file, ns, "header")
    _sub(header, ns, "tool", **{"tool-id": "localize", "tool-name": "localize", "tool-version": tool_version})
    body = _sub(file, ns, "body")
    for index, message in enumerate(catalog.messages, start=1):
        if not message.msgid_plural:
            _unit_1(body, ns, str(index), message, message.msgid, message.msgstr)
            continue
        group = _sub(body, ns, "group", id=str(index), restype=PLURALS_1)
        for form in range(max(catalog.nplurals, len(message.msgstr_plural), 2)):
            _unit_1(group, ns, f"{index}[{form}]", message,
                    message.msgid if form == 0 else message.msgid_plural, message.msgstr_plural.get(form, ""))


def _unit_1(parent, ns: str, identifier: str, message: Message, source: str, target: str) -> None:
    unit = _sub(parent, ns, "trans-unit", id=identifier)
    unit.set(XML_SPACE, "preserve")
    if target:
        unit.set("approved", "no" if message.fuzzy else "yes")
    _sub(unit, ns, "source", source)
    if target:
        _sub(unit, ns, "target", target, state="needs-review-translation" if message.fuzzy else "translated")
    for path, line in message.occurrences:
        group = _sub(unit, ns, "context-group", name="po-reference", purpose="location")
        _sub(group, ns, "context", path, **{"context-type": "sourcefile"})
        if line:
            _sub(group, ns, "context", line, **{"context-type": "linenumber"})
    entries = [("x-po-msgctxt", message.msgctxt)] if message.msgctxt is not None else []
    entries += [("x-po-autocomment", message.comment)] if message.comment else []
    entries += [("x-po-trancomment", message.tcomment)] if message.tcomment else []
    if entries:
        group = _sub(unit, ns, "context-group", name="po-entry", purpose="information")
        for kind, text in entries:
            _sub(group, ns, "context", text, **{"context-type": kind})
    if message.comment:
        _sub(unit, ns, "note", message.comment, **{"from": "developer"})
    if message.tcomment:
        _sub(unit, ns, "note", message.tcomment, **{"from": "po-translator"})


def _file_2(root, ns: str, catalog: CatalogFile, index: int) -> None:
    file = _sub(root, ns, "file", id=f"f{index}", original=catalog.original)
    for number, message in enumerate(catalog.messages, start=1):
        if not message.msgid_plural:
            _unit_2(file, ns, f"u{number}", message, message.msgid, message.msgstr)
            continue
        group = _sub(file, ns, "group", id=f"g{number}", type=PLURALS_2)
        for form in range(max(catalog.nplurals, len(message.msgstr_plural), 2)):
            _unit_2(group, ns, f"u{number}-{form}", message,
                    message.msgid if form == 0 else message.msgid_plural, message.msgstr_plural.get(form, ""))


def _unit_2(parent, ns: str, identifier: str, message: Message, source: str, target: str) -> None:
    unit = _sub(parent, ns, "unit", id=identifier)
    notes = [("msgctxt", message.msgctxt)] if message.msgctxt is not None else []
    notes += [("location", f"{path}:{line}" if line else path) for path, line in message.occurrences]
    notes += [("developer", message.comment)] if message.comment else []
    notes += [("translator", message.tcomment)] if message.tcomment else []
    if notes:
        container = _sub(unit, ns, "notes")
        for category, text in notes:
            _sub(container, ns, "note", text, category=category)
    state = "initial" if not target or message.fuzzy else "translated"
    segment = _sub(unit, ns, "segment", state=state)
    _sub(segment, ns, "source", source).set(XML_SPACE, "preserve")
    if target:
        _sub(segment, ns, "target", target).set(XML_SPACE, "preserve")


# -- reading --------------------------------------------------------------------------------------

def read_xliff(path: Path, *, shown: Path | None = None) -> XliffDocument:
    """Every translation unit of an XLIFF 1.x or 2.x file, with the ``<file>`` it belongs to."""
    shown = shown or path
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise XliffError(f"cannot read: {error.strerror}", path=shown) from None
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
        remove_comments=True, remove_pis=True,
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        message = re.sub(r",? line \d+, column \d+$", "", str(error.msg or error))
        raise XliffError(f"not well-formed XML: {message}", path=shown, line=error.lineno or None) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        line = raw[: max(raw.find(b"<!ENTITY"), 0)].count(b"\n") + 1
        raise XliffError("entity declarations are not allowed in an XLIFF file", path=shown, line=line)
    for node in root.iter(etree.Entity):
        raise XliffError(f"undefined entity &{node.name};", path=shown, line=node.sourceline)
    namespace, tag = _split(root.tag)
    if tag != "xliff":
        raise XliffError(f"not an XLIFF file: the root element is <{tag}>", path=shown, line=root.sourceline)
    version = NAMESPACES.get(namespace) if namespace else None
    if version is None:
        declared = root.get("version", "")
        version = XLIFF_2 if declared.startswith("2.") else XLIFF_1 if declared.startswith("1.") else None
    if version is None:
        raise XliffError(f"unknown XLIFF version {root.get('version')!r}", path=shown, line=root.sourceline)
    if version == XLIFF_2:
        return _read_2(root, shown)
    return _read_1(root, shown)


def _split(tag) -> tuple[str, str]:
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _local(element) -> str:
    return _split(element.tag)[1]


def _children(element, name: str) -> list:
    return [child for child in element if _local(child) == name]


def _read_1(root, shown: Path) -> XliffDocument:
    units: list[Unit] = []
    source_language = target_language = ""
    for file in _children(root, "file"):
        source_language = source_language or file.get("source-language", "")
        target_language = target_language or file.get("target-language", "")
        original = file.get("original", "")
        for body in _children(file, "body"):
            _walk_1(body, original, units, shown)
    return XliffDocument(XLIFF_1, source_language, target_language, tuple(units))


def _walk_1(parent, original: str, units: list[Unit], shown: Path) -> None:
    for element in parent:
        name = _local(element)
        if name == "group" and element.get("restype") == PLURALS_1:
            units.append(_plural_1(element, original, shown))
        elif name == "group":
            _walk_1(element, original, units, shown)
        elif name == "trans-unit":
            if "gettext-domain-header" in (element.get("restype") or "") or element.get("translate") == "no":
                continue
            unit = _unit_from_1(element, original, shown)
            units.append(unit)


def _unit_from_1(element, original: str, shown: Path) -> Unit:
    line = element.sourceline or 0
    source_element = next(iter(_children(element, "source")), None)
    if source_element is None:
        raise XliffError("a <trans-unit> without <source>", path=shown, line=line)
    source, problem = _text(source_element)
    target_element = next(iter(_children(element, "target")), None)
    target, target_problem = _text(target_element) if target_element is not None else ("", "")
    approved = element.get("approved")
    state = target_element.get("state", "") if target_element is not None else ""
    # Without approved="yes", only a target state that says so confirms a translation: Translate
    # Toolkit reads a unit without either as fuzzy, and XLIFF 2.0's default state is "initial".
    fuzzy = approved != "yes" if approved is not None else state not in _CONFIRMED_1
    return Unit(
        original=original, line=line, msgid=source, msgctxt=_context_1(element),
        targets=(target,), fuzzy=fuzzy, problem=problem or target_problem,
    )


def _context_1(element) -> str | None:
    for group in _children(element, "context-group"):
        for context in _children(group, "context"):
            if context.get("context-type") == "x-po-msgctxt":
                return context.text or ""
    return None


def _plural_1(group, original: str, shown: Path) -> Unit:
    forms = [_unit_from_1(element, original, shown) for element in _children(group, "trans-unit")]
    line = group.sourceline or 0
    if not forms:
        return Unit(original=original, line=line, msgid="", problem="a plural group without translation units")
    problem = next((form.problem for form in forms if form.problem), "")
    return Unit(
        original=original, line=line, msgid=forms[0].msgid,
        msgid_plural=forms[1].msgid if len(forms) > 1 else "", msgctxt=forms[0].msgctxt,
        targets=tuple(form.targets[0] for form in forms),
        fuzzy=any(form.fuzzy for form in forms if form.targets[0]), problem=problem,
    )


def _read_2(root, shown: Path) -> XliffDocument:
    units: list[Unit] = []
    for file in _children(root, "file"):
        _walk_2(file, file.get("original") or file.get("id", ""), units, shown)
    return XliffDocument(XLIFF_2, root.get("srcLang", ""), root.get("trgLang", ""), tuple(units))


def _walk_2(parent, original: str, units: list[Unit], shown: Path) -> None:
    for element in parent:
        name = _local(element)
        if name == "group" and element.get("type") == PLURALS_2:
            forms = [_unit_from_2(unit, original, shown) for unit in _children(element, "unit")]
            line = element.sourceline or 0
            if not forms:
                units.append(Unit(original=original, line=line, msgid="", problem="a plural group without units"))
                continue
            units.append(Unit(
                original=original, line=line, msgid=forms[0].msgid,
                msgid_plural=forms[1].msgid if len(forms) > 1 else "", msgctxt=forms[0].msgctxt,
                targets=tuple(form.targets[0] for form in forms),
                fuzzy=any(form.fuzzy for form in forms if form.targets[0]),
                problem=next((form.problem for form in forms if form.problem), ""),
            ))
        elif name == "group":
            _walk_2(element, original, units, shown)
        elif name == "unit" and element.get("translate") != "no":
            units.append(_unit_from_2(element, original, shown))


def _unit_from_2(element, original: str, shown: Path) -> Unit:
    """A unit's text is its segments' and ignorables' in order; its state the least settled segment's."""
    line = element.sourceline or 0
    sources, targets, problems = [], [], []
    fuzzy = False
    segments = 0
    for part in element:
        kind = _local(part)
        if kind not in ("segment", "ignorable"):
            continue
        source_element = next(iter(_children(part, "source")), None)
        if source_element is None:
            raise XliffError(f"a <{kind}> without <source>", path=shown, line=part.sourceline)
        source, problem = _text(source_element)
        target_element = next(iter(_children(part, "target")), None)
        target, target_problem = _text(target_element) if target_element is not None else ("", "")
        sources.append(source)
        # An ignorable without a target keeps its source text (2.0, 4.2.2.4).
        targets.append(target if target_element is not None or kind == "segment" else source)
        problems += [text for text in (problem, target_problem) if text]
        if kind == "segment":
            segments += 1
            fuzzy = fuzzy or part.get("state", "initial") == "initial"
    if segments == 0:
        raise XliffError("a <unit> without <segment>", path=shown, line=line)
    context = None
    for notes in _children(element, "notes"):
        for note in _children(notes, "note"):
            if note.get("category") == "msgctxt":
                context = note.text or ""
    target = "".join(targets) if any(targets) and len(targets) == len(sources) else ""
    return Unit(original=original, line=line, msgid="".join(sources), msgctxt=context,
                targets=(target,), fuzzy=fuzzy, problem=problems[0] if problems else "")


def _text(element) -> tuple[str, str]:
    """The text of a source or target, and what makes it unusable ("" when nothing)."""
    parts = [element.text or ""]
    problem = ""
    for child in element:
        name = _local(child)
        if name in _TEXT_ELEMENTS:
            text, inner = _text(child)
            parts.append(text)
            problem = problem or inner
        elif name == "cp":
            try:
                parts.append(chr(int(child.get("hex", ""), 16)))
            except (ValueError, OverflowError):
                problem = problem or f"an invalid <cp hex={child.get('hex')!r}>"
        elif name in _CODE_ELEMENTS:
            problem = problem or f"the text holds an inline code <{name}> that localize cannot turn back into Markdown"
        parts.append(child.tail or "")
    return "".join(parts), problem
