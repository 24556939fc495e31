"""The click layer: one short function per command; the work lives in the library."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import Any

import click
from rich.console import Console

from guard import __version__
from guard.aws import DEFAULT_MAX_ATTEMPTS, Clients
from guard.errors import GuardError
from guard.model import Report

EXIT_CLEAN, EXIT_ERROR, EXIT_DRIFT, EXIT_INCOMPLETE = 0, 1, 2, 3


def exit_code(report: Report) -> int:
    """Incomplete outranks drift: a partial read must never pass for a full one."""
    if not report.complete:
        return EXIT_INCOMPLETE
    return EXIT_DRIFT if report.findings else EXIT_CLEAN


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
    from guard.watch import AlertSettings

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
    if not debug:
        logging.getLogger("botocore").setLevel(logging.WARNING)


@cli.command()
@click.option(
    "--state",
    "states",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=True),
    help="Terraform state file (format version 4). Repeat for several states.",
)
@click.option(
    "--region",
    "regions",
    multiple=True,
    help="AWS region to read. Repeat for several. Default: the regions the state names, else AWS_REGION.",
)
@click.option(
    "--max-attempts",
    type=click.IntRange(1, 20),
    default=DEFAULT_MAX_ATTEMPTS,
    show_default=True,
    envvar="GUARD_MAX_ATTEMPTS",
    help="Attempts per AWS call before a throttled or failing call marks the scan incomplete.",
)
@output_options
@notify_options
def scan(
    states: tuple[str, ...],
    regions: tuple[str, ...],
    max_attempts: int,
    output_format: str,
    output: str | None,
    **alerting: Any,
) -> int:
    """Compare live AWS with Terraform state and report every out-of-band edit.

    Exit codes: 0 no drift, 2 drift found, 3 incomplete (something could not be
    read), 1 bad input.
    """
    from guard.scan import scan as run_scan

    if alerting["notify"] not in (None, "none") or alerting["history"]:
        from guard.watch import alert_once, describe_cycle

        settings = alert_settings(alerting)
        result = alert_once(states, regions, Clients(max_attempts=max_attempts), settings)
        emit(result.report, output_format, output)
        click.echo(f"guard: alerts: {settings.clean(describe_cycle(result))}", err=True)
        return exit_code(result.report)
    report = run_scan(states, regions, Clients(max_attempts=max_attempts))
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


@cli.command()
@click.option(
    "--state",
    "states",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=True),
    help="Terraform state file (format version 4). Repeat for several states.",
)
@click.option("--region", "regions", multiple=True, help="AWS region to read. Repeat for several.")
@click.option(
    "--interval",
    default="5m",
    show_default=True,
    help="Time between the start of one cycle and the next (e.g. 90s, 5m, 1h).",
)
@click.option(
    "--max-attempts",
    type=click.IntRange(1, 20),
    default=DEFAULT_MAX_ATTEMPTS,
    show_default=True,
    envvar="GUARD_MAX_ATTEMPTS",
    help="Attempts per AWS call before a throttled or failing call marks the scan incomplete.",
)
@notify_options
def watch(
    states: tuple[str, ...], regions: tuple[str, ...], interval: str, max_attempts: int, **alerting: Any
) -> int:
    """Scan on a loop and alert: the same cycle as `scan --notify`, every --interval.

    Stops cleanly on SIGTERM or SIGINT (after the cycle under way); a cycle that fails
    is logged and the loop goes on.
    """
    import signal
    import threading

    from guard.alerts import parse_duration
    from guard.watch import alert_once, describe_cycle, watch_loop

    every = parse_duration(interval, "--interval")
    if every.total_seconds() < 1:
        raise GuardError("--interval: must be at least 1s")
    settings = alert_settings(alerting)
    clients = Clients(max_attempts=max_attempts)
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
            logging.getLogger("guard.watch").error("cycle %d failed: %s", number, settings.clean(error))
            click.echo(f"guard: watch: cycle {number} failed: {settings.clean(error)}", err=True)
        else:
            click.echo(f"guard: watch: cycle {number}: {settings.clean(describe_cycle(result))}", err=True)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        click.echo(f"guard: watch: every {interval}; stop with SIGTERM or Ctrl-C", err=True)
        cycles = watch_loop(lambda: alert_once(states, regions, clients, settings), every, stop, on_cycle)
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
    from guard.alerts import parse_duration
    from guard.history import open_history
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
