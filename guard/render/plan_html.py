"""`guard check-plan --format html`: the pre-apply verdict, each finding with its details and fix."""

from __future__ import annotations

from collections import Counter

from guard.model import Severity
from guard.plan.check import PlanFinding, PlanReport
from guard.render.checkplan import counts_text, summary_lines, verdict
from guard.render.htmlpage import badge, band_item, esc, items, page


def render_plan_html(report: PlanReport) -> str:
    tone = "bad" if report.blocked else ("warn" if not report.complete else "good")
    severities = Counter(f.violation.severity for f in report.findings)
    severity_text = (
        " ".join(
            f"{badge(s.value)} {severities[s]}"
            for s in sorted(Severity, key=lambda s: -s.rank)
            if severities[s]
        )
        or "none"
    )
    completeness = (
        band_item("Completeness", "<strong>complete</strong>")
        if report.complete
        else band_item(
            "Completeness",
            f"<strong>INCOMPLETE</strong>, not checked: {items(report.not_checked)}",
            "incomplete",
        )
    )
    body = [
        "<header><h1>change-guard check-plan</h1>"
        f'<div class="verdict {tone}">{esc(verdict(report))}</div>'
        f'<div class="muted">plan {esc(report.source)} · Terraform {esc(report.terraform_version or "?")} · '
        f"fails on {esc(report.fail_on.value)} and above</div></header>",
        '<section class="band" aria-label="Summary">'
        + band_item("Changes", esc(counts_text(report)))
        + band_item(
            "Findings", f"{len(report.findings)}, {sum(1 for f in report.findings if f.blocking)} blocking"
        )
        + band_item("By severity", severity_text)
        + completeness
        + "</section>",
    ]
    blocking = [f for f in report.findings if f.blocking]
    warnings = [f for f in report.findings if not f.blocking]
    for heading, group in (("Blocking", blocking), ("Warnings", warnings)):
        if group:
            body.append(f"<h2>{heading} ({len(group)})</h2>")
            body += [_finding(f) for f in group]
    if not report.findings:
        body.append("<h2>Findings</h2><p>No rule is broken by this plan.</p>")
    extra = summary_lines(report)
    if extra:
        body.append(f"<h2>Notes</h2>{items(extra)}")
    return page(f"change-guard: {verdict(report)}", "\n".join(body))


def _finding(finding: PlanFinding) -> str:
    v = finding.violation
    parts = [
        f'<article class="finding {esc(v.severity.value)}">',
        f"<div>{badge(v.severity.value)} <strong>{'BLOCK' if finding.blocking else 'WARN'}</strong> "
        f"<code>{esc(v.rule_id)}</code> {esc(v.message)}</div>",
        f'<div class="muted"><code>{esc(v.address)}</code> · {esc(v.title)}</div>',
    ]
    if finding.details:
        parts.append(f"<ul>{''.join(f'<li>{esc(line)}</li>' for line in finding.details)}</ul>")
    if v.remediation:
        parts.append(f"<p><strong>Fix:</strong> {esc(v.remediation.strip())}</p>")
    parts.append("</article>")
    return "".join(parts)
