"""`guard scan` as Markdown: an issue, a PR comment or $GITHUB_STEP_SUMMARY, under GitHub's 64 KB limit."""

from __future__ import annotations

from collections import Counter
from typing import Any

from guard.model import Drift, DriftKind, Report
from guard.render.markdown import BUDGET, COMMENT_LIMIT, ICON, cell, html, inline_code

_KIND = {DriftKind.CHANGED: "changed", DriftKind.MISSING: "deleted", DriftKind.UNMANAGED: "added"}


def _where(report: Report) -> str:
    accounts = report.accounts if len(report.accounts) > 1 else (report.account or "?",)
    word = "accounts" if len(accounts) > 1 else "account"
    return f"{word} {', '.join(accounts)}, {', '.join(report.regions) or 'no region'}"


def _headline(report: Report) -> str:
    count = len(report.findings)
    if count:
        kinds = Counter(_KIND[d.kind] for d in report.findings)
        by_kind = ", ".join(f"{kinds[word]} {word}" for word in _KIND.values() if kinds[word])
        icon = "🛑"
        text = f"{count} finding{'s' if count != 1 else ''} ({by_kind})"
    elif report.violations:
        icon, text = "🔴", "no drift"
    elif report.complete:
        icon, text = "✅", "no drift"
    else:
        icon, text = "⚠️", "INCOMPLETE: not everything could be checked"
    if report.violations:
        text += f", {len(report.violations)} rule violation{'s' if len(report.violations) != 1 else ''}"
    return f"## {icon} change-guard: {text}"


def _show(value: Any) -> str:
    return "(not set)" if value is None else str(value)


def _fence(text: str) -> str:
    """A fence longer than any run of backticks inside, so state values cannot end the block."""
    longest, run = 0, 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def _name(drift: Drift) -> str:
    return drift.address or f"{drift.type} {drift.id}"


def _finding_block(drift: Drift) -> str:
    name = _name(drift)
    lines = [
        f"<details><summary>{ICON[drift.severity.value]} <b>{_KIND[drift.kind].upper()}</b> "
        f"<code>{html(name)}</code>: {html(drift.title)}</summary>",
        "",
    ]
    where = " · ".join(p for p in (drift.account, drift.region, drift.source) if p)
    if where:
        lines.append(f"- where: {inline_code(where)}")
    lines += [
        f"- {inline_code(c.path)}: {inline_code(_show(c.expected))} → {inline_code(_show(c.actual))}"
        for c in drift.changes
    ]
    lines += [f"- impact: {html(consequence)}" for consequence in drift.impact]
    if drift.actor is not None:
        lines.append(f"- who: {html(drift.actor.described or drift.actor.who)}")
    for step in drift.rollback:
        lines += ["", f"**{html(step.description)}**"]
        for body in (step.cli, step.iac):
            if body:
                fence = _fence(body)
                lines += ["", fence, body, fence]
    lines += ["", "</details>", ""]
    return "\n".join(lines)


def _table(report: Report, used: int) -> list[str]:
    rows = [
        f"| {d.severity.value} | {_KIND[d.kind]} | `{cell(_name(d))}` | {cell(d.title)} |"
        for d in report.findings
    ]
    out = ["| Severity | Kind | Resource | Finding |", "|---|---|---|---|"]
    budget = BUDGET // 2  # the rest is for the details
    used += sum(len(line) + 1 for line in out)
    for position, row in enumerate(rows):
        if used + len(row) + 1 > budget:
            out.append(f"| | | | _{len(rows) - position} more findings not shown_ |")
            break
        out.append(row)
        used += len(row) + 1
    return [*out, ""]


def _violations(report: Report) -> str:
    lines = [
        "### Rule violations in live state",
        "",
        "| Severity | Rule | Resource | Message |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {v.severity.value} | {v.rule_id} | `{cell(v.address or v.id)}` | {cell(v.message)} |"
        for v in report.violations
    ]
    return "\n".join([*lines, ""]) + "\n"


def _groups(report: Report) -> str:
    lines = []
    for group in report.groups:
        if len(group.places) < 2:  # one place's findings are listed together already
            continue
        lines.append(f"- Same change in {len(group.places)} places: {html(group.finding_class)}")
    return ("### Where else\n\n" + "\n".join(lines) + "\n\n") if lines else ""


def _closing(report: Report) -> list[str]:
    lines = [f"{report.managed_checked} of {report.managed_total} declared resources checked"]
    if report.unsupported_types:
        names = ", ".join(f"{name} ({n})" for name, n in report.unsupported_types.items())
        lines.append(f"Not supported yet, so not checked: {html(names)}")
    if report.out_of_scope:
        lines.append(f"{report.out_of_scope} declared resources are in regions or accounts not scanned")
    lines += [f"Note: {html(note)}" for note in report.notes]
    lines += [
        f"**INCOMPLETE:** {inline_code(n.type)} in {inline_code(n.region)}: {html(n.reason)}"
        for n in report.not_checked
    ]
    lines += [f"**INCOMPLETE:** {u.what} {inline_code(u.name)}: {html(u.reason)}" for u in report.unreadable]
    return lines


def render_scan_markdown(report: Report) -> str:
    head = [_headline(report), "", f"Scanned {html(_where(report))}.", ""]
    if report.findings:
        head += _table(report, len("\n".join(head)))
    text = "\n".join(head)
    extras = (_violations(report) if report.violations else "") + _groups(report)
    omitted = 0
    if report.findings:
        section = "### Findings\n\n"
        text += section
        for drift in report.findings:
            block = _finding_block(drift)
            if len(text) + len(block) + len(extras) > BUDGET:
                omitted += 1
                continue
            text += block
    if len(text) + len(extras) <= BUDGET:
        text += extras
    elif extras:
        text += "\n_Rule violations and repeated changes left out to stay under GitHub's limit._\n"
    if omitted:
        text += (
            f"\n_{omitted} finding details left out to stay under GitHub's comment limit; "
            "run with `--format json` for all._\n"
        )
    text += "\n"
    closing = _closing(report)
    for position, line in enumerate(closing):
        if len(text) + len(line) + 3 > COMMENT_LIMIT - 200:  # room for the line that says so
            text += f"- _{len(closing) - position} more lines not shown; run with `--format json` for all_\n"
            break
        text += f"- {line}\n"
    return text
