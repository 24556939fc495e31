"""Slack Block Kit messages: what broke, where, what changed, and the way back.

Slack rejects a message with more than 50 blocks, a section text over 3,000
characters or a header over 150, so a large run becomes a summary message and
continuations posted in its thread, every one of them within the limits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from guard.live import REGISTRY
from guard.live.types import Registry
from guard.model import Actor, Drift, DriftKind, NotChecked, Resource, Severity

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_TEXT = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK_TEXT = 3000  # Slack allows 40,000; a notification preview needs far less
SUMMARY_LINES = 20

_EMOJI = {
    Severity.CRITICAL: ":red_circle:",
    Severity.HIGH: ":large_orange_circle:",
    Severity.MEDIUM: ":large_yellow_circle:",
    Severity.LOW: ":large_blue_circle:",
    Severity.INFO: ":white_circle:",
}
_KIND = {DriftKind.CHANGED: "changed", DriftKind.MISSING: "deleted", DriftKind.UNMANAGED: "added"}

Block = dict[str, Any]
# Slack user ids by lower-cased e-mail address, looked up by the notifier (guard.alerting.slack).
Mentions = Mapping[str, str]


@dataclass(frozen=True)
class SlackMessage:
    """One chat.postMessage (or webhook) body: fallback text and blocks."""

    text: str
    blocks: tuple[Block, ...]

    def payload(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": [dict(block) for block in self.blocks]}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> SlackMessage:
        return cls(text=str(payload.get("text", "")), blocks=tuple(payload.get("blocks", ())))


@dataclass(frozen=True)
class Alert:
    """A finding to post, with its fingerprint (shown so people can find it in history)."""

    drift: Drift
    fingerprint: str
    # What the Roll back button may run (guard.remedy.offer.rollback_kind): "" none (the
    # button is not shown), "direct", or "disruptive" (two approvers).
    rollback: str = ""


# -- text helpers ---------------------------------------------------------------------


def escape(text: str) -> str:
    """Slack mrkdwn control characters: &, <, > (the rest is left as typed)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code(text: str) -> str:
    """Inline code; a backtick cannot be escaped inside one."""
    return "`" + escape(text).replace("`", "'") + "`"


def truncate(text: str, limit: int, marker: str = "…") -> str:
    return text if len(text) <= limit else text[: limit - len(marker)] + marker


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_TEXT)}}


def header(text: str) -> Block:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": truncate(text, MAX_HEADER_TEXT), "emoji": True},
    }


def context(*texts: str) -> Block:
    return {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": truncate(text, MAX_CONTEXT_TEXT)}
            for text in texts[:MAX_CONTEXT_ELEMENTS]
        ],
    }


DIVIDER: Block = {"type": "divider"}


def code_block(title: str, lines: Sequence[str]) -> Block:
    """A titled code block cut to fit one section; a cut says so."""
    fence = "```"
    room = MAX_SECTION_TEXT - len(title) - 2 * len(fence) - 1
    body = escape("\n".join(lines))
    if len(body) > room:
        body = truncate(body, room, "\n… (cut to fit Slack; `guard scan` prints it whole)")
    return {"type": "section", "text": {"type": "mrkdwn", "text": f"{title}\n{fence}{body}{fence}"}}


# -- what a finding is called ---------------------------------------------------------


def _name_tag(attrs: dict[str, Any]) -> str | None:
    for key in ("tags", "tags_all"):
        tags = attrs.get(key)
        if isinstance(tags, dict) and tags.get("Name"):
            return str(tags["Name"])
    for key in ("name", "group_name", "identifier", "bucket"):
        if attrs.get(key):
            return str(attrs[key])
    return None


def headline(drift: Drift, registry: Registry = REGISTRY) -> str:
    """What broke in one line: "prod-alb lost ingress tcp/443 from 0.0.0.0/0"."""
    subject = drift.expected or drift.actual
    described = None
    is_part = False
    if subject is not None:
        try:
            declaration = registry.get(subject.type)
        except KeyError:
            declaration = None
        if declaration is not None:
            is_part = declaration.parent is not None
            if declaration.describe is not None:
                described = declaration.describe(subject)
    named = _name_tag(subject.attrs) if subject is not None and not is_part else None
    owner = named or drift.address or f"{drift.type} {drift.id}"
    if drift.kind is DriftKind.MISSING:
        return f"{owner} lost {described}" if is_part and described else f"{owner} was deleted"
    if drift.kind is DriftKind.UNMANAGED:
        if is_part and described and drift.address:
            return f"{owner} gained {described}"
        return f"{named or drift.type + ' ' + drift.id} exists in AWS but in no state"
    if is_part and described:
        return f"{owner}: {described} was changed"
    if len(drift.changes) == 1:
        change = drift.changes[0]
        return f"{owner}: {change.path} changed to {_value(change.actual)}"
    return f"{owner}: {len(drift.changes)} attributes changed"


def _value(value: Any) -> str:
    return "nothing" if value is None else str(value)


def _where(drift: Drift) -> str:
    parts = []
    if drift.address:
        parts.append(code(drift.address))
    parts.append(f"account {code(drift.account or '?')}")
    parts.append(code(drift.region or "global"))
    return " · ".join(parts)


def _in_words(resource: Resource, registry: Registry = REGISTRY) -> str:
    try:
        declaration = registry.get(resource.type)
    except KeyError:
        declaration = None
    described = declaration.describe(resource) if declaration and declaration.describe else None
    text = described or f"{resource.type} {resource.id}".strip()
    note = resource.attrs.get("description")
    return f"{text} ({note})" if described and isinstance(note, str) and note else text


def actor_emails(alerts: Sequence[Alert]) -> set[str]:
    """The e-mail addresses of the people behind these alerts: what the notifier looks up in Slack."""
    return {a.drift.actor.email.lower() for a in alerts if a.drift.actor is not None and a.drift.actor.email}


def who_line(actor: Actor, mentions: Mentions | None = None) -> str:
    """`*Who:* alice@example.com (<@U0ALICE>) via SSO permission set …`; root is flagged loudly."""
    text = escape(actor.described or actor.who)
    user = mentions.get(actor.email.lower()) if mentions and actor.email else None
    if user:
        name = escape(actor.email or "")
        mention = f"<@{user}>"
        text = text.replace(name, f"{name} ({mention})", 1) if name in text else f"{text} · {mention}"
    flag = ":rotating_light: " if actor.identity_type == "Root" else ""
    return f"*Who:* {flag}{text}"


def _what_changed(drift: Drift, mentions: Mentions | None = None) -> str:
    lines = ["*What changed*", escape(drift.title)]
    for change in drift.changes:
        lines.append(
            f"• {code(change.path)}: expected {code(_value(change.expected))}"
            f" → actual {code(_value(change.actual))}"
        )
    if not drift.changes and drift.kind is not DriftKind.CHANGED:
        declared = _in_words(drift.expected) if drift.expected else "not declared"
        live = _in_words(drift.actual) if drift.actual else "not in AWS"
        lines.append(f"• expected {code(declared)} → actual {code(live)}")
    if drift.actor is not None:  # filled by attribution when it runs
        lines.append(who_line(drift.actor, mentions))
    return "\n".join(lines)


ACTIONS_NOTE = (
    "Buttons (acknowledge, snooze, accept, roll back) need a bot token and `guard serve`: "
    "see docs/slack-app.md"
)


# The buttons' action ids (guard/alerting/actions.py answers them).
ACK, SNOOZE_4H, SNOOZE_1D, ACCEPT, ROLLBACK = (
    "guard_acknowledge",
    "guard_snooze_4h",
    "guard_snooze_1d",
    "guard_accept",
    "guard_rollback",
)


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def action_buttons(alert: Alert) -> Block:
    """Acknowledge, Snooze 4 h / 1 day, Accept as intended, and Roll back when guard may run it."""
    fp = alert.fingerprint
    elements = [
        button("Acknowledge", ACK, fp),
        button("Snooze 4 h", SNOOZE_4H, fp),
        button("Snooze 1 day", SNOOZE_1D, fp),
        button("Accept as intended", ACCEPT, fp),
    ]
    kind = alert.rollback
    if kind:
        label = "Roll back (2 approvers)" if kind == "disruptive" else "Roll back"
        elements.append(button(label, ROLLBACK, fp, style="danger"))
    return {"type": "actions", "block_id": f"guard:{fp}", "elements": elements}


def finding_blocks(alert: Alert, mentions: Mentions | None = None, buttons: bool = False) -> list[Block]:
    drift = alert.drift
    blocks = [
        section(
            f"{_EMOJI[drift.severity]} *{drift.severity.value.upper()}* · {_KIND[drift.kind]} · "
            f"*{escape(headline(drift))}*\n{_where(drift)}"
        ),
        section(_what_changed(drift, mentions)),
    ]
    steps = [line for step in drift.rollback for line in _step_lines(step.description, step.cli, step.iac)]
    if steps:
        blocks.append(code_block("*Rollback plan*", steps))
    source = f"state {code(drift.source)}" if drift.source and drift.source != "aws" else "live only"
    blocks.append(context(f"fingerprint {code(alert.fingerprint)} · {source} · `guard history`"))
    if buttons:
        blocks.append(action_buttons(alert))
    return blocks


def _step_lines(description: str, cli: str | None, iac: str | None) -> list[str]:
    lines = [f"# {description}"]
    lines += [text for line in (cli, iac) if line for text in line.splitlines()]
    return lines


# -- messages -------------------------------------------------------------------------


def _sorted(alerts: Sequence[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda a: (-a.drift.severity.rank, a.drift.address, a.drift.title))


def _scope(alerts: Sequence[Alert]) -> str:
    accounts = sorted({a.drift.account or "?" for a in alerts})
    regions = sorted({a.drift.region or "global" for a in alerts})
    return f"{', '.join(accounts)} · {', '.join(regions)}"


def alert_messages(
    alerts: Sequence[Alert],
    mentions: Mentions | None = None,
    buttons: bool = False,
    actions_note: bool = False,
) -> list[SlackMessage]:
    """New findings as one message; a large run as a summary and its threaded continuations.

    `buttons` (bot token) puts the action buttons under each finding; `actions_note` (a
    webhook, which cannot take a button's answer) says how to get them instead.

    `mentions` (lower-cased e-mail -> Slack user id, from `SlackNotifier.mentions`) puts `<@U…>`
    beside each person the notifier found in Slack; without it, names stay plain text.
    """
    if not alerts:
        return []
    ordered = _sorted(alerts)
    count = len(ordered)
    if count == 1:
        title = headline(ordered[0].drift)
        first_head = [header(title)]
    else:
        title = f"{count} out-of-band edits in {_scope(ordered)}"
        first_head = [header(title), section(_summary(ordered))]
    if actions_note:
        first_head.append(context(ACTIONS_NOTE))
    groups = [finding_blocks(alert, mentions, buttons) for alert in ordered]
    pages: list[list[list[Block]]] = [[]]
    room = MAX_BLOCKS - len(first_head)
    for group in groups:
        needed = len(group) + (1 if pages[-1] else 0)
        if pages[-1] and needed > room:
            pages.append([])
            room = MAX_BLOCKS - 1  # a continuation's context line
            needed = len(group)
        pages[-1].append(group)
        room -= needed
    messages = []
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        blocks: list[Block] = list(first_head) if number == 1 else [context(_continued(number, total))]
        for index, group in enumerate(page):
            if index:
                blocks.append(DIVIDER)
            blocks.extend(group)
        if number == 1 and total > 1:
            blocks = _with_thread_note(blocks, total)
        text = title if number == 1 else f"{title} ({number}/{total})"
        messages.append(SlackMessage(truncate(text, MAX_FALLBACK_TEXT), tuple(blocks)))
    return messages


def _continued(number: int, total: int) -> str:
    return f"continued, part {number} of {total}"


def _with_thread_note(blocks: list[Block], total: int) -> list[Block]:
    note = context(f"part 1 of {total}: the rest follows in the thread")
    if len(blocks) < MAX_BLOCKS:
        return [*blocks, note]
    return blocks


def _summary(alerts: Sequence[Alert]) -> str:
    severities = Counter(a.drift.severity for a in alerts)
    kinds = Counter(a.drift.kind for a in alerts)
    counts = " · ".join(f"{severities[s]} {s.value}" for s in reversed(list(Severity)) if severities[s])
    by_kind = ", ".join(f"{kinds[k]} {_KIND[k]}" for k in DriftKind if kinds[k])
    lines = [f"*{counts}* ({by_kind})"]
    for alert in alerts[:SUMMARY_LINES]:
        lines.append(f"{_EMOJI[alert.drift.severity]} {escape(headline(alert.drift))}")
    if len(alerts) > SUMMARY_LINES:
        lines.append(f"… and {len(alerts) - SUMMARY_LINES} more below")
    return "\n".join(lines)


@dataclass(frozen=True)
class Notice:
    """A reminder or a resolution: one line about a finding already posted."""

    headline: str
    fingerprint: str
    detail: str  # "open for 1d 2h", "resolved after 3h 10m"


def notice_messages(title: str, notices: Sequence[Notice], emoji: str) -> list[SlackMessage]:
    """Reminders or resolutions as bulleted sections, split to stay within every limit."""
    if not notices:
        return []
    lines = [f"{emoji} {escape(n.headline)} · {escape(n.detail)} · {code(n.fingerprint)}" for n in notices]
    return _line_messages(title, lines)


def limit_violations(message: SlackMessage | dict[str, Any]) -> list[str]:
    """Every way a message breaks Slack's documented limits; empty when Slack accepts it."""
    payload = message.payload() if isinstance(message, SlackMessage) else message
    problems = []
    blocks = payload.get("blocks") or []
    if len(blocks) > MAX_BLOCKS:
        problems.append(f"{len(blocks)} blocks (max {MAX_BLOCKS})")
    if len(payload.get("text") or "") > 40000:
        problems.append("text over 40,000 characters")
    for index, block in enumerate(blocks):
        kind = block.get("type")
        if kind == "header" and len(block["text"]["text"]) > MAX_HEADER_TEXT:
            problems.append(f"block {index}: header over {MAX_HEADER_TEXT} characters")
        if kind == "section":
            text = block.get("text", {}).get("text", "")
            if not text or len(text) > MAX_SECTION_TEXT:
                problems.append(f"block {index}: section text of {len(text)} characters")
            if len(block.get("fields", [])) > 10:
                problems.append(f"block {index}: more than 10 fields")
        if kind == "context":
            elements = block.get("elements", [])
            if not elements or len(elements) > MAX_CONTEXT_ELEMENTS:
                problems.append(f"block {index}: {len(elements)} context elements")
    return problems


def incomplete_messages(account: str, not_checked: Sequence[NotChecked]) -> list[SlackMessage]:
    """A scan that could not read everything says so, naming each type and region and why:
    silence in the channel must never read as "clean"."""
    if not not_checked:
        return []
    count = len(not_checked)
    title = (
        f"Scan incomplete: {count} type/region{'s' if count != 1 else ''} not checked in {account or 'AWS'}"
    )
    lines = [
        f":warning: {code(item.type)} in {escape(item.region or 'global')}: {escape(item.reason)}"
        for item in not_checked
    ]
    return _line_messages(title, lines)


def _line_messages(title: str, lines: Sequence[str]) -> list[SlackMessage]:
    """Lines as sections under a header, split to stay within every Block Kit limit."""
    sections: list[str] = []
    current = ""
    for line in lines:
        line = truncate(line, MAX_SECTION_TEXT)
        if current and len(current) + 1 + len(line) > MAX_SECTION_TEXT:
            sections.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    sections.append(current)
    per_message = MAX_BLOCKS - 1
    messages = []
    for start in range(0, len(sections), per_message):
        chunk = sections[start : start + per_message]
        heading = header(title) if start == 0 else context(f"{escape(title)} (continued)")
        messages.append(
            SlackMessage(truncate(title, MAX_FALLBACK_TEXT), (heading, *(section(text) for text in chunk)))
        )
    return messages
