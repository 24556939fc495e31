"""The click layer: one short function per command; the work lives in the library."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from guard import __version__
from guard.aws import DEFAULT_MAX_ATTEMPTS, Clients
from guard.errors import GuardError, InputError
from guard.model import Report, Severity

if TYPE_CHECKING:
    from guard.plan.check import PlanReport
    from guard.rules.loader import RuleSet

EXIT_CLEAN, EXIT_ERROR, EXIT_DRIFT, EXIT_INCOMPLETE = 0, 1, 2, 3


def exit_code(report: Report) -> int:
    """Incomplete outranks drift: a partial read must never pass for a full one."""
    if not report.complete:
        return EXIT_INCOMPLETE
    return EXIT_DRIFT if report.findings or report.violations else EXIT_CLEAN


def output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, writable=True),
        help="Write the report to this file instead of standard output.",
    )(command)
    command = click.option(
        "--format",
        "output_format",
        type=click.Choice(["console", "json"]),
        default="console",
        show_default=True,
        help="Report format; json follows docs/json-schema.md.",
    )(command)
    return command


def state_source_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Where declared state comes from besides --state: Pulumi stacks and Terraform working dirs."""
    options = [
        click.option(
            "--pulumi-stack",
            "pulumi_stacks",
            multiple=True,
            type=click.Path(dir_okay=False),
            help="A `pulumi stack export` file (checkpoint version 3). Repeat for several.",
        ),
        click.option(
            "--pulumi-state",
            default="",
            envvar=["GUARD_PULUMI_STATE", "PULUMI_BACKEND_URL"],
            help="Pulumi self-managed backend: s3://BUCKET[/PREFIX] or a local backend folder; with --stack.",
        ),
        click.option(
            "--stack",
            "stacks",
            multiple=True,
            envvar="GUARD_STACK",
            help="Stack in --pulumi-state, as org/project/stack. Repeat for several.",
        ),
        click.option(
            "--tf-dir",
            "tf_dirs",
            multiple=True,
            type=click.Path(file_okay=False),
            help="Terraform working directory: read the state its backend block (s3, http, local) points at.",
        ),
        click.option(
            "--workspace",
            default="",
            envvar="GUARD_WORKSPACE",
            help="Terraform workspace of s3:// states and --tf-dir "
            "(default: TF_WORKSPACE, then the selected one).",
        ),
        click.option(
            "--workspace-key-prefix",
            default="",
            envvar="GUARD_WORKSPACE_KEY_PREFIX",
            help="The S3 backend's workspace_key_prefix for s3:// states (default env:).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def account_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Many accounts: guard.toml, or account ids and a role to assume in each."""
    options = [
        click.option(
            "--config",
            default="",
            envvar="GUARD_CONFIG",
            type=click.Path(dir_okay=False),
            help="guard.toml with accounts, roles, regions, states and ignores (docs/config.md).",
        ),
        click.option(
            "--account",
            "accounts",
            multiple=True,
            help="Scan only this account (id or name from the config), or an account id to assume --role in.",
        ),
        click.option(
            "--role",
            default="",
            envvar="GUARD_ROLE",
            help="Role to assume in every account: a name (same in each) or an ARN.",
        ),
        click.option(
            "--external-id", default="", envvar="GUARD_EXTERNAL_ID", help="External id for AssumeRole."
        ),
        click.option(
            "--max-workers",
            type=click.IntRange(1, 64),
            default=None,
            envvar="GUARD_MAX_WORKERS",
            help="Accounts scanned at the same time (default 4).",
        ),
        click.option(
            "--session-name",
            default="",
            envvar="GUARD_SESSION_NAME",
            help="RoleSessionName of AssumeRole, as CloudTrail shows it (default change-guard).",
        ),
        click.option(
            "--progress/--no-progress",
            default=None,
            help="Progress bar over accounts (default: on a terminal only; plain lines otherwise).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


ALERT_OPTIONS = (
    "lock_wait",
    "remind_after",
    "history",
    "slack_channel",
    "slack_token",
    "slack_webhook",
    "notify",
)


def notify_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Alerting flags shared by `scan` and `watch` (docs/slack.md); secrets never echoed."""
    options = [
        click.option(
            "--lock-wait",
            type=click.FloatRange(0, 3600),
            default=10.0,
            show_default=True,
            help="Seconds to wait for another run of the same scope before giving up (exit 3).",
        ),
        click.option(
            "--remind-after",
            default="24h",
            show_default=True,
            help="Remind about a finding still open after this long (e.g. 12h, 2d; 0 never).",
        ),
        click.option(
            "--history",
            envvar="GUARD_HISTORY",
            help="Alert history: a SQLite file (default ~/.local/state/change-guard/history.sqlite3) "
            "or dynamodb://TABLE. Env: GUARD_HISTORY.",
        ),
        click.option(
            "--slack-channel",
            envvar="GUARD_SLACK_CHANNEL",
            help="Channel for the bot token (name or id). Env: GUARD_SLACK_CHANNEL.",
        ),
        click.option(
            "--slack-token",
            envvar="SLACK_BOT_TOKEN",
            show_default=False,
            help="Slack bot token (xoxb-...); threads replies. Env: SLACK_BOT_TOKEN (preferred).",
        ),
        click.option(
            "--slack-webhook",
            envvar="GUARD_SLACK_WEBHOOK_URL",
            show_default=False,
            help="Slack incoming webhook URL. Env: GUARD_SLACK_WEBHOOK_URL (preferred).",
        ),
        click.option(
            "--notify",
            type=click.Choice(["slack", "none"]),
            default=None,
            help="Post new, still-open and resolved findings (deduplicated through --history).",
        ),
    ]
    for option in options:
        command = option(command)
    return command


def alert_settings(alerting: dict[str, Any]) -> Any:
    from guard.alerting.watch import AlertSettings

    return AlertSettings.from_options(**alerting)


def emit(report: Report, output_format: str, output: str | None) -> None:
    from guard.render.console import render_console
    from guard.render.json import render_json

    if output_format == "json":
        text = render_json(report)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            click.echo(text, nl=False)
        return
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            render_console(report, Console(file=handle, width=120, color_system=None))
    else:
        render_console(report, Console(highlight=False, soft_wrap=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="guard")
@click.option("--debug", is_flag=True, help="Log what guard does (never secrets) to standard error.")
def cli(debug: bool) -> None:
    """Find out-of-band edits to AWS resources managed by Terraform, and the way back."""
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="guard: %(levelname)s: %(message)s",
    )
    # botocore, boto3 and urllib3 log whole requests and responses at DEBUG: AWS's answers
    # hold live values that state marks sensitive (and Lambda environments), so never those.
    for wire_logger in ("botocore", "boto3", "urllib3"):
        logging.getLogger(wire_logger).setLevel(logging.INFO if debug else logging.WARNING)


local_states_option = click.option(
    "--state",
    "states",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False),
    help="Terraform state file (format version 4). Repeat for several states.",
)


def max_attempts_option(
    text: str = "Attempts per AWS call before a throttled or failing call marks the scan incomplete.",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--max-attempts",
        type=click.IntRange(1, 20),
        default=DEFAULT_MAX_ATTEMPTS,
        show_default=True,
        envvar="GUARD_MAX_ATTEMPTS",
        help=text,
    )


def state_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--state`, the same for every command that scans (`scan`, `watch`)."""
    return click.option(
        "--state",
        "states",
        multiple=True,
        type=click.Path(dir_okay=True),
        help="Terraform state (format version 4): a file, s3://BUCKET/KEY (read only) or an "
        "http(s):// backend address (credentials from GUARD_STATE_AUTH). Repeat for several states.",
    )(command)


@cli.command()
@state_option
@click.option(
    "--region",
    "regions",
    multiple=True,
    help="AWS region to read. Repeat for several. Default: the regions the state names, else AWS_REGION.",
)
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
@output_options
@notify_options
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
    alerting = {name: sources.pop(name) for name in ALERT_OPTIONS}
    from guard.enrich.attribution import AttributionSettings
    from guard.pipeline.run import ScanOptions, run_scan

    rules = load_rule_options(rule_dirs) if rule_dirs else None
    settings = None
    if attribute or trail_bucket:
        settings = AttributionSettings(
            since=since,
            lookback_days=lookback_days,
            trail_bucket=trail_bucket,
            trail_prefix=trail_prefix,
        )
    if all_regions:
        from guard.live.regions import enabled_regions

        if regions:
            raise click.UsageError("--all-regions and --region cannot be used together")
        regions = enabled_regions(Clients(max_attempts=max_attempts))
    options = ScanOptions(
        states=states,
        regions=regions,
        max_attempts=max_attempts,
        rules=rules,
        attribution=settings,
        **sources,
    )
    if alerting["notify"] not in (None, "none") or alerting["history"]:
        from guard.alerting.watch import alert_once, describe_cycle
        from guard.pipeline.run import scope_sources

        settings_ = alert_settings(alerting)
        result = alert_once(
            scope_sources(options),
            regions,
            Clients(max_attempts=max_attempts),
            settings_,
            scan_once=lambda: run_scan(options),
        )
        emit(result.report, output_format, output)
        click.echo(f"guard: alerts: {settings_.clean(describe_cycle(result))}", err=True)
        return exit_code(result.report)
    report = run_scan(options)
    emit(report, output_format, output)
    return exit_code(report)


@cli.command()
@click.option(
    "--workdir",
    type=click.Path(file_okay=False),
    help="Keep the demo's Terraform state in this folder (default: a temporary folder).",
)
def demo(workdir: str | None) -> int:
    """Build a small web estate on an embedded AWS emulator, delete its 443 rule, and scan."""
    from guard.demo import run_demo

    return run_demo(Console(highlight=False), workdir)


def load_rule_options(rule_dirs: tuple[str, ...]) -> RuleSet:
    """`--rules DIR` (repeatable): the built-in pack plus each folder; `builtin` names the pack."""
    from guard.rules.loader import load_rules

    return load_rules([folder for folder in rule_dirs if folder != "builtin"])


def rules_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--rules",
        "rule_dirs",
        multiple=True,
        type=click.Path(exists=True),
        help="A folder of YAML rules to add to the built-in pack. Repeat for several.",
    )(command)


@cli.command("check-plan")
@click.argument("plan_json", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["console", "json", "markdown", "sarif", "github"]),
    default="console",
    show_default=True,
    help="console; json; markdown (PR comment, step summary); sarif (2.1.0); github (annotations, "
    "plus the Markdown summary appended to $GITHUB_STEP_SUMMARY when it is set).",
)
@click.option(
    "--fail-on",
    type=click.Choice([s.value for s in Severity]),
    default="high",
    show_default=True,
    help="Block the plan (exit 2) on a finding of this severity or higher.",
)
@rules_option
@click.option(
    "--protect",
    multiple=True,
    metavar="TYPE_OR_GLOB",
    help="Also protect this resource type or address glob from delete and replace "
    "(e.g. aws_efs_file_system, 'module.data.*'). Repeat for several.",
)
@click.option(
    "--live",
    is_flag=True,
    help="Also read the resources the plan touches from AWS (read-only) and warn about "
    "out-of-band changes the apply would undo.",
)
@max_attempts_option("With --live: attempts per AWS call.")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report to this file."
)
def check_plan(
    plan_json: str,
    output_format: str,
    fail_on: str,
    rule_dirs: tuple[str, ...],
    protect: tuple[str, ...],
    live: bool,
    max_attempts: int,
    output: str | None,
) -> int:
    """Check a Terraform plan (`terraform show -json tfplan`) before it is applied.

    Blocks rule violations in planned after-states, deletes and replacements of protected
    resources, and warns when the apply reverts a change made outside Terraform. Exit
    codes: 0 pass, 2 blocked, 1 bad input, 3 incomplete (--live could not read something).
    """
    from guard.plan.check import check_plan as run_check
    from guard.plan.live import compare_live
    from guard.plan.reader import read_plan

    plan = read_plan(plan_json)
    rules = load_rule_options(rule_dirs)
    comparison = compare_live(plan, Clients(max_attempts=max_attempts)) if live else None
    report = run_check(plan, rules, Severity(fail_on), protect, comparison)
    write_plan_report(report, output_format, output)
    if report.blocked:
        return EXIT_DRIFT
    return EXIT_CLEAN if report.complete else EXIT_INCOMPLETE


def write_plan_report(report: PlanReport, output_format: str, output: str | None) -> None:
    from guard.render import checkplan as plan_render
    from guard.render.markdown import render_markdown
    from guard.render.sarif import render_sarif

    if output_format == "console":
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                plan_render.render_console(report, Console(file=handle, width=120, color_system=None))
        else:
            plan_render.render_console(report, Console(highlight=False, soft_wrap=True))
        return
    if output_format == "github":
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(render_markdown(report))
        text = plan_render.render_annotations(report)
    else:
        render = {
            "json": plan_render.render_json,
            "markdown": render_markdown,
            "sarif": render_sarif,
        }[output_format]
        text = render(report)
    _write(text, output)


@cli.command("on-event")
@local_states_option
@click.option(
    "--event",
    "event_path",
    default="-",
    show_default=True,
    help="File holding the EventBridge event (or CloudTrail record); - reads standard input.",
)
@output_options
def on_event(states: tuple[str, ...], event_path: str, output_format: str, output: str | None) -> int:
    """Check the one resource a CloudTrail event touched against state, seconds after the change.

    Read-only calls, failed calls and resources in no state are ignored without any AWS
    call. Exit codes: 0 nothing drifted (or ignored), 2 drift, 3 the resource could not
    be read, 1 bad input.
    """
    from guard.pipeline.on_event import check_events, outcome_to_dict, read_event_file

    document = read_event_file(event_path)
    source = "standard input" if event_path == "-" else event_path
    outcomes = check_events(document, states, Clients(), source=source)
    if output_format == "json":
        import json

        text = json.dumps({"schema_version": 1, "events": [outcome_to_dict(o) for o in outcomes]}, indent=2)
        _write(text + "\n", output)
    else:
        from guard.render.console import render_console

        with _console(output) as console:
            for outcome in outcomes:
                if outcome.report is not None and outcome.status != "clean":
                    render_console(outcome.report, console)
                else:
                    what = f" on {', '.join(outcome.targets)}" if outcome.targets else ""
                    verdict = "Checked" if outcome.status == "clean" else "Ignored"
                    console.print(
                        f"{verdict} {outcome.event_name}{what} (event {outcome.event_id or '?'}): "
                        f"{outcome.reason}."
                    )
    statuses = {outcome.status for outcome in outcomes}
    if "incomplete" in statuses:
        return EXIT_INCOMPLETE
    return EXIT_DRIFT if "drift" in statuses else EXIT_CLEAN


@cli.command()
@local_states_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["dot", "json"]),
    default="dot",
    show_default=True,
    help="dot for Graphviz (`| dot -Tsvg`), json for tools.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to this file.")
def graph(states: tuple[str, ...], output_format: str, output: str | None) -> int:
    """Export the resource graph built from state: what uses what, for a picture. Reads no AWS."""
    from guard.enrich.graph import build_graph, render_graph_dot, render_graph_json
    from guard.state import load_states

    built = build_graph(load_states(states))
    _write(render_graph_json(built) if output_format == "json" else render_graph_dot(built), output)
    return EXIT_CLEAN


def _write(text: str, output: str | None) -> None:
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)


@cli.group()
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
    from guard.rules.fixtures import find_fixtures, run_fixture

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


@contextlib.contextmanager
def _console(output: str | None) -> Iterator[Console]:
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            yield Console(file=handle, width=120, color_system=None)
    else:
        yield Console(highlight=False, soft_wrap=False)


@cli.command("types")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="table for people, json for tools, markdown for docs/resource-types.md.",
)
def types_command(output_format: str) -> int:
    """List the resource types guard checks: service, AWS calls, compared attributes."""
    import json

    from rich.table import Table

    from guard.live import REGISTRY
    from guard.render.types import render_markdown, type_catalog

    rows = type_catalog(REGISTRY)
    if output_format == "json":
        click.echo(json.dumps({"types": rows}, indent=2))
    elif output_format == "markdown":
        click.echo(render_markdown(REGISTRY), nl=False)
    else:
        table = Table(box=None, show_lines=False)
        # Type names are what people search for: never cut or wrap them, whatever their length.
        longest = max((len(row["type"]) for row in rows), default=4)
        table.add_column("Type", no_wrap=True, min_width=longest)
        for header in ("Service", "AWS calls", "Compared"):
            table.add_column(header)
        for row in rows:
            name = "\n".join([row["type"], *(f"(alias {a})" for a in row["aliases"])])
            table.add_row(name, row["service"], "\n".join(row["api_calls"]), ", ".join(row["compared"]))
        Console(highlight=False, width=160).print(table)
        click.echo(f"{len(rows)} types. Attributes not compared, and why: guard types --format json")
    return EXIT_CLEAN


@cli.command()
@local_states_option
@click.option(
    "--region",
    "regions",
    multiple=True,
    help="AWS region to read. Repeat for several. Default: the regions the state names, else AWS_REGION.",
)
@click.option(
    "--only",
    "only",
    multiple=True,
    metavar="ADDRESS_OR_ID",
    help="Roll back only the findings with this address or AWS id. Repeat for several.",
)
@click.option("--apply", "apply_", is_flag=True, help="Run the direct AWS reversals (default: dry run).")
@click.option("--yes", is_flag=True, help="With --apply: do not ask for confirmation.")
@click.option(
    "--delete-unmanaged",
    is_flag=True,
    help="With --apply: also delete resources that are in no state, only those named with --only.",
)
@click.option(
    "--tf-dir",
    type=click.Path(file_okay=False, exists=True),
    help="Terraform code folder: show the file and line that declares each resource.",
)
@max_attempts_option("Attempts per AWS call before a throttled or failing call gives up.")
@output_options
def rollback(
    states: tuple[str, ...],
    regions: tuple[str, ...],
    only: tuple[str, ...],
    apply_: bool,
    yes: bool,
    delete_unmanaged: bool,
    tf_dir: str | None,
    max_attempts: int,
    output_format: str,
    output: str | None,
) -> int:
    """Show the way back for every finding; with --apply, run the direct AWS reversals.

    Exit codes: 0 every selected finding closed (dry run: none found), 2 findings
    remain open, 3 incomplete (something could not be read), 4 a step failed and the
    run stopped, 1 bad input or confirmation declined.
    """
    from guard.remedy.apply import FindingRun, RollbackStatus
    from guard.remedy.apply import rollback as run_rollback
    from guard.render.rollback import render_rollback_console, render_rollback_json

    def confirm(runs: tuple[FindingRun, ...]) -> bool:
        planned = [run for run in runs if run.outcome is RollbackStatus.PLANNED]
        calls = sum(len(run.calls) for run in planned)
        if yes:
            return True
        click.echo(f"guard will make {calls} AWS call(s) for {len(planned)} finding(s):", err=True)
        from guard.remedy.plan import aws_cli

        for run in planned:
            for call in run.calls:
                click.echo(f"  {aws_cli(call)}", err=True)
        return click.confirm("Run them?", default=False, abort=True, err=True)

    result = run_rollback(
        states,
        regions,
        Clients(max_attempts=max_attempts),
        only=only,
        apply=apply_,
        delete_unmanaged=delete_unmanaged,
        confirm=confirm,
        tf_dir=tf_dir,
    )
    if output_format == "json":
        text = render_rollback_json(result)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            click.echo(text, nl=False)
    elif output:
        with open(output, "w", encoding="utf-8") as handle:
            render_rollback_console(result, Console(file=handle, width=120, color_system=None))
    else:
        render_rollback_console(result, Console(highlight=False, soft_wrap=False))
    return result.exit_code


@cli.group("config")
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
        f"{len(config.ignores)} ignore{'s' if len(config.ignores) != 1 else ''})"
    )
    return EXIT_CLEAN


@cli.command()
@state_option
@click.option("--region", "regions", multiple=True, help="AWS region to read. Repeat for several.")
@click.option(
    "--interval",
    default="5m",
    show_default=True,
    help="Time between the start of one cycle and the next (e.g. 90s, 5m, 1h).",
)
@max_attempts_option()
@state_source_options
@notify_options
def watch(
    states: tuple[str, ...], regions: tuple[str, ...], interval: str, max_attempts: int, **sources: Any
) -> int:
    """Scan on a loop and alert: the same cycle as `scan --notify`, every --interval.

    Reads the same state sources as `scan` (--state, --tf-dir, --pulumi-stack,
    --pulumi-state with --stack). Stops cleanly on SIGTERM or SIGINT (after the cycle
    under way); a cycle that fails is logged and the loop goes on.
    """
    import signal
    import threading

    from guard.alerting.cycle import parse_duration
    from guard.alerting.watch import alert_once, describe_cycle, watch_loop
    from guard.pipeline.run import ScanOptions, command_line_sources, run_scan, scope_sources

    alerting = {name: sources.pop(name) for name in ALERT_OPTIONS}
    every = parse_duration(interval, "--interval")
    if every.total_seconds() < 1:
        raise GuardError("--interval: must be at least 1s")
    options = ScanOptions(states=states, regions=regions, max_attempts=max_attempts, **sources)
    if not command_line_sources(options):  # checked once, not every cycle
        raise InputError(
            "guard watch",
            "no state to compare with",
            "pass --state, --tf-dir, --pulumi-stack, or --pulumi-state with --stack",
        )
    settings = alert_settings(alerting)
    clients = Clients(max_attempts=max_attempts)
    scope = scope_sources(options)
    stop = threading.Event()

    def on_signal(number: int, _: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        click.echo(
            f"guard: watch: {signal.Signals(number).name} received, stopping after this cycle", err=True
        )
        stop.set()

    def on_cycle(number: int, result: Any, error: str | None) -> None:
        if error is not None:
            logging.getLogger("guard.alerting.watch").error(
                "cycle %d failed: %s", number, settings.clean(error)
            )
            click.echo(f"guard: watch: cycle {number} failed: {settings.clean(error)}", err=True)
        else:
            click.echo(f"guard: watch: cycle {number}: {settings.clean(describe_cycle(result))}", err=True)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        click.echo(f"guard: watch: every {interval}; stop with SIGTERM or Ctrl-C", err=True)
        cycles = watch_loop(
            lambda: alert_once(scope, regions, clients, settings, scan_once=lambda: run_scan(options)),
            every,
            stop,
            on_cycle,
        )
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo(f"guard: watch: stopped after {cycles} cycle{'s' if cycles != 1 else ''}", err=True)
    return EXIT_CLEAN


@cli.command()
@click.option(
    "--history",
    envvar="GUARD_HISTORY",
    help="Alert history: a SQLite file (default ~/.local/state/change-guard/history.sqlite3) "
    "or dynamodb://TABLE. Env: GUARD_HISTORY.",
)
@click.option(
    "--since",
    default="7d",
    show_default=True,
    help="Show findings resolved within this long (e.g. 24h, 30d).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["console", "json"]),
    default="console",
    show_default=True,
    help="Output format.",
)
def history(history: str | None, since: str, output_format: str) -> int:
    """List open and recently resolved findings, with time to resolve and undelivered messages."""
    from guard.alerting.cycle import parse_duration
    from guard.alerting.history import open_history
    from guard.render.history import history_to_dict, render_history

    window = parse_duration(since, "--since")
    store = open_history(history)
    try:
        data = history_to_dict(store, window)
    finally:
        store.close()
    if output_format == "json":
        import json

        click.echo(json.dumps(data, indent=2))
    else:
        render_history(data, Console(highlight=False, soft_wrap=False))
    return EXIT_CLEAN


def main() -> None:
    sys.exit(run(sys.argv[1:]))


def run(args: list[str]) -> int:
    """Run one command and return its exit code; every failure is one line on stderr."""
    try:
        code = cli.main(args=args, prog_name="guard", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("guard: aborted", err=True)
        code = EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        code = EXIT_ERROR
    except GuardError as exc:
        click.echo(f"guard: error: {exc}", err=True)
        code = exc.exit_code
    except KeyboardInterrupt:
        click.echo("guard: interrupted", err=True)
        code = 130
    except Exception as exc:  # a bug must still end in one line, not a traceback
        if os.environ.get("GUARD_DEBUG"):
            raise
        click.echo(
            f"guard: internal error: {type(exc).__name__}: {exc} "
            "(set GUARD_DEBUG=1 for the traceback and report it)",
            err=True,
        )
        code = EXIT_ERROR
    return code if isinstance(code, int) else EXIT_CLEAN
