"""`guard config check`: validate guard.toml."""

from __future__ import annotations

import click

from guard.cli.exits import EXIT_CLEAN, EXIT_ERROR


@click.group("config")
def config_group() -> None:
    """Check guard.toml."""


@config_group.command("check")
@click.option(
    "--config",
    "path",
    default="guard.toml",
    show_default=True,
    envvar="GUARD_CONFIG",
    type=click.Path(dir_okay=False),
    help="The file to check.",
)
def config_check(path: str) -> int:
    """Validate guard.toml and list every problem at once (exit 1 if there is any)."""
    from guard.config import load_config

    config = load_config(path, strict=False)
    if config.problems:
        for problem in config.problems:
            click.echo(f"guard: error: {problem}", err=True)
        click.echo(
            f"{path}: {len(config.problems)} problem{'s' if len(config.problems) != 1 else ''}", err=True
        )
        return EXIT_ERROR
    click.echo(
        f"{path}: OK ({len(config.accounts)} account{'s' if len(config.accounts) != 1 else ''}, "
        f"{len(config.ignores)} ignore{'s' if len(config.ignores) != 1 else ''}"
        + (", and the organisation's accounts found at each run" if config.organization else "")
        + ")"
    )
    return EXIT_CLEAN
