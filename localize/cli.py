"""The command line: the only module that imports click.

Each command builds its options into values, calls one function of
``localize.project`` and prints the report it returns.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from localize import project
from localize.config import Config, load_config
from localize.errors import LocalizeError


class LocalizeGroup(click.Group):
    """Shows a LocalizeError as one line and exit status 1, without a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LocalizeError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(1)


class ProjectContext:
    """The content tree a command works on; its configuration is read on first use."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.directory)
        return self._config


pass_project = click.make_pass_decorator(ProjectContext)


@click.group(cls=LocalizeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C", "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=".",
    help="Work on the content tree in DIR instead of the current folder.", metavar="DIR",
)
@click.version_option(package_name="localize")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path) -> None:
    """Publish every article in many languages through gettext PO catalogs."""
    ctx.obj = ProjectContext(project_dir)


def main() -> None:
    cli(prog_name="localize")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
