"""What the buttons on an alert do, independent of Slack's transport (guard/alerting/server.py).

Every decision is a row in history (`Decision`): the Slack user id and name, the time, the
finding's fingerprint. Acknowledge and snooze are for anyone in the channel; accept and roll
back only for the approvers named in guard.toml (`[slack.approvers]`); a disruptive rollback
needs two different approvers; a delete is never offered from Slack.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from guard.alerting.history.store import OPEN, Decision, FindingRecord, HistoryStore, iso, new_seq
from guard.config import Approvers
from guard.model import Drift, DriftKind
from guard.render.slack import SNOOZE_1D, SNOOZE_4H

SNOOZES = {SNOOZE_4H: timedelta(hours=4), SNOOZE_1D: timedelta(days=1)}
ACCEPT_VIEW = "guard_accept_view"
ACCEPT_DAYS = (7, 30, 90)
# A disruptive rollback's two approvals must be this close: an old approval does not count.
APPROVAL_WINDOW = timedelta(hours=1)
APPROVAL_WINDOW_TEXT = "an hour"


def _hcl(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def permanent_change(drift: Drift) -> str:
    """The Terraform change that makes the out-of-band edit the declared one.

    A changed attribute: the HCL diff of its resource block; a resource in no state: its
    import block; a deleted resource or rule: remove it from the code. Values are the ones the
    alert shows (sensitive ones are already masked).
    """
    subject = drift.expected or drift.actual
    name = drift.address or (f"{subject.type}.{subject.id}" if subject else drift.id)
    if drift.kind is DriftKind.UNMANAGED:
        blocks = [step.iac for step in drift.rollback if step.kind == "import" and step.iac]
        if blocks:
            return blocks[0].rstrip("\n")
        return f"# adopt {name}: terraform import {drift.type} {drift.id}"
    if drift.kind is DriftKind.MISSING:
        return (
            f"# {drift.title}\n# accept the deletion: remove it from the code that declares {name},\n"
            f"# then `terraform plan` shows no change"
        )
    parts = name.split(".")
    type_name, label = (parts[-2], parts[-1]) if len(parts) >= 2 else (drift.type, drift.id)
    lines = [f'  resource "{type_name}" "{label}" {{']
    for change in drift.changes:
        key = change.path  # a nested path (tags.Name) names the argument inside its block
        lines.append(f"-   {key} = {_hcl(change.expected)}")
        lines.append(f"+   {key} = {_hcl(change.actual)}")
    lines.append("  }")
    return "\n".join(lines)


def may_approve(
    approvers: Approvers, account: str, user_id: str, group_members: Mapping[str, Iterable[str]]
) -> bool:
    """Named directly, or a member of a named user group (members as usergroups.users.list gives them)."""
    chosen = approvers.for_account(account)
    if user_id in chosen.users:
        return True
    return any(user_id in set(group_members.get(group, ())) for group in chosen.usergroups)


@dataclass(frozen=True)
class Refusal:
    """Why a button did nothing: said in the thread, and written to history."""

    text: str


def still_open(store: HistoryStore, fingerprint: str) -> FindingRecord | Refusal:
    """The finding a button names, or why the button is out of date.

    A finding that changed again since the alert has a new fingerprint (the paths that
    drifted are part of it), and the old one was resolved by the scan that saw the change.
    """
    record = store.get(fingerprint)
    if record is None:
        return Refusal(f"finding `{fingerprint}` is not in history: nothing done")
    if record.status != OPEN:
        return Refusal(
            f"finding `{fingerprint}` was resolved at {record.resolved_at} (fixed, or changed since "
            "the alert): nothing done; a new alert follows if it is still out of line"
        )
    return record


def decision(
    fingerprint: str,
    action: str,
    user_id: str,
    user_name: str,
    now: datetime,
    until: str | None = None,
    reason: str | None = None,
    detail: str | None = None,
) -> Decision:
    _, identifier = new_seq()
    return Decision(identifier, fingerprint, action, user_id, user_name, iso(now), until, reason, detail)


def approvals(store: HistoryStore, fingerprint: str, since: str | None) -> list[Decision]:
    """Rollback approvals for this finding still waiting to run (after the last rollback)."""
    waiting: list[Decision] = []
    for row in store.decisions(fingerprint):
        if row.action == "rollback":
            waiting = []
        elif row.action == "approve" and (since is None or row.at >= since):
            waiting.append(row)
    return waiting
