"""Docs are part of the product: every command and option a user can type is documented."""

from __future__ import annotations

import re
from pathlib import Path

import click

from guard.cli import cli
from guard.cli.reference import _commands, cli_reference
from guard.rules.reference import with_rules_table

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"


def test_cli_reference_is_current():
    assert (DOCS / "cli.md").read_text() == cli_reference(), (
        "run: python -m guard.cli.reference > docs/cli.md"
    )


def test_every_command_has_help_and_every_option_has_help():
    for path, command in _commands(cli, "guard"):
        assert command.help, f"{path} has no help text"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{path} {param.opts[0]} has no help text"


def test_every_command_is_described_in_a_guide():
    """The generated reference is not enough: each command appears in a hand-written guide."""
    guides = "\n".join(p.read_text() for p in DOCS.glob("*.md") if p.name != "cli.md")
    guides += (ROOT / "README.md").read_text()
    for path, _ in _commands(cli, "guard"):
        assert re.search(rf"`{re.escape(path)}\b", guides), f"no guide mentions `{path}`"


def test_readme_quickstart_has_demo_and_test_commands():
    readme = (ROOT / "README.md").read_text()
    assert "guard demo" in readme
    assert "pytest" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -q -e '.[test]'" in ci and "python -m pytest -n 2" in ci


def test_rules_table_is_current():
    text = (DOCS / "rules.md").read_text()
    assert text == with_rules_table(text), "run: python -m guard.rules.reference docs/rules.md"


def test_every_scan_format_is_documented():
    """Each `guard scan --format` choice has a row in getting-started's table of formats."""
    from guard.render import formats

    guide = (DOCS / "getting-started.md").read_text().split("## Output formats", 1)[1].split("\n## ", 1)[0]
    for output_format in formats("scan"):
        assert f"| `{output_format}`" in guide, output_format
