"""`guard scan` and `guard on-event`: compare live AWS with state, for an estate or one event."""

from __future__ import annotations

from typing import Any

import click

from guard.aws import Clients
from guard.cli.exits import EXIT_CLEAN, EXIT_DRIFT, EXIT_INCOMPLETE, exit_code
from guard.cli.options import (
    account_options,
    alert_settings,
    format_option,
    load_rule_options,
    max_attempts_option,
    metrics_options,
    notify_options,
    output_option,
    region_option,
    state_option,
    state_source_options,
    take_alerting,
    take_metrics,
)
from guard.render import write_report


@click.command()
@state_option()
@region_option()
@click.option(
    "--all-regions",
    is_flag=True,
    help="Read every region enabled for the account (DescribeRegions; opted-in regions only).",
)
@max_attempts_option()
@click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    help="Also run rules on live state: the built-in pack plus this folder of YAML rules "
    "(`builtin` for the pack alone). Repeat for several folders.",
)
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
@metrics_options()
@click.option(
    "--attribute/--no-attribute",
    default=False,
    envvar="GUARD_ATTRIBUTE",
    show_default=True,
    help="Say who made each change, from CloudTrail (needs cloudtrail:LookupEvents; docs/attribution.md).",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ"]),
    help="Attribution window start (UTC), e.g. the last clean scan. Default: --lookback-days ago.",
)
@click.option(
    "--lookback-days",
    type=click.IntRange(1, 90),
    default=90,
    show_default=True,
    help="How far back attribution looks when --since is not given (CloudTrail keeps 90 days).",
)
@click.option(
    "--trail-bucket",
    help="Attribute from an (organisation) trail's log files in this S3 bucket instead of LookupEvents.",
)
@click.option(
    "--trail-prefix",
    default="AWSLogs/",
    show_default=True,
    help="Key prefix before the account id in --trail-bucket (an organisation trail: AWSLogs/o-xxxx/).",
)
def scan(
    states: tuple[str, ...],
    regions: tuple[str, ...],
    all_regions: bool,
    max_attempts: int,
    output_format: str,
    output: str | None,
    rule_dirs: tuple[str, ...] = (),
    attribute: bool = False,
    since: Any = None,
    lookback_days: int = 90,
    trail_bucket: str | None = None,
    trail_prefix: str = "AWSLogs/",
    **sources: Any,
) -> int:
    """Compare live AWS with Terraform state or Pulumi stacks and report every out-of-band edit.

    Exit codes: 0 no drift, 2 drift found, 3 incomplete (something could not be
    read: a type, a region, a state or an account), 1 bad input.
    """
    from guard.alerting.watch import alert_once, describe_cycle
    from guard.enrich.attribution import AttributionSettings
    from guard.live.regions import regions_to_read
    from guard.pipeline.run import ScanOptions, run_scan, scope_sources

    alerting = take_alerting(sources)
    metrics = take_metrics(sources, alerting)
    attribution = None
    if attribute or trail_bucket:
        attribution = AttributionSettings(
            since=since, lookback_days=lookback_days, trail_bucket=trail_bucket, trail_prefix=trail_prefix
        )
    regions = regions_to_read(regions, all_regions, Clients(max_attempts=max_attempts))
    options = ScanOptions(
        states=states,
        regions=regions,
        max_attempts=max_attempts,
        rules=load_rule_options(rule_dirs) if rule_dirs else None,
        attribution=attribution,
        **sources,
    )
    if alerting["notify"] in (None, "none") and not alerting["history"]:
        report = run_scan(options)
        metrics.record(report)
        write_report("scan", output_format, report, output)
        return exit_code(report)
    settings = alert_settings(alerting)
    clients = Clients(max_attempts=max_attempts)
    result = alert_once(
        scope_sources(options), regions, clients, settings, scan_once=lambda: run_scan(options)
    )
    metrics.record(result.report, result)
    write_report("scan", output_format, result.report, output)
    click.echo(f"guard: alerts: {settings.clean(describe_cycle(result))}", err=True)
    return exit_code(result.report)


@click.command("on-event")
@state_option(required=True)
@click.option(
    "--event",
    "event_path",
    default="-",
    show_default=True,
    help="File holding the EventBridge event (or CloudTrail record); - reads standard input.",
)
@format_option("event", "console; json (docs/json-schema.md, one report per event).")
@output_option
@metrics_options()
def on_event(
    states: tuple[str, ...], event_path: str, output_format: str, output: str | None, **metrics: Any
) -> int:
    """Check the one resource a CloudTrail event touched against state, seconds after the change.

    Read-only calls, failed calls and resources in no state are ignored without any AWS
    call. Exit codes: 0 nothing drifted (or ignored), 2 drift, 3 the resource could not
    be read, 1 bad input.
    """
    from guard.pipeline.on_event import check_events, read_event_file

    document = read_event_file(event_path)
    source = "standard input" if event_path == "-" else event_path
    outcomes = check_events(document, states, Clients(), source=source)
    take_metrics(metrics).record(outcome.report for outcome in outcomes if outcome.report)
    write_report("event", output_format, outcomes, output)
    statuses = {outcome.status for outcome in outcomes}
    if "incomplete" in statuses:
        return EXIT_INCOMPLETE
    return EXIT_DRIFT if "drift" in statuses else EXIT_CLEAN
