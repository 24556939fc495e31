"""`guard graph`, `guard types` and `guard demo`: what guard sees and checks, reading no AWS."""

from __future__ import annotations

import click

from guard.cli.exits import EXIT_CLEAN
from guard.cli.options import format_option, output_option, state_option
from guard.render import write_report


@click.command()
@state_option(required=True)
@format_option("graph", "dot for Graphviz (`| dot -Tsvg`), json for tools.")
@output_option
def graph(states: tuple[str, ...], output_format: str, output: str | None) -> int:
    """Export the resource graph built from state: what uses what, for a picture. Reads no AWS."""
    import boto3

    from guard.enrich.graph import build_graph, export_graph
    from guard.state.sources import load_sources, terraform_source

    # Every state must be read: a graph with a state quietly missing would mislead.
    sources = [terraform_source(location, strict=True) for location in states]
    declared = load_sources(sources, boto3.Session()).resources
    write_report("graph", output_format, export_graph(build_graph(declared)), output)
    return EXIT_CLEAN


@click.command("types")
@format_option("types", "table for people, json for tools, markdown for docs/resource-types.md.")
def types_command(output_format: str) -> int:
    """List the resource types guard checks: service, AWS calls, compared attributes."""
    from guard.live import REGISTRY

    write_report("types", output_format, REGISTRY, None)
    return EXIT_CLEAN


@click.command()
@click.option(
    "--workdir",
    type=click.Path(file_okay=False),
    help="Keep the demo's Terraform state in this folder (default: a temporary folder).",
)
def demo(workdir: str | None) -> int:
    """Build a small web estate on an embedded AWS emulator, delete its 443 rule, and scan."""
    from rich.console import Console

    from guard.demo import run_demo

    return run_demo(Console(highlight=False), workdir)
