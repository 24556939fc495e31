"""The click layer: option declarations (options.py) and one short function per command.

The work lives in the library; each command module reads its flags, calls it, and hands the
result to the renderer registry (guard/render/).
"""

from __future__ import annotations

import logging
import os
import sys

import click

from guard import __version__
from guard.cli.alerts import history, watch
from guard.cli.config import config_group
from guard.cli.deploy import package_lambda
from guard.cli.estate import demo, graph, types_command
from guard.cli.events import events_rule
from guard.cli.exits import EXIT_CLEAN, EXIT_DRIFT, EXIT_ERROR, EXIT_INCOMPLETE, exit_code
from guard.cli.plan import check_plan
from guard.cli.rollback import rollback
from guard.cli.rules import rules
from guard.cli.scan import on_event, scan
from guard.cli.serve import serve
from guard.errors import GuardError

__all__ = ["EXIT_CLEAN", "EXIT_DRIFT", "EXIT_ERROR", "EXIT_INCOMPLETE", "cli", "exit_code", "main", "run"]


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


for command in (
    scan,
    demo,
    check_plan,
    on_event,
    graph,
    rules,
    types_command,
    rollback,
    config_group,
    watch,
    history,
    events_rule,
    package_lambda,
    serve,
):
    cli.add_command(command)


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
