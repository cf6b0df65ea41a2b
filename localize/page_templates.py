"""The page templates in effect: the content tree's own first, then the package's.

Apart from ``localize.render`` (which renders them with Jinja2) so that the files
whose strings make ui.pot can be listed, and looked up in the tree's cache, without
loading Jinja2 (see ``localize.ui``).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
# The templates whose strings go into ui.pot: pages, not the stylesheet.
TEMPLATE_SUFFIXES = (".html", ".txt")


def template_files(template_dirs: tuple[Path, ...]) -> dict[str, tuple[Path, str]]:
    """The templates in effect by name: the content tree's own first, then the package's.

    Each maps to its file and the reference a catalog shows for it
    (``templates/article.html``, ``localize/templates/article.html``).
    """
    found: dict[str, tuple[Path, str]] = {}
    for directory, label in [*((d, d.name) for d in template_dirs), (PACKAGE_TEMPLATES, "localize/templates")]:
        if not directory.is_dir():
            continue
        for path in sorted(directory.rglob("*")):
            name = path.relative_to(directory).as_posix()
            if path.is_file() and path.suffix in TEMPLATE_SUFFIXES and name not in found:
                found[name] = (path, f"{label}/{name}")
    return dict(sorted(found.items()))
