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
    "--all-regions",
    is_flag=True,
    help="Read every region enabled for the account (DescribeRegions; opted-in regions only).",
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
    all_regions: bool,
    max_attempts: int,
    output_format: str,
    output: str | None,
) -> int:
    """Compare live AWS with Terraform state and report every out-of-band edit.

    Exit codes: 0 no drift, 2 drift found, 3 incomplete (something could not be
    read), 1 bad input.
    """
    from guard.scan import scan as run_scan

    clients = Clients(max_attempts=max_attempts)
    if all_regions:
        from guard.live.regions import enabled_regions

        if regions:
            raise click.UsageError("--all-regions and --region cannot be used together")
        regions = enabled_regions(clients)
    report = run_scan(states, regions, clients)
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
    from guard.live.catalog import render_markdown, type_catalog

    rows = type_catalog(REGISTRY)
    if output_format == "json":
        click.echo(json.dumps({"types": rows}, indent=2))
    elif output_format == "markdown":
        click.echo(render_markdown(REGISTRY), nl=False)
    else:
        table = Table("Type", "Service", "AWS calls", "Compared", box=None, show_lines=False)
        for row in rows:
            name = "\n".join([row["type"], *(f"(alias {a})" for a in row["aliases"])])
            table.add_row(name, row["service"], "\n".join(row["api_calls"]), ", ".join(row["compared"]))
        Console(highlight=False, width=160).print(table)
        click.echo(f"{len(rows)} types. Attributes not compared, and why: guard types --format json")
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
