"""`guard package-lambda`: the zip the central stack's functions run (docs/organization.md)."""

from __future__ import annotations

from pathlib import Path

import click

from guard.cli.exits import EXIT_CLEAN


@click.command("package-lambda")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("guard-lambda.zip"),
    show_default=True,
    help="Where to write the zip.",
)
@click.option(
    "--include",
    "include",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A file or folder the functions read from their disk (a state, guard.toml, a rule "
    "folder), put at the package root (/var/task/NAME). Repeatable.",
)
@click.option(
    "--python",
    "python_version",
    default="3.12",
    show_default=True,
    help="The function's Python runtime version (deploy/central.yaml runs python3.12).",
)
@click.option(
    "--architecture",
    type=click.Choice(["x86_64", "arm64"]),
    default="x86_64",
    show_default=True,
    help="The function's architecture: which platform's wheels pip installs.",
)
@click.option(
    "--dependencies/--no-dependencies",
    default=True,
    show_default=True,
    help="Install guard's dependencies into the zip with pip (Lambda's own boto3 is older than guard needs).",
)
def package_lambda(
    output: Path, include: tuple[Path, ...], python_version: str, architecture: str, dependencies: bool
) -> int:
    """Build the Lambda package for deploy/central.yaml: guard, its built-in rules, its
    dependencies for Lambda's platform, and the files given with --include. Reads no AWS;
    upload it yourself (the command to run is printed)."""
    from guard.deploy.package import build_package

    built = build_package(output, include, dependencies, python_version, architecture)
    click.echo(f"guard: wrote {built.path} ({built.files:,} files, {built.size / 1e6:.1f} MB)")
    click.echo(f"  aws s3 cp {built.path} s3://CODE_BUCKET/change-guard/{built.path.name}", err=True)
    click.echo("  then update the central stack with CodeKey set to that key (a new key per build)", err=True)
    return EXIT_CLEAN
