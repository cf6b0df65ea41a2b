"""Segments of a front matter block: the values of the configured keys.

YAML (``---``) is located with PyYAML's node marks, TOML (``+++``) with
tomlkit, which keeps the source as written; only the chosen values are ever
replaced, so key order, quoting and comments come back as they were.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from localize.errors import SourceError
from localize.model import Segment, TomlPlacement, YamlPlacement
from localize.segment.lines import LINE_ENDING, split_lines, line_number

if TYPE_CHECKING:
    import tomlkit

YAML_FENCE = "---"
TOML_FENCE = "+++"


@dataclass(frozen=True)
class FrontMatterBlock:
    """Where the front matter is: its ``format`` (``yaml`` or ``toml``), the offsets of
    its content between the fences, and ``end``, the offset where the body starts."""

    format: str
    content_start: int
    content_end: int
    end: int


def split_front_matter(text: str, *, path: Path) -> FrontMatterBlock | None:
    """Find a front matter block at the very start of ``text`` (after a BOM).

    An opening fence without a closing one is not front matter: ``---`` at the
    top of a Markdown file is also a thematic break.
    """
    # The lines are looked at one by one up to the closing fence, not split all at once: this is
    # asked of every page a merge makes, and the body after the front matter is most of the text.
    start = 1 if text.startswith("\ufeff") else 0
    endings = LINE_ENDING.finditer(text, start)
    first = next(endings, None)
    if first is None or text[start:first.start()].rstrip(" \t") not in (YAML_FENCE, TOML_FENCE):
        return None
    opening = text[start:first.start()].rstrip(" \t")
    closings = ("---", "...") if opening == YAML_FENCE else ("+++",)
    content_start = position = first.end()
    for ending in itertools.chain(endings, (None,)):
        # None: the last line, which has no ending.
        line_end = len(text) if ending is None else ending.start()
        if text[position:line_end].rstrip(" \t") in closings:
            return FrontMatterBlock(
                format="yaml" if opening == YAML_FENCE else "toml",
                content_start=content_start,
                content_end=position,
                end=len(text) if ending is None else ending.end(),
            )
        if ending is not None:
            position = ending.end()
    return None


def read_front_matter(text: str, block: FrontMatterBlock | None, *, path: Path) -> dict[str, Any]:
    """The front matter as plain values (dates as datetimes), for the steps that need them."""
    if block is None:
        return {}
    content = text[block.content_start:block.content_end]
    if block.format == "toml":
        return _parse_toml(text, block, path=path).unwrap()
    try:
        data = _load(content)
    except yaml.YAMLError as error:
        raise _yaml_error(error, text, block, path) from None
    except ValueError as error:
        # PyYAML builds dates itself: "date: 2022-13-45" fails there, not in its parser.
        line = _line(text, block.content_start) + _unbuildable_value_line(content)
        raise SourceError(f"invalid value in YAML front matter: {error}", path=path, line=line) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _not_a_mapping(text, block, path)
    return data


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, except that a timestamp it cannot build (``2022-13-45``) stays the
    string it is, as Jekyll's YAML reader leaves it: the date is then the dateline's problem
    (``localize.dateline``), which names its line, and not the whole article's."""


def _timestamp(loader: _Loader, node: yaml.ScalarNode):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

# libyaml, PyYAML's C parser (in its wheels), reads a front matter five times faster than the parser
# written in Python, with the same marks (offsets in characters) and the same values, since both build
# them with the same Python constructors. What libyaml refuses is read again by the Python parser, so an
# error names the same problem and line as before. libyaml accepts a little more: a tab inside a plain
# value, which YAML allows and Jekyll (Psych) and Hugo (go-yaml), both libyaml at heart, read too.
_CLoader = None
if getattr(yaml, "CSafeLoader", None) is not None:

    class _CLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """``_Loader`` on libyaml."""

    _CLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _load(content: str) -> Any:
    """The front matter's values, by libyaml when it reads them."""
    if _CLoader is not None:
        try:
            return yaml.load(content, Loader=_CLoader)
        except yaml.YAMLError:
            pass
    return yaml.load(content, Loader=_Loader)


def _compose(content: str) -> yaml.Node | None:
    """The front matter's nodes with their marks, by libyaml when it reads them."""
    if _CLoader is not None:
        try:
            return yaml.compose(content, Loader=_CLoader)
        except yaml.YAMLError:
            pass
    return yaml.compose(content, Loader=yaml.SafeLoader)


def _not_a_mapping(text: str, block: FrontMatterBlock, path: Path) -> SourceError:
    """A front matter that is a list or a string: the refusal, and why the file's ``---`` was taken
    for front matter (in plain Markdown it may be a thematic break)."""
    return SourceError(
        "front matter must be a mapping of keys to values: the article starts with '---', which "
        "static-site generators read as front matter (start it with a blank line if that is a thematic break)",
        path=path, line=_line(text, block.content_start),
    )


def _unbuildable_value_line(content: str) -> int:
    """The 0-based line of the first scalar PyYAML parses but cannot build (such as a date)."""
    constructor = yaml.SafeLoader("")
    pending = [yaml.compose(content, Loader=yaml.SafeLoader)]
    while pending:
        node = pending.pop(0)
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node, deep=True)
            except ValueError:
                return node.start_mark.line
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            pending.extend(item for pair in node.value for item in pair)
    return 0


def front_matter_segments(text: str, block: FrontMatterBlock, *, keys: tuple[str, ...], path: Path) -> Iterator[Segment]:
    """A segment for each string value of ``keys`` (dotted for nested mappings), in key order."""
    if block.format == "toml":
        yield from _toml_segments(text, block, keys=keys, path=path)
    else:
        yield from _yaml_segments(text, block, keys=keys, path=path)


# -- YAML -------------------------------------------------------------------------------

def _yaml_segments(text: str, block: FrontMatterBlock, *, keys: tuple[str, ...], path: Path) -> Iterator[Segment]:
    content = text[block.content_start:block.content_end]
    try:
        root = _compose(content)
    except yaml.YAMLError as error:
        raise _yaml_error(error, text, block, path) from None
    if root is None:
        return
    if not isinstance(root, yaml.MappingNode):
        raise _not_a_mapping(text, block, path)
    lines = split_lines(text)
    found = []
    for key in keys:
        node = _yaml_lookup(root, key.split("."))
        if node is None:
            continue
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for item in items:
            if isinstance(item, yaml.ScalarNode) and item.tag == "tag:yaml.org,2002:str" and item.value.strip():
                found.append(_yaml_segment(text, block, item, key, lines))
    yield from sorted(found, key=lambda segment: segment.start)


def _yaml_lookup(node: yaml.Node, path: list[str]) -> yaml.Node | None:
    for name in path:
        if not isinstance(node, yaml.MappingNode):
            return None
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == name:
                node = value_node
                break
        else:
            return None
    return node


def _yaml_segment(text: str, block: FrontMatterBlock, node: yaml.ScalarNode, key: str, lines) -> Segment:
    start = block.content_start + node.start_mark.index
    end = block.content_start + node.end_mark.index
    style = node.style or ""
    line = line_number(lines, start)
    ending = lines[line - 1].ending or "\n"
    if style in ("|", ">"):
        raw = text[start:end]
        header = raw.split("\n", 1)[0].rstrip("\r")
        body_lines = [body_line for body_line in raw.splitlines()[1:] if body_line.strip()]
        indent = body_lines[0][: len(body_lines[0]) - len(body_lines[0].lstrip(" "))] if body_lines else "  "
        end = start + len(raw.rstrip())
        return Segment(
            text=node.value.rstrip("\n"), kind=f"front matter: {key}", line=line, start=start, end=end,
            placement=YamlPlacement(style=style, block_header=header, indent=indent, line_ending=ending),
        )
    return Segment(
        text=node.value, kind=f"front matter: {key}", line=line, start=start, end=end,
        placement=YamlPlacement(style=style, line_ending=ending),
    )


def _yaml_error(error: yaml.YAMLError, text: str, block: FrontMatterBlock, path: Path) -> SourceError:
    """The error at the line a person would look at: where the problem is, or, when PyYAML
    only noticed it at the end of the block, where the unfinished construct began."""
    content_length = block.content_end - block.content_start
    mark = getattr(error, "problem_mark", None)
    context = getattr(error, "context_mark", None)
    if (mark is None or mark.index >= content_length) and context is not None:
        mark = context
    first = _line(text, block.content_start)
    line = first + mark.line if mark is not None else first
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return SourceError(f"invalid YAML front matter: {problem}", path=path, line=line)


# -- TOML -------------------------------------------------------------------------------

def _parse_toml(text: str, block: FrontMatterBlock, *, path: Path) -> tomlkit.TOMLDocument:
    # tomlkit is loaded for a TOML front matter alone: most trees have none, and loading it took 4 ms.
    import tomlkit
    import tomlkit.exceptions

    try:
        return tomlkit.parse(text[block.content_start:block.content_end])
    except tomlkit.exceptions.ParseError as error:
        line = _line(text, block.content_start) + error.line - 1
        message = str(error).split(" at line ")[0]
        raise SourceError(f"invalid TOML front matter: {message}", path=path, line=line) from None


def _toml_segments(text: str, block: FrontMatterBlock, *, keys: tuple[str, ...], path: Path) -> Iterator[Segment]:
    import tomlkit.items

    document = _parse_toml(text, block, path=path)
    content = text[block.content_start:block.content_end]
    lines = split_lines(text)
    found = []
    for key in keys:
        if "." in key:
            continue  # only top-level keys are located in TOML
        item = document.get(key)
        if not isinstance(item, tomlkit.items.String) or not str(item).strip():
            continue
        raw = item.as_string()
        assignment = re.compile(
            rf"^[ \t]*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')[ \t]*=[ \t]*", re.MULTILINE
        )
        match = assignment.search(content)
        if match is None or content[match.end():match.end() + len(raw)] != raw:
            continue
        start = block.content_start + match.end()
        found.append(Segment(
            text=str(item), kind=f"front matter: {key}", line=line_number(lines, start),
            start=start, end=start + len(raw),
            placement=TomlPlacement(
                literal=item.type in (tomlkit.items.StringType.SLL, tomlkit.items.StringType.MLL),
                multiline=item.type in (tomlkit.items.StringType.MLB, tomlkit.items.StringType.MLL),
            ),
        ))
    yield from sorted(found, key=lambda segment: segment.start)


def _line(text: str, offset: int) -> int:
    return line_number(split_lines(text), offset)


# -- writing translations back ---------------------------------------------------------------

def encode_yaml(placement: YamlPlacement, translation: str) -> str:
    """The YAML for ``translation`` in the source's style when that style can hold it, else double-quoted."""
    style = placement.style
    if style in ("|", ">"):
        header = placement.block_header
        if style == ">" and "\n" in translation:
            header = "|" + header[1:]  # folding would join the translator's lines
        lines = [
            placement.line_ending + (placement.indent + line if line else "")
            for line in translation.split("\n")
        ]
        return header + "".join(lines)
    if style == "'" and "\n" not in translation:
        return "'" + translation.replace("'", "''") + "'"
    if style == "" and _plain_yaml_holds(translation):
        return translation
    return _double_quoted_yaml(translation)


def _plain_yaml_holds(value: str) -> bool:
    """Whether ``value`` reads back as the same string when written unquoted, in block or flow context."""
    if not value or "\n" in value or value != value.strip() or any(mark in value for mark in ",[]{}#"):
        return False
    try:
        return yaml.safe_load(f"key: {value}\n") == {"key": value}
    except yaml.YAMLError:
        return False


def _double_quoted_yaml(value: str) -> str:
    escaped = []
    for character in value:
        code = ord(character)
        if character == "\\":
            escaped.append("\\\\")
        elif character == '"':
            escaped.append('\\"')
        elif character == "\n":
            escaped.append("\\n")
        elif character == "\t":
            escaped.append("\\t")
        elif code < 0x20 or 0x7F <= code <= 0x9F or character in "\u2028\u2029\ufeff":
            escaped.append(f"\\u{code:04x}")
        else:
            escaped.append(character)
    return '"' + "".join(escaped) + '"'


def encode_toml(placement: TomlPlacement, translation: str) -> str:
    """The TOML string for ``translation``, literal or basic as in the source when it can be."""
    import tomlkit
    import tomlkit.exceptions

    multiline = placement.multiline or "\n" in translation
    literal = placement.literal and "'" not in translation and "\r" not in translation
    try:
        return tomlkit.string(translation, literal=literal, multiline=multiline).as_string()
    except (ValueError, tomlkit.exceptions.TOMLKitError):
        return tomlkit.string(translation, multiline=multiline).as_string()
