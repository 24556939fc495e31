"""`guard scan` and `guard on-event`: compare live AWS with state, for an estate or one event."""

from __future__ import annotations

from typing import Any

import click

from guard.aws import Clients
from guard.cli.exits import EXIT_CLEAN, EXIT_DRIFT, EXIT_INCOMPLETE, exit_code
from guard.cli.options import (
    account_options,
    alert_settings,
    attribution_options,
    format_option,
    is_alerting,
    live_rules_option,
    load_rule_options,
    max_attempts_option,
    metrics_options,
    notify_options,
    output_option,
    region_option,
    service_option,
    state_option,
    state_source_options,
    take_alerting,
    take_attribution,
    take_metrics,
)
from guard.errors import InputError
from guard.render import write_report


@click.command()
@state_option()
@region_option()
@click.option(
    "--all-regions",
    is_flag=True,
    help="Read every region enabled for the account (DescribeRegions; opted-in regions only).",
)
@service_option
@max_attempts_option()
@live_rules_option
@state_source_options
@account_options
@format_option(
    "scan",
    "console; json (docs/json-schema.md); markdown (an issue or $GITHUB_STEP_SUMMARY, under "
    "GitHub's 64 KB); sarif (2.1.0, each finding on its state file and address); html (one "
    "self-contained page with the blast radius drawn, docs/report.md).",
)
@output_option
@notify_options
@attribution_options
@metrics_options()
def scan(
    states: tuple[str, ...],
    regions: tuple[str, ...],
    all_regions: bool,
    services: tuple[str, ...],
    max_attempts: int,
    output_format: str,
    output: str | None,
    rule_dirs: tuple[str, ...] = (),
    **sources: Any,
) -> int:
    """Compare live AWS with Terraform state or Pulumi stacks and report every out-of-band edit.

    Exit codes: 0 no drift, 2 drift found, 3 incomplete (something could not be
    read: a type, a region, a state or an account), 1 bad input.
    """
    from guard.alerting.watch import alert_once, describe_cycle
    from guard.live.regions import regions_to_read
    from guard.pipeline.run import ScanOptions, run_scan, scope_sources

    alerting = take_alerting(sources)
    metrics = take_metrics(sources, alerting)
    attribution = take_attribution(sources, is_alerting(alerting))
    regions = regions_to_read(regions, all_regions, Clients(max_attempts=max_attempts))
    options = ScanOptions(
        states=states,
        regions=regions,
        max_attempts=max_attempts,
        rules=load_rule_options(rule_dirs) if rule_dirs else None,
        attribution=attribution,
        services=services,
        **sources,
    )
    settings = alert_settings(alerting, options.config)
    if settings.target is None and not settings.history:
        report = run_scan(options)
        metrics.record(report)
        write_report("scan", output_format, report, output)
        return exit_code(report)
    clients = Clients(max_attempts=max_attempts)
    result = alert_once(
        scope_sources(options), regions, clients, settings, scan_once=lambda: run_scan(options)
    )
    metrics.record(result.report, result)
    write_report("scan", output_format, result.report, output)
    click.echo(f"guard: alerts: {settings.clean(describe_cycle(result))}", err=True)
    return exit_code(result.report)


@click.command("on-event")
@state_option()
@region_option("Only events in these regions (global services always); the same as the scheduled scan's.")
@click.option(
    "--event",
    "event_path",
    default="-",
    show_default=True,
    help="File holding the EventBridge event (or CloudTrail record, or an SQS batch of events); "
    "- reads standard input.",
)
@max_attempts_option()
@live_rules_option
@state_source_options
@account_options
@format_option("event", "console; json (docs/json-schema.md, one report per event).")
@output_option
@notify_options
@metrics_options()
def on_event(
    states: tuple[str, ...],
    regions: tuple[str, ...],
    event_path: str,
    max_attempts: int,
    output_format: str,
    output: str | None,
    rule_dirs: tuple[str, ...] = (),
    **sources: Any,
) -> int:
    """Check the resource a CloudTrail event touched against state, seconds after the change.

    Read-only calls, failed calls and resources in no state are ignored without any AWS
    call. With --notify slack (and --history), findings are recorded and posted exactly
    as `scan --notify slack` with the same state flags and regions would: one finding is
    one message whichever of the two sees it first (docs/event-driven.md). Exit codes:
    0 nothing drifted (or ignored), 2 drift, 3 the resource could not be read, 1 bad input.
    """
    from guard.pipeline.on_event import check_events, read_event_file
    from guard.pipeline.run import ScanOptions, command_line_sources, scope_sources

    alerting = take_alerting(sources)
    metrics = take_metrics(sources, alerting)
    options = ScanOptions(
        states=states,
        regions=regions,
        max_attempts=max_attempts,
        rules=load_rule_options(rule_dirs) if rule_dirs else None,
        **sources,
    )
    if not (options.config or options.accounts or command_line_sources(options)):
        raise InputError(
            "guard on-event",
            "no state to compare with",
            "pass --state, --tf-dir, --pulumi-stack, --pulumi-state with --stack, or --config",
        )
    alerts_wanted = alerting["notify"] == "slack" or bool(alerting["history"] or options.config)
    settings = alert_settings(alerting, options.config) if alerts_wanted else None
    document = read_event_file(event_path)
    source = "standard input" if event_path == "-" else event_path
    outcomes = check_events(document, options, Clients(max_attempts=max_attempts), source=source)
    metrics.record(outcome.report for outcome in outcomes if outcome.report)
    write_report("event", output_format, outcomes, output)
    if settings is not None and (settings.target is not None or settings.history):
        from guard.alerting.events import alert_events

        alerts = alert_events(outcomes, scope_sources(options), regions, settings)
        if alerts.results:
            click.echo(f"guard: alerts: {settings.clean(alerts.describe())}", err=True)
    statuses = {outcome.status for outcome in outcomes}
    if "incomplete" in statuses:
        return EXIT_INCOMPLETE
    return EXIT_DRIFT if "drift" in statuses else EXIT_CLEAN
