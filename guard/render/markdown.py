"""check-plan as Markdown: a PR comment or $GITHUB_STEP_SUMMARY, under GitHub's 64 KB limit."""

from __future__ import annotations

from guard.plan.check import PlanFinding, PlanReport
from guard.render.checkplan import counts_text, summary_lines, verdict

COMMENT_LIMIT = 65_536  # characters GitHub accepts in one comment
BUDGET = COMMENT_LIMIT - 2_000  # room for the closing lines
ICON = {"critical": "🛑", "high": "🔴", "medium": "🟠", "low": "🔵", "info": "⚪"}


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _finding_block(finding: PlanFinding) -> str:
    v = finding.violation
    lines = [
        f"<details><summary>{ICON[v.severity.value]} <b>{v.rule_id}</b> <code>{html(v.address)}</code>: "
        f"{html(v.title)}</summary>",
        "",
    ]
    lines += [f"- {inline_code(line)}" for line in finding.details]
    if v.remediation:
        lines += ["", f"**Fix:** {v.remediation.strip()}"]
    lines += ["", "</details>", ""]
    return "\n".join(lines)


def html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inline_code(text: str) -> str:
    return f"`{text.replace('`', '')}`"


def render_markdown(report: PlanReport) -> str:
    icon = "🛑" if report.blocked else ("⚠️" if not report.complete else "✅")
    out = [
        f"## {icon} change-guard: {verdict(report)}",
        "",
        f"Plan `{report.source}`: {counts_text(report)}.",
        "",
    ]
    blocking = [f for f in report.findings if f.blocking]
    warnings = [f for f in report.findings if not f.blocking]
    if report.findings:
        out += ["| | Severity | Rule | Resource | Finding |", "|---|---|---|---|---|"]
        rows = [
            f"| {'block' if f.blocking else 'warn'} | {f.violation.severity.value} | {f.violation.rule_id} | "
            f"`{cell(f.violation.address)}` | {cell(f.violation.title)} |"
            for f in report.findings
        ]
        table_budget = BUDGET // 2  # the rest is for the details
        used = len("\n".join(out))
        for position, row in enumerate(rows):
            if used + len(row) + 1 > table_budget:
                out.append(f"| | | | | _{len(rows) - position} more findings not shown_ |")
                break
            out.append(row)
            used += len(row) + 1
        out.append("")
    text = "\n".join(out)
    omitted = 0
    for heading, group in (("Blocking", blocking), ("Warnings", warnings)):
        if not group:
            continue
        section = f"### {heading}\n\n"
        if len(text) + len(section) > BUDGET:
            omitted += len(group)
            continue
        text += section
        for finding in group:
            block = _finding_block(finding)
            if len(text) + len(block) > BUDGET:
                omitted += 1
                continue
            text += block
    if omitted:
        text += (
            f"\n_{omitted} finding details left out to stay under GitHub's comment limit; "
            "run with `--format json` for all._\n"
        )
    extra = summary_lines(report)
    if extra:
        text += "\n" + "\n".join(f"- {line}" for line in extra) + "\n"
    text += f"\n<sub>Fails on severity {report.fail_on.value} and above.</sub>\n"
    return text
