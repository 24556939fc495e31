"""`guard rollback`: show the way back for each finding, and with --apply, take it.

Dry run by default. With --apply, each finding's direct AWS calls run through boto3,
one finding at a time, after a fresh read of just that resource: a finding someone
else has already fixed is skipped (stale), one that changed again since the scan is
skipped too, and the first call AWS refuses stops the run. A re-scan at the end (the
same pass as `guard scan`, over the same states) says which findings are closed and
which remain. Resources in no state are deleted only
with --delete-unmanaged, and only those named with --only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from botocore.exceptions import BotoCoreError, ClientError

from guard.aws import Clients, short_error
from guard.errors import InputError
from guard.live import REGISTRY
from guard.live.collector import read_live
from guard.live.types import Registry
from guard.model import AwsCall, Drift, DriftKind, Report, Resource
from guard.pipeline.run import read_states
from guard.pipeline.scan import scan
from guard.reconcile.match import attribute_changes, compared_live
from guard.remedy.plan import aws_cli, with_declarations

log = logging.getLogger(__name__)

EXIT_CLEAN, EXIT_ERROR, EXIT_OPEN, EXIT_INCOMPLETE, EXIT_STEP_FAILED = 0, 1, 2, 3, 4


class RollbackStatus(str, Enum):
    """What happened to one finding's rollback (or would, in a dry run)."""

    DONE = "done"  # every call ran
    STALE = "stale"  # already back as declared when re-read: skipped, not failed
    CHANGED = "changed"  # differs from what the scan saw: skipped, re-run to get a new plan
    IAC_ONLY = "iac-only"  # no safe direct call: the IaC command is the way back
    NEEDS_FLAG = "needs-flag"  # only a delete would do, and --delete-unmanaged was not given
    FAILED = "failed"  # AWS refused a call: the run stopped here
    NOT_RUN = "not-run"  # after a failure, or in a dry run
    PLANNED = "planned"  # dry run: would run


@dataclass(frozen=True)
class FindingRun:
    drift: Drift
    outcome: RollbackStatus
    calls: tuple[AwsCall, ...] = ()  # the direct calls planned for this finding
    done: int = 0  # how many of them ran
    detail: str = ""


@dataclass(frozen=True)
class RollbackRun:
    before: Report
    selected: tuple[Drift, ...]
    runs: tuple[FindingRun, ...]
    applied: bool
    after: Report | None = None
    closed: tuple[Drift, ...] = ()
    remaining: tuple[Drift, ...] = ()
    new: tuple[Drift, ...] = ()

    @property
    def failed(self) -> bool:
        return any(run.outcome is RollbackStatus.FAILED for run in self.runs)

    @property
    def exit_code(self) -> int:
        """4 a step failed, 3 not everything could be read, 2 findings remain, 0 all closed."""
        if self.failed:
            return EXIT_STEP_FAILED
        report = self.after if self.applied and self.after is not None else self.before
        if not report.complete:
            return EXIT_INCOMPLETE
        if self.applied:
            return EXIT_OPEN if self.remaining or self.new else EXIT_CLEAN
        return EXIT_OPEN if self.selected else EXIT_CLEAN


def finding_key(drift: Drift) -> tuple[str, str, str, str, str]:
    """The same finding in two scans; a changed resource's title carries its values, so not that."""
    title = "" if drift.kind is DriftKind.CHANGED else drift.title
    return (drift.kind.value, drift.type, drift.id, drift.address, title)


def select(findings: Sequence[Drift], only: Sequence[str]) -> tuple[Drift, ...]:
    """Findings named by address or id (an inline rule is named by its group's address)."""
    if not only:
        return tuple(findings)
    chosen = []
    for drift in findings:
        names = {drift.address, drift.id}
        names |= {r.id for r in (drift.expected, drift.actual) if r is not None and r.id}
        if names & set(only):
            chosen.append(drift)
    unmatched = [name for name in only if not any(_names(d, name) for d in chosen)]
    if unmatched:
        known = sorted({d.address or d.id for d in findings})
        raise InputError(
            "--only " + ", ".join(unmatched),
            "matches no finding" + (f" (findings: {', '.join(known)})" if known else " (there are none)"),
            "name a finding's address or AWS id as the scan shows it",
        )
    return tuple(chosen)


def _picked(
    findings: Sequence[Drift], only: Sequence[str], pick: Callable[[Drift], bool]
) -> tuple[Drift, ...]:
    named = [d for d in findings if any(_names(d, name) for name in only)] if only else list(findings)
    return tuple(d for d in named if pick(d))


def _names(drift: Drift, name: str) -> bool:
    ids = {r.id for r in (drift.expected, drift.actual) if r is not None}
    return name in {drift.address, drift.id} | ids


def executable_calls(drift: Drift, delete_unmanaged: bool) -> tuple[AwsCall, ...]:
    kinds = {"aws", "delete"} if delete_unmanaged else {"aws"}
    return tuple(step.call for step in drift.rollback if step.kind in kinds and step.call is not None)


def plan_runs(selected: Sequence[Drift], delete_unmanaged: bool) -> tuple[FindingRun, ...]:
    runs = []
    for drift in selected:
        calls = executable_calls(drift, delete_unmanaged)
        if calls:
            runs.append(FindingRun(drift, RollbackStatus.PLANNED, calls))
        elif any(step.kind == "delete" for step in drift.rollback):
            runs.append(
                FindingRun(drift, RollbackStatus.NEEDS_FLAG, detail="delete only with --delete-unmanaged")
            )
        else:
            runs.append(FindingRun(drift, RollbackStatus.IAC_ONLY, detail="no safe direct AWS call"))
    return tuple(runs)


def freshness(drift: Drift, live: Sequence[Resource], registry: Registry) -> RollbackStatus | None:
    """None while the finding is open exactly as scanned; else why its calls must not run."""
    subject = drift.expected or drift.actual
    assert subject is not None
    declaration = registry.get(subject.type)
    if drift.kind is DriftKind.CHANGED and drift.expected is not None and drift.actual is not None:
        have = next((r for r in live if r.id == drift.actual.id), None)
        if have is None:
            return RollbackStatus.CHANGED  # deleted since the scan: restoring it in place cannot work
        have = compared_live(declaration, drift.expected, have)
        changes = attribute_changes(drift.expected, have, declaration.compared)
        if not changes:
            return RollbackStatus.STALE
        return None if changes == drift.changes else RollbackStatus.CHANGED
    if drift.kind is DriftKind.MISSING and drift.expected is not None:
        key = declaration.match_key(drift.expected)
        back = next((r for r in live if declaration.match_key(r) == key), None)
        if back is None:
            return None
        back = compared_live(declaration, drift.expected, back)
        same = not attribute_changes(drift.expected, back, declaration.compared)
        return RollbackStatus.STALE if same else RollbackStatus.CHANGED
    if drift.kind is DriftKind.UNMANAGED and drift.actual is not None:
        still_there = any(r.id == drift.actual.id for r in live)
        return None if still_there else RollbackStatus.STALE
    return RollbackStatus.CHANGED


def reread(drift: Drift, clients: Clients, registry: Registry, account: str, region: str) -> list[Resource]:
    """The resource as AWS holds it now: one narrowed list call, not a scan."""
    subject = drift.actual if drift.kind is not DriftKind.MISSING else drift.expected
    assert subject is not None
    return read_live(clients, registry.get(subject.type), subject, account, region)


def run_calls(
    runs: Sequence[FindingRun],
    clients: Clients,
    registry: Registry,
    account: str,
    default_region: str,
) -> tuple[FindingRun, ...]:
    """Run each planned finding's calls in order; the first refusal stops everything after it."""
    out: list[FindingRun] = []
    stopped = False
    for run in runs:
        if run.outcome is not RollbackStatus.PLANNED:
            out.append(run)
            continue
        if stopped:
            out.append(replace(run, outcome=RollbackStatus.NOT_RUN, detail="stopped after a failed step"))
            continue
        region = run.drift.region or default_region
        try:
            state = freshness(run.drift, reread(run.drift, clients, registry, account, region), registry)
        except (ClientError, BotoCoreError) as exc:
            out.append(
                replace(run, outcome=RollbackStatus.FAILED, detail=f"cannot re-read it: {short_error(exc)}")
            )
            stopped = True
            continue
        if state is not None:
            detail = (
                "already as declared: someone fixed it since the scan"
                if state is RollbackStatus.STALE
                else "changed again since the scan: re-run guard rollback for a fresh plan"
            )
            out.append(replace(run, outcome=state, detail=detail))
            continue
        failure = _run_in_order(run.calls, clients, region)
        if failure is None:
            out.append(replace(run, outcome=RollbackStatus.DONE, done=len(run.calls)))
        else:
            done, detail = failure
            out.append(replace(run, outcome=RollbackStatus.FAILED, done=done, detail=detail))
            stopped = True
    return tuple(out)


# What AWS answers while the resource is still applying the previous call: a Kinesis stream
# UPDATING after its retention or shard count changed, an EKS node group being updated. The
# call is sent again after each of these waits, about 10 minutes in all (what a shard-count
# change of a large stream can take); a create is never retried, as the same codes there
# mean the name is taken.
BUSY_CODES = frozenset({"ResourceInUseException", "ConcurrentModificationException"})
BUSY_WAITS: tuple[float, ...] = (5, 10, 20, 30, 30, 30, 30, 30, 30, 60, 60, 60, 60, 60, 60, 60)


def _busy(call: AwsCall, exc: BaseException) -> bool:
    if not isinstance(exc, ClientError) or call.operation.startswith("create_"):
        return False
    return exc.response.get("Error", {}).get("Code") in BUSY_CODES


def _run_in_order(calls: Sequence[AwsCall], clients: Clients, region: str) -> tuple[int, str] | None:
    """None when every call ran; else how many ran and what AWS said about the next."""
    for done, call in enumerate(calls):
        client = clients.client(call.service, call.region or region)
        log.info("running %s", aws_cli(call))
        waits = iter(BUSY_WAITS)
        while True:
            try:
                getattr(client, call.operation)(**call.params)
                break
            except (ClientError, BotoCoreError) as exc:
                wait = next(waits, None) if _busy(call, exc) else None
                if wait is None:
                    return done, f"{aws_cli(call)}: {short_error(exc)}"
                log.info("%s: still applying the previous change; again in %.0f s", short_error(exc), wait)
                time.sleep(wait)
    return None


def rollback(
    states: Sequence[str],
    regions: Sequence[str],
    clients: Clients,
    only: Sequence[str] = (),
    apply: bool = False,
    delete_unmanaged: bool = False,
    confirm: Callable[[tuple[FindingRun, ...]], bool] = lambda runs: True,
    tf_dir: str | None = None,
    registry: Registry = REGISTRY,
    pick: Callable[[Drift], bool] | None = None,
    services: Sequence[str] = (),
) -> RollbackRun:
    """Scan, select, and (with apply) run the direct reversals, then re-scan to prove them.

    `pick` narrows what `only` selected to one finding (guard serve: the finding whose button
    was pressed, by fingerprint); nothing picked is no finding, not an error.
    """
    if delete_unmanaged and not only:
        raise InputError(
            "--delete-unmanaged",
            "deletes only resources named with --only, and none was named",
            "add --only ID for each resource to delete",
        )
    loaded = read_states(states, clients.session, registry)  # once: rollback changes AWS, not state

    def scan_now(scan_regions: Sequence[str]) -> Report:
        return scan(
            loaded.resources,
            scan_regions,
            clients,
            registry,
            sources=loaded.read,
            unreadable=loaded.unreadable,
            services=services,
        )

    before = scan_now(regions)
    if tf_dir:
        before = replace(before, findings=with_declarations(before.findings, tf_dir))
    selected = select(before.findings, only) if pick is None else _picked(before.findings, only, pick)
    runs = plan_runs(selected, delete_unmanaged)
    if not apply:
        return RollbackRun(before, selected, runs, applied=False)
    if not any(run.outcome is RollbackStatus.PLANNED for run in runs):
        # Nothing guard may run: the findings stay open, and the plan says how to close them.
        return RollbackRun(before, selected, runs, applied=True, after=before, remaining=selected)
    if not confirm(runs):
        return RollbackRun(before, selected, runs, applied=False)
    runs = run_calls(runs, clients, registry, before.account or "", before.regions[0])
    after = scan_now(before.regions)
    after_keys = {finding_key(d) for d in after.findings}
    before_keys = {finding_key(d) for d in before.findings}
    return RollbackRun(
        before,
        selected,
        runs,
        applied=True,
        after=after,
        closed=tuple(d for d in selected if finding_key(d) not in after_keys),
        remaining=tuple(d for d in selected if finding_key(d) in after_keys),
        new=tuple(d for d in after.findings if finding_key(d) not in before_keys),
    )
