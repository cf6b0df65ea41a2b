"""The site's own strings ("Other news", "All news"): ``locales/templates/ui.pot`` and each ``ui.po``.

The page templates mark their strings with gettext calls; extraction finds
them (Babel, with Jinja2's extractor, in ``localize.render``) and the
catalogs follow the same update rules as the article catalogs. This module
builds the catalogs as values; ``localize.steps.extract`` writes them.
"""

from __future__ import annotations

import marshal
from dataclasses import replace
from pathlib import Path

from localize.cache import code_fingerprint, combined_digest, open_cache
from localize.catalog import TEMPLATES_FOLDER, project_id, read_catalog_if_present, stable_template
from localize.config import Config
from localize.language import Language
from localize.model import Catalog, Message
from localize.page_templates import template_files
from localize.template import TEMPLATE_HEADER, reference_for, template_metadata

UI_DOMAIN = "ui"
TEMPLATES_DIR = "templates"  # the content tree's own page templates, over the package's defaults


def template_dirs(config: Config) -> tuple[Path, ...]:
    """Where page templates are looked up first: the content tree's ``templates/`` folder."""
    return (config.project_dir / TEMPLATES_DIR,)


def ui_template_path(config: Config) -> Path:
    return config.locales_dir / TEMPLATES_FOLDER / f"{UI_DOMAIN}.pot"


def ui_catalog_path(config: Config, language: str) -> Path:
    return config.locales_dir / language / "LC_MESSAGES" / f"{UI_DOMAIN}.po"


def build_ui_template(
    config: Config, *, creation_date: str, project_name: str | None = None, use_cache: bool = True,
) -> Catalog:
    """ui.pot: one message per distinct string (and plural), with every place it is used."""
    by_key: dict[tuple[str, str], Message] = {}
    for msgid, msgid_plural, path, line, found_comments in template_messages(config, use_cache=use_cache):
        key = (msgid, msgid_plural)
        reference = reference_for(path, line, config.location)
        previous = by_key.get(key)
        occurrences = previous.occurrences if previous else ()
        if reference and reference not in occurrences:
            occurrences += (reference,)
        comments = previous.comment.split("\n") if previous and previous.comment else []
        comments += [comment for comment in found_comments if comment not in comments]
        by_key[key] = Message(
            msgid=msgid,
            msgid_plural=msgid_plural,
            msgstr_plural={0: "", 1: ""} if msgid_plural else {},
            comment="\n".join(comments),
            occurrences=occurrences,
            flags=("python-format",) if "%(" in msgid else (),
        )
    return Catalog(
        messages=tuple(by_key.values()),
        metadata=template_metadata(project_name or project_id(config.project_name, None), creation_date),
        header=TEMPLATE_HEADER,
        metadata_is_fuzzy=True,
    )


TemplateFound = tuple[str, str, str, int, tuple[str, ...]]  # msgid, msgid_plural, reference, line, comments
_TEMPLATE_MESSAGES = "ui template messages"  # the tree's cache's name for what template_messages keeps


def template_messages(config: Config, *, use_cache: bool = True) -> tuple[TemplateFound, ...]:
    """What ``render.extract_template_messages`` finds in the templates in effect, as plain values.

    Kept in the tree's cache under the digest of those templates (their names,
    references and bytes), this version of localize and of Jinja2: extract, which
    makes ui.pot on every run, loads Jinja2 and parses the templates only when one changed.
    """
    folders = template_dirs(config)
    digest = _templates_digest(folders) if use_cache else None
    if digest is not None:
        with open_cache(config.project_dir) as cache:
            kept = cache.value(_TEMPLATE_MESSAGES)
        if isinstance(kept, bytes) and kept[:len(digest)] == digest:
            return marshal.loads(kept[len(digest):])
    from localize.render import extract_template_messages

    found = tuple((message.msgid, message.msgid_plural, message.path, message.line, tuple(message.comments))
                  for message in extract_template_messages(folders))
    # Not kept when a template changed while it was read: what was found may be of other bytes than the digest's.
    if digest is not None and _templates_digest(folders) == digest:
        with open_cache(config.project_dir) as cache:
            cache.set_value(_TEMPLATE_MESSAGES, digest + marshal.dumps(found))
            cache.commit()
    return found


def _templates_digest(folders: tuple[Path, ...]) -> bytes | None:
    """The digest of everything ``extract_template_messages`` makes its messages of; ``None`` when
    a template cannot be read (the extraction says why)."""
    from importlib import metadata

    try:
        jinja = metadata.version("Jinja2")
    except metadata.PackageNotFoundError:
        jinja = "missing"
    parts: list[bytes | str | None] = [code_fingerprint(), f"Jinja2=={jinja}"]
    for name, (path, reference) in template_files(folders).items():
        try:
            parts += [name, reference, path.read_bytes()]
        except OSError:
            return None
    return combined_digest(parts)


def ui_catalogs(config: Config, languages: list[Language], *, use_cache: bool = True) -> list[tuple[Path, Catalog]]:
    """ui.pot and each language's ui.po as they should be, ready to be written.

    The template keeps its creation date unless something else in it changes,
    so that extracting twice writes nothing. ``use_cache``: the templates' strings
    may come from the tree's cache (``template_messages``).
    """
    from localize.update import CatalogHeader, update_catalog  # (not loaded by merge, which reads the site's catalogs)

    pot_path = ui_template_path(config)
    existing_template = read_catalog_if_present(config, pot_path)
    project_name = project_id(config.project_name, existing_template)
    template = stable_template(
        lambda date: build_ui_template(config, creation_date=date, project_name=project_name, use_cache=use_cache),
        existing_template,
    )
    catalogs = [(pot_path, template)]
    for language in languages:
        po_path = ui_catalog_path(config, language.code)
        header = CatalogHeader(
            project_name=project_name, language=language,
            creation_date=template.metadata["POT-Creation-Date"], source_path="the site's page templates",
        )
        catalog = update_catalog(template, read_catalog_if_present(config, po_path), header=header)
        catalogs.append((po_path, _with_plural_slots(catalog, language.nplurals)))
    return catalogs


def _with_plural_slots(catalog: Catalog, nplurals: int) -> Catalog:
    """Every plural message with as many msgstr[N] as the language has forms, as msginit writes them."""
    messages = tuple(
        replace(message, msgstr_plural={index: message.msgstr_plural.get(index, "") for index in range(nplurals)})
        if message.msgid_plural and not message.obsolete and len(message.msgstr_plural) < nplurals else message
        for message in catalog.messages
    )
    return replace(catalog, messages=messages)


def read_ui_catalog(config: Config, language: str) -> Catalog | None:
    return read_catalog_if_present(config, ui_catalog_path(config, language))


def load_ui_translations(config: Config, language: str, *, use_fuzzy: bool = False):
    """The compiled site strings of ``language`` (the templates' English when it has no ui.po)."""
    from localize.render import ui_translations

    return ui_translations(read_ui_catalog(config, language), language=language, use_fuzzy=use_fuzzy)
