"""A segmented article becomes a catalog template (POT): one message per distinct text."""

from __future__ import annotations

from localize.catalog import new_header
from localize.model import Catalog, Document, Message

LOCATION_FULL = "full"
LOCATION_FILE = "file"

TEMPLATE_HEADER = "SOME DESCRIPTIVE TITLE.\nThis file is distributed under the same license as the articles it translates.\n"


def build_template(
    document: Document, *, source_path: str, project_name: str, creation_date: str, location: str
) -> Catalog:
    """The template of one article.

    Identical texts share one message with several references; the extracted
    comments name each kind of block the text stands in, in order.
    """
    by_text: dict[str, Message] = {}
    for segment in document.segments:
        reference = reference_for(source_path, segment.line, location)
        message = by_text.get(segment.text)
        if message is None:
            by_text[segment.text] = Message(
                msgid=segment.text,
                comment=segment.kind,
                occurrences=(reference,) if reference else (),
            )
            continue
        kinds = message.comment.split("\n")
        occurrences = message.occurrences
        if reference and reference not in occurrences:
            occurrences = occurrences + (reference,)
        by_text[segment.text] = Message(
            msgid=segment.text,
            comment="\n".join(kinds + [segment.kind]) if segment.kind not in kinds else message.comment,
            occurrences=occurrences,
        )
    return Catalog(
        messages=tuple(by_text.values()),
        metadata=template_metadata(project_name, creation_date),
        header=TEMPLATE_HEADER,
        metadata_is_fuzzy=True,
    )


def template_metadata(project_name: str, creation_date: str) -> dict[str, str]:
    """The header xgettext writes, with the placeholders translators' tools expect in a template."""
    return new_header(project_name, creation_date=creation_date)


def reference_for(source_path: str, line: int, location: str) -> tuple[str, str] | None:
    """The ``#:`` reference the ``location`` setting asks for, if any."""
    if location == LOCATION_FULL:
        return (source_path, str(line))
    if location == LOCATION_FILE:
        return (source_path, "")
    return None
