"""The command reference in docs/cli.md, generated from the commands' own help.

Run `python -m guard.cli.reference > docs/cli.md` after changing a command; tests/test_docs.py
fails when the file is stale.
"""

from __future__ import annotations

import click

from guard.cli import cli

HEADER = """# Command reference

Generated from `guard --help` by `python -m guard.cli.reference > docs/cli.md`; do not edit by
hand. Exit codes for every command that reads AWS: `0` clean, `2` drift or violations
found, `3` incomplete (something could not be read; the output names it), `1` bad input
or usage error.
"""


def _commands(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name in sorted(group.commands):
        command = group.commands[name]
        path = f"{prefix} {name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, path))
    return found


def _context(command: click.Command, path: str) -> click.Context:
    # The same settings a real invocation gets (click caches the help option per command).
    return click.Context(
        command,
        info_name=path,
        terminal_width=88,
        max_content_width=88,
        help_option_names=["-h", "--help"],
    )


def cli_reference() -> str:
    parts = [HEADER]
    root = _context(cli, "guard")
    parts.append(f"## guard\n\n```text\n{cli.get_help(root)}\n```\n")
    for path, command in _commands(cli, "guard"):
        context = _context(command, path)
        parts.append(f"## {path}\n\n```text\n{command.get_help(context)}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(cli_reference(), end="")
