"""`guard rules`: list, show and test the rules (the built-in pack and your own YAML folders)."""

from __future__ import annotations

import click

from guard.cli.exits import EXIT_CLEAN, EXIT_DRIFT
from guard.cli.options import load_rule_options, rules_option
from guard.errors import InputError


@click.group()
def rules() -> None:
    """List, show and test the rules (the built-in pack and your own YAML folders)."""


@rules.command("list")
@rules_option
def rules_list(rule_dirs: tuple[str, ...]) -> int:
    """List every rule: id, severity, resource types, title. Checks the rule files on the way."""
    rule_set = load_rule_options(rule_dirs)
    for rule in rule_set:
        origin = "" if rule.builtin else f"  ({rule.source})"
        types = ", ".join(rule.resource_types)
        if rule.subject == "change":
            types = f"plan changes: {types}"
        click.echo(f"{rule.id:<16} {rule.severity.value:<9} {rule.title} [{types}]{origin}")
    click.echo(f"{len(rule_set)} rules")
    return EXIT_CLEAN


@rules.command("show")
@click.argument("rule_id")
@rules_option
def rules_show(rule_id: str, rule_dirs: tuple[str, ...]) -> int:
    """Show one rule: what it checks, why, how to fix it, and its YAML file."""
    rule_set = load_rule_options(rule_dirs)
    rule = rule_set.get(rule_id.upper())
    if rule is None:
        raise InputError(rule_id, "no such rule", "run `guard rules list` for the ids")
    click.echo(f"{rule.id}: {rule.title}")
    click.echo(f"severity: {rule.severity.value}")
    click.echo(
        f"checks: {'plan changes of ' if rule.subject == 'change' else ''}{', '.join(rule.resource_types)}"
    )
    if rule.description:
        click.echo(f"why: {rule.description.strip()}")
    if rule.remediation:
        click.echo(f"fix: {rule.remediation.strip()}")
    for reference in rule.references:
        click.echo(f"see: {reference}")
    click.echo(f"file: {rule.source}")
    return EXIT_CLEAN


@rules.command("test")
@click.argument("fixtures", type=click.Path(exists=True, file_okay=False))
@rules_option
def rules_test(fixtures: str, rule_dirs: tuple[str, ...]) -> int:
    """Run rules on fixture folders (input + expected.json) and print pass or fail for each.

    FIXTURES is one fixture folder or a folder of them. Exit codes: 0 all pass,
    2 a fixture failed, 1 bad input.
    """
    from guard.plan.rule_fixtures import find_fixtures, run_fixture

    rule_set = load_rule_options(rule_dirs)
    folders = find_fixtures(fixtures)
    failed = 0
    for folder in folders:
        result = run_fixture(folder, rule_set)
        click.echo(f"{'PASS' if result.passed else 'FAIL'}  {result.rule_id:<16} {folder}")
        for line in result.problems:
            click.echo(f"      {line}")
        failed += not result.passed
    click.echo(f"{len(folders) - failed} passed, {failed} failed")
    return EXIT_DRIFT if failed else EXIT_CLEAN
