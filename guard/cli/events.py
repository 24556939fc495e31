"""`guard events-rule`: the EventBridge pattern that sends `guard on-event` what it follows."""

from __future__ import annotations

import json
from typing import Any

import click

from guard.cli.exits import EXIT_CLEAN
from guard.cli.options import output_option, state_option, state_source_options


@click.command("events-rule")
@state_option()
@state_source_options
@click.option(
    "--split",
    is_flag=True,
    help="Print a JSON list of as few patterns as fit EventBridge's default 2,048-character "
    "limit each (event sources packed in order): one rule each.",
)
@output_option
def events_rule(states: tuple[str, ...], split: bool, output: str | None, **sources: Any) -> int:
    """Print the EventBridge event pattern for the CloudTrail calls guard follows (JSON).

    Every type guard checks by default; with --state (or another state source), only the
    types those states declare, and their child types. Reads no AWS but the states.
    """
    from guard.aws import new_session
    from guard.errors import InputError
    from guard.live import REGISTRY
    from guard.live.events import (
        PATTERN_LIMIT,
        PATTERN_LIMIT_RAISED,
        event_pattern,
        followed,
        pattern_size,
        split_patterns,
        types_in_play,
    )
    from guard.pipeline.accounts import known_types
    from guard.pipeline.run import ScanOptions, command_line_sources
    from guard.state.sources import load_sources

    declarations = list(REGISTRY.types.values())
    given = command_line_sources(ScanOptions(states=states, **sources))
    if given:
        loaded = load_sources(given, new_session(), known_types(REGISTRY))
        if loaded.unreadable:  # a rule quietly missing a state's types would miss its changes
            first = loaded.unreadable[0]
            raise InputError(first.name, f"could not be read ({first.reason})", "fix it, or leave it out")
        declarations = types_in_play(loaded.resources, REGISTRY)
    by_source = followed(declarations)
    if not by_source:
        raise InputError("the states", "declare no type guard follows", "pass the states guard scans")
    pattern = event_pattern(by_source)
    document: Any = split_patterns(by_source) if split else pattern
    text = json.dumps(document, indent=2) + "\n"
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)
    size = pattern_size(pattern)
    if not split and size > PATTERN_LIMIT:
        click.echo(
            f"guard: note: the pattern is {size:,} characters; EventBridge allows {PATTERN_LIMIT:,}"
            f" ({PATTERN_LIMIT_RAISED:,} with a quota increase): use --split for one rule per"
            " service, or --state to follow only the types you declare",
            err=True,
        )
    return EXIT_CLEAN
