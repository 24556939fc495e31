"""`guard rollback`: the way back for every finding, and running the direct AWS reversals."""

from __future__ import annotations

import click

from guard.aws import Clients
from guard.cli.options import (
    format_option,
    max_attempts_option,
    output_option,
    region_option,
    service_option,
    state_option,
)
from guard.render import write_report


@click.command()
@state_option(required=True)
@region_option()
@service_option
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
@format_option("rollback", "Report format; json follows docs/json-schema.md.")
@output_option
def rollback(
    states: tuple[str, ...],
    regions: tuple[str, ...],
    services: tuple[str, ...],
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
    from guard.pipeline.rollback import FindingRun, RollbackStatus
    from guard.pipeline.rollback import rollback as run_rollback
    from guard.remedy.plan import aws_cli

    def confirm(runs: tuple[FindingRun, ...]) -> bool:
        if yes:
            return True
        planned = [run for run in runs if run.outcome is RollbackStatus.PLANNED]
        calls = sum(len(run.calls) for run in planned)
        click.echo(f"guard will make {calls} AWS call(s) for {len(planned)} finding(s):", err=True)
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
        services=services,
    )
    write_report("rollback", output_format, result, output)
    return result.exit_code
