"""`guard check-plan`: guard a Terraform plan before it is applied."""

from __future__ import annotations

import os

import click

from guard.aws import Clients
from guard.cli.exits import EXIT_CLEAN, EXIT_DRIFT, EXIT_INCOMPLETE
from guard.cli.options import format_option, load_rule_options, max_attempts_option, rules_option
from guard.model import Severity
from guard.render import write_report


@click.command("check-plan")
@click.argument("plan_json", type=click.Path(dir_okay=False))
@format_option(
    "plan",
    "console; json; markdown (PR comment, step summary); sarif (2.1.0); github (annotations, "
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
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if output_format == "github" and summary:  # the job's summary page gets the Markdown too
        from guard.render.markdown import render_markdown

        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(render_markdown(report))
    write_report("plan", output_format, report, output)
    if report.blocked:
        return EXIT_DRIFT
    return EXIT_CLEAN if report.complete else EXIT_INCOMPLETE
