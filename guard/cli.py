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
def scan(
    states: tuple[str, ...],
    regions: tuple[str, ...],
    max_attempts: int,
    output_format: str,
    output: str | None,
) -> int:
    """Compare live AWS with Terraform state and report every out-of-band edit.

    Exit codes: 0 no drift, 2 drift found, 3 incomplete (something could not be
    read), 1 bad input.
    """
    from guard.scan import scan as run_scan

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
@click.option(
    "--max-attempts",
    type=click.IntRange(1, 20),
    default=DEFAULT_MAX_ATTEMPTS,
    show_default=True,
    envvar="GUARD_MAX_ATTEMPTS",
    help="Attempts per AWS call before a throttled or failing call gives up.",
)
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
    from guard.apply import FindingRun, Outcome
    from guard.apply import rollback as run_rollback
    from guard.render.rollback import render_rollback_console, render_rollback_json

    def confirm(runs: tuple[FindingRun, ...]) -> bool:
        planned = [run for run in runs if run.outcome is Outcome.PLANNED]
        calls = sum(len(run.calls) for run in planned)
        if yes:
            return True
        click.echo(f"guard will make {calls} AWS call(s) for {len(planned)} finding(s):", err=True)
        from guard.rollback import aws_cli

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
