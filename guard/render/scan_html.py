"""`guard scan --format html`: one page with the summary, every finding and its way back, and the
blast radius drawn (docs/report.md explains each part)."""

from __future__ import annotations

from collections import Counter, defaultdict

from guard.model import Drift, DriftKind, GraphView, Report, Severity
from guard.render.htmlpage import (
    Ids,
    badge,
    band_item,
    copy_block,
    esc,
    graph_svg,
    items,
    page,
    show,
)

KIND_WORD = {DriftKind.CHANGED: "changed", DriftKind.MISSING: "deleted", DriftKind.UNMANAGED: "added"}
MAX_ESTATE_NODES = 150  # past this, the estate picture shows the drifted resources and their neighbours


def render_scan_html(report: Report) -> str:
    ids = Ids()
    body = [_header(report), _band(report)]
    body.append(_findings(report, ids))
    if report.violations:
        body.append(_violations(report))
    body.append(_estate(report, ids))
    body.append(_notes(report))
    return page(f"change-guard: {_verdict(report)}", "\n".join(b for b in body if b))


def _accounts(report: Report) -> tuple[str, ...]:
    return report.accounts or ((report.account,) if report.account else ())


def _verdict(report: Report) -> str:
    count = len(report.findings)
    if count:
        kinds = Counter(KIND_WORD[d.kind] for d in report.findings)
        by_kind = ", ".join(f"{kinds[w]} {w}" for w in KIND_WORD.values() if kinds[w])
        text = f"{count} finding{'s' if count != 1 else ''} ({by_kind})"
    else:
        text = "no drift" if report.complete else "no drift found in what was read"
    return text if report.complete else f"{text}; INCOMPLETE"


def _header(report: Report) -> str:
    tone = "bad" if report.findings else ("good" if report.complete else "warn")
    where = ", ".join(_accounts(report)) or "?"
    return (
        "<header><h1>change-guard scan</h1>"
        f'<div class="verdict {tone}">{esc(_verdict(report))}</div>'
        f'<div class="muted">account {esc(where)} · {esc(", ".join(report.regions) or "no region")} · '
        f"started {esc(report.started_at or '?')}</div></header>"
    )


def _band(report: Report) -> str:
    kinds = Counter(d.kind for d in report.findings)
    severities = Counter(d.severity for d in report.findings)
    kind_text = ", ".join(f"{kinds[k]} {KIND_WORD[k]}" for k in DriftKind) if report.findings else "none"
    severity_text = (
        " ".join(
            f"{badge(s.value)} {severities[s]}"
            for s in sorted(Severity, key=lambda s: -s.rank)
            if severities[s]
        )
        or "none"
    )
    unread = [f"{n.type} in {n.region}: {n.reason}" for n in report.not_checked]
    unread += [f"{u.what} {u.name}: {u.reason}" for u in report.unreadable]
    if report.complete:
        completeness = band_item(
            "Completeness", "<strong>complete</strong>: every type in every region was read"
        )
    else:
        completeness = band_item(
            "Completeness", f"<strong>INCOMPLETE</strong>, not read: {items(unread)}", "incomplete"
        )
    throttled = f", {report.throttled_calls} throttled" if report.throttled_calls else ""
    cells = [
        band_item("Accounts", items(_accounts(report))),
        band_item("Regions", items(report.regions)),
        band_item("State sources", items(report.sources)),
        completeness,
        band_item("Findings by kind", f"{len(report.findings)}: {esc(kind_text)}"),
        band_item("Findings by severity", severity_text),
        band_item(
            "Coverage", f"{report.managed_checked} of {report.managed_total} declared resources checked"
        ),
        band_item(
            "Scan",
            f"{report.duration_seconds:.1f} s from {esc(report.started_at or '?')}; "
            f"{report.api_calls} API calls{esc(throttled)}",
        ),
    ]
    return f'<section class="band" aria-label="Summary">{"".join(cells)}</section>'


def _owner(drift: Drift) -> str:
    return drift.address or f"{drift.type} {drift.id} (not in any state)"


def _where(drift: Drift) -> str:
    return " · ".join(
        p for p in (drift.account, drift.region, drift.source if drift.source != "aws" else "") if p
    )


def _findings(report: Report, ids: Ids) -> str:
    if not report.findings and not report.complete:
        return "<h2>Findings</h2><p>No drift in what was read; what was not read is listed above.</p>"
    if not report.findings:
        return "<h2>Findings</h2><p>No drift: what AWS holds matches the state.</p>"
    by_owner: dict[str, list[Drift]] = defaultdict(list)
    for drift in report.findings:
        by_owner[_owner(drift)].append(drift)
    owners = sorted(by_owner.items(), key=lambda item: -max(d.severity.rank for d in item[1]))
    out = ["<h2>Findings</h2>"]
    for owner, found in owners:
        out.append(
            f'<section class="owner"><h3><code>{esc(owner)}</code> '
            f'<span class="muted">{esc(_where(found[0]))}</span></h3>'
        )
        for drift in sorted(found, key=lambda d: -d.severity.rank):
            out.append(_finding(drift, ids))
        out.append("</section>")
    for group in report.groups:
        if len(group.places) < 2:
            continue
        rows = "".join(
            f"<li><code>{esc(d.address or d.id)}</code> <span class='muted'>{esc(_where(d))}</span></li>"
            for d in group.findings
        )
        out.append(
            f'<section class="group"><h3>Same change in {len(group.places)} places: '
            f"{esc(group.finding_class)}</h3><ul>{rows}</ul></section>"
        )
    return "\n".join(out)


def _finding(drift: Drift, ids: Ids) -> str:
    severity = drift.severity.value
    parts = [
        f'<article class="finding {esc(severity)}" data-kind="{esc(drift.kind.value)}">',
        f"<div>{badge(severity)} <strong>{esc(KIND_WORD[drift.kind].upper())}</strong> "
        f"{esc(drift.title)}</div>",
    ]
    if drift.rule_ids:
        parts.append(f'<div class="muted">rules: {esc(", ".join(drift.rule_ids))}</div>')
    if drift.changes:
        rows = "".join(
            f'<tr><td><code>{esc(c.path)}</code></td><td class="expected">{esc(show(c.expected))}</td>'
            f'<td class="actual">{esc(show(c.actual))}</td></tr>'
            for c in drift.changes
        )
        parts.append(
            "<table><thead><tr><th>Attribute</th><th>Declared</th><th>In AWS</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    if drift.actor is not None and drift.actor.described:
        parts.append(f"<p><strong>Who:</strong> {esc(drift.actor.described)}</p>")
    if drift.impact:
        lines = "".join(f"<li>{esc(line)}</li>" for line in drift.impact)
        parts.append(f'<div class="impact"><strong>Impact:</strong><ul>{lines}</ul></div>')
    if drift.blast_radius is not None:
        parts.append(_blast(drift, drift.blast_radius, ids))
    if drift.rollback:
        parts.append("<div><strong>The way back:</strong>")
        for step in drift.rollback:
            parts.append(f'<div class="step"><div>{esc(step.description)}:</div>')
            for line in (step.cli, step.iac):
                if line:
                    parts.append(copy_block(line, ids))
            parts.append("</div>")
        parts.append("</div>")
    parts.append("</article>")
    return "".join(parts)


def _blast(drift: Drift, view: GraphView, ids: Ids) -> str:
    label = f"Blast radius of {drift.address or drift.id}"
    svg = graph_svg(view, ids, label, drifted=frozenset({view.subject}))
    return (
        f'<figure class="blast"><figcaption><strong>Blast radius</strong> '
        '<span class="legend">an arrow reads "uses"; the changed resource is outlined red, the broken '
        "dependency dashed red; dashed boxes are what traffic reaches through it, instances grouped by "
        f'availability zone</span></figcaption><div class="graph">{svg}</div></figure>'
    )


def _drifted_keys(report: Report, view: GraphView) -> frozenset[str]:
    known = {node.key for node in view.nodes}
    keys = set()
    for drift in report.findings:
        if drift.blast_radius is not None and drift.blast_radius.subject in known:
            keys.add(drift.blast_radius.subject)
        elif drift.address in known:
            keys.add(drift.address)
        elif f"{drift.type}.{drift.id}" in known:
            keys.add(f"{drift.type}.{drift.id}")
        else:  # an estate merged over accounts names its nodes account/key
            keys.update(k for k in known if k.endswith("/" + (drift.address or f"{drift.type}.{drift.id}")))
    return frozenset(keys)


def _estate(report: Report, ids: Ids) -> str:
    view = report.estate
    if view is None or not view.nodes:
        return ""
    drifted = _drifted_keys(report, view)
    managed = [n.key for n in view.nodes if n.address or n.key in drifted]
    note = ""
    if len(managed) > MAX_ESTATE_NODES:
        near = set(drifted)
        for edge in view.edges:
            if edge.source in drifted or edge.target in drifted:
                near.update((edge.source, edge.target))
        shown = [key for key in managed if key in near][:MAX_ESTATE_NODES]
        note = (
            f'<p class="muted">{len(managed)} managed resources: showing the {len(shown)} drifted ones and '
            "their neighbours (`guard graph --format json` has them all).</p>"
        )
        managed = shown
    svg = graph_svg(view, ids, "Managed resources and what they use", drifted=drifted, keys=managed)
    return (
        "<h2>Estate</h2>"
        f'<p class="legend">{len(managed)} resources; drifted ones outlined red; an arrow reads "uses".</p>'
        f'{note}<div class="graph">{svg}</div>'
    )


def _violations(report: Report) -> str:
    rows = "".join(
        f"<tr><td>{badge(v.severity.value)}</td><td><code>{esc(v.rule_id)}</code></td>"
        f"<td>{esc(v.message)}</td><td><code>{esc(v.address or v.id)}</code></td></tr>"
        for v in report.violations
    )
    return (
        f"<h2>Rule violations in live state ({len(report.violations)})</h2>"
        "<table><thead><tr><th>Severity</th><th>Rule</th><th>What</th><th>Resource</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _notes(report: Report) -> str:
    lines = []
    if report.unsupported_types:
        lines.append(
            "Not supported yet, so not checked: "
            + ", ".join(f"{name} ({n})" for name, n in report.unsupported_types.items())
        )
    if report.out_of_scope:
        lines.append(f"{report.out_of_scope} declared resources are in regions or accounts not scanned.")
    lines += list(report.notes)
    if not lines:
        return ""
    return f"<h2>Notes</h2>{items(lines)}"
