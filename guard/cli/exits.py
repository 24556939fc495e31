"""Exit codes, the same for every command (docs/cli.md)."""

from __future__ import annotations

from guard.model import Report

EXIT_CLEAN, EXIT_ERROR, EXIT_DRIFT, EXIT_INCOMPLETE = 0, 1, 2, 3


def exit_code(report: Report) -> int:
    """Incomplete outranks drift: a partial read must never pass for a full one."""
    if not report.complete:
        return EXIT_INCOMPLETE
    return EXIT_DRIFT if report.findings or report.violations else EXIT_CLEAN
