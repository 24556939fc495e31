"""`guard watch` and `guard history`: scanning on a loop, and what the alert history holds."""

from __future__ import annotations

from typing import Any

import click

from guard.aws import Clients
from guard.cli.exits import EXIT_CLEAN
from guard.cli.options import (
    account_options,
    alert_settings,
    attribution_options,
    format_option,
    history_option,
    is_alerting,
    live_rules_option,
    load_rule_options,
    max_attempts_option,
    metrics_options,
    notify_options,
    output_option,
    region_option,
    state_option,
    state_source_options,
    take_alerting,
    take_attribution,
    take_metrics,
)
from guard.errors import GuardError, InputError
from guard.render import write_report


@click.command()
@state_option()
@region_option("")
@click.option(
    "--interval",
    default="5m",
    show_default=True,
    help="Time between the start of one cycle and the next (e.g. 90s, 5m, 1h).",
)
@max_attempts_option()
@live_rules_option
@state_source_options
@account_options
@notify_options
@attribution_options
@metrics_options(serve=True)
def watch(
    states: tuple[str, ...],
    regions: tuple[str, ...],
    interval: str,
    max_attempts: int,
    rule_dirs: tuple[str, ...] = (),
    **sources: Any,
) -> int:
    """Scan on a loop and alert: the same cycle as `scan --notify`, every --interval.

    Reads the same state sources and accounts as `scan` (--state, --tf-dir,
    --pulumi-stack, --pulumi-state with --stack, --config, --account), runs the same
    --rules and says who made each change (--attribute, on by default with --notify
    slack). Stops cleanly on SIGTERM or SIGINT (after the cycle under way); a cycle
    that fails is logged and the loop goes on.
    """
    from guard.alerting.cycle import parse_duration
    from guard.alerting.watch import alert_once, watch_until_signalled
    from guard.pipeline.run import ScanOptions, command_line_sources, run_scan, scope_sources

    alerting = take_alerting(sources)
    attribution = take_attribution(sources, is_alerting(alerting))
    metrics = take_metrics(sources, alerting, watching=True)
    every = parse_duration(interval, "--interval")
    if every.total_seconds() < 1:
        raise GuardError("--interval: must be at least 1s")
    options = ScanOptions(
        states=states,
        regions=regions,
        max_attempts=max_attempts,
        rules=load_rule_options(rule_dirs) if rule_dirs else None,
        attribution=attribution,
        **sources,
    )
    if not (options.config or options.accounts or command_line_sources(options)):  # once, not per cycle
        raise InputError(
            "guard watch",
            "no state to compare with",
            "pass --state, --tf-dir, --pulumi-stack, --pulumi-state with --stack, or --config",
        )
    settings = alert_settings(alerting, options.config)
    clients = Clients(max_attempts=max_attempts)
    scope = scope_sources(options)

    def cycle() -> Any:
        result = alert_once(scope, regions, clients, settings, scan_once=lambda: run_scan(options))
        metrics.record(result.report, result)
        return result

    def say(line: str) -> None:
        click.echo(line, err=True)

    metrics.serve()
    say(f"guard: watch: every {interval}; stop with SIGTERM or Ctrl-C")
    watch_until_signalled(cycle, every, settings, say)
    return EXIT_CLEAN


@click.command()
@history_option
@click.option(
    "--since",
    default="7d",
    show_default=True,
    help="Show findings resolved within this long (e.g. 24h, 30d).",
)
@click.option(
    "--summary",
    is_flag=True,
    help="Only the drift SLOs over --since: mean and p90 time to detect, in drift and to resolve, "
    "by account and type.",
)
@format_option("history", "console; json; html (one page with a chart per day, docs/report.md).")
@output_option
def history(history: str | None, since: str, summary: bool, output_format: str, output: str | None) -> int:
    """List open and recently resolved findings, time to detect and to resolve, and undelivered messages."""
    from guard.alerting.cycle import parse_duration
    from guard.alerting.history import open_history
    from guard.alerting.history.summary import history_to_dict, summary_to_dict

    window = parse_duration(since, "--since")
    store = open_history(history)
    try:
        data = summary_to_dict(store, window) if summary else history_to_dict(store, window)
    finally:
        store.close()
    write_report("history", output_format, data, output)
    return EXIT_CLEAN
