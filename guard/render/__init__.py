"""Every output guard writes: one renderer per (report kind, format), and one writer for file or stdout.

A renderer is a pure function of what it renders: `text` returns the whole output, `draw`
prints it on a rich Console (colour on a terminal, plain text in a file). Modules are named,
not imported, so that `guard --help` does not load every renderer.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FILE_WIDTH = 120  # a report written to a file does not depend on the terminal that wrote it


@dataclass(frozen=True)
class Renderer:
    kind: str  # what is rendered: scan, plan, rollback, history, graph, types, event
    format: str  # what the user passes to --format
    function: str  # "module:name" under guard.render
    draws: bool = False  # prints on a Console instead of returning text
    soft_wrap: bool = False  # on a terminal: let long lines run on instead of folding them
    width: int | None = None  # on a terminal: a fixed width (a table that must not squeeze)

    def load(self) -> Callable[..., Any]:
        module, name = self.function.split(":")
        return getattr(importlib.import_module(f"guard.render.{module}"), name)


RENDERERS: dict[tuple[str, str], Renderer] = {
    (r.kind, r.format): r
    for r in (
        Renderer("scan", "console", "console:render_console", draws=True),
        Renderer("scan", "json", "json:render_json"),
        Renderer("scan", "markdown", "scan_markdown:render_scan_markdown"),
        Renderer("scan", "sarif", "scan_sarif:render_scan_sarif"),
        Renderer("scan", "html", "scan_html:render_scan_html"),
        Renderer("plan", "console", "checkplan:render_console", draws=True, soft_wrap=True),
        Renderer("plan", "json", "checkplan:render_json"),
        Renderer("plan", "markdown", "markdown:render_markdown"),
        Renderer("plan", "sarif", "sarif:render_sarif"),
        Renderer("plan", "github", "checkplan:render_annotations"),
        Renderer("plan", "html", "plan_html:render_plan_html"),
        Renderer("rollback", "console", "rollback:render_rollback_console", draws=True),
        Renderer("rollback", "json", "rollback:render_rollback_json"),
        Renderer("history", "console", "history:render_history", draws=True),
        Renderer("history", "json", "history:render_history_json"),
        Renderer("history", "html", "history_html:render_history_html"),
        Renderer("graph", "dot", "graph:render_graph_dot"),
        Renderer("graph", "json", "graph:render_graph_json"),
        Renderer("types", "table", "types:render_table", draws=True, width=160),
        Renderer("types", "json", "types:render_json"),
        Renderer("types", "markdown", "types:render_markdown"),
        Renderer("event", "console", "events:render_events_console", draws=True),
        Renderer("event", "json", "events:render_events_json"),
    )
}


def formats(kind: str) -> list[str]:
    """The --format choices of one kind, in the order above (the first is the default)."""
    return [fmt for (each, fmt) in RENDERERS if each == kind]


def renderer(kind: str, output_format: str) -> Renderer:
    try:
        return RENDERERS[(kind, output_format)]
    except KeyError:
        raise ValueError(f"no {output_format} renderer for a {kind} report") from None


def write_output(text: str, output: str | None) -> None:
    """The one file-or-stdout writer: `--output FILE`, else standard output."""
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def write_report(kind: str, output_format: str, subject: Any, output: str | None) -> None:
    """Render `subject` in `output_format` and write it to `output` (a file) or standard output."""
    chosen = renderer(kind, output_format)
    if not chosen.draws:
        write_output(str(chosen.load()(subject)), output)
        return
    from rich.console import Console  # only a drawn report needs rich

    if output:
        with open(output, "w", encoding="utf-8") as handle:
            chosen.load()(subject, Console(file=handle, width=FILE_WIDTH, color_system=None))
    else:
        console = Console(highlight=False, soft_wrap=chosen.soft_wrap, width=chosen.width)
        chosen.load()(subject, console)
