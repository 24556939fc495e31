"""Promise: `scan`, `watch` and `check-plan --live` only read AWS, and the shipped IAM
policies (docs/iam-policy*.json) grant exactly what the code calls.

One estate holds a live resource of every registered type (the production estate of
tests/test_estate.py plus the type cases it lacks), so every list, companion, per-parent,
detail and per-item call is made. guard's own alert history on DynamoDB is guard's store,
not scanned infrastructure: the watch cycle here uses SQLite, and DynamoDB history calls
are outside this promise (docs/reliability.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guard.alerting.watch import AlertSettings, alert_once
from guard.aws import Clients
from guard.demo import delete_https_rule
from guard.live import REGISTRY
from guard.pipeline.rollback import executable_calls, rollback
from guard.remedy.iam_policy import (
    ACTION_NAMES,
    CONDITIONAL,
    action,
    api_name,
    read_policy,
    render,
    rollback_policy,
    scan_operations,
)
from tests.cases.services import REGION
from tests.support.full_estate import build_full_estate

READ = re.compile(r"^(Describe|List|Get|Lookup|BatchGet)[A-Z]")
DOCS = Path(__file__).parent.parent / "docs"
PLAN = Path(__file__).parent / "plans" / "deleted-443.json"


@pytest.fixture
def operations(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every (service, operation) guard's clients send, recorded through botocore's events."""
    sent: list[tuple[str, str]] = []
    original = Clients.client

    def recording(self, service, region):  # type: ignore[no-untyped-def]
        client = original(self, service, region)
        if not getattr(client, "_recorded", False):
            client.meta.events.register(
                "before-call.*.*", lambda model, **_: sent.append((service, model.name))
            )
            client._recorded = True
        return client

    monkeypatch.setattr(Clients, "client", recording)
    return sent


def test_scan_watch_and_live_plan_check_only_read_and_the_policy_fits(
    aws, guard, operations, tmp_path, monkeypatch
):
    paths = build_full_estate(aws, tmp_path).paths
    state_args = [arg for path in paths for arg in ("--state", path)]

    scanned = guard("scan", *state_args, "--region", REGION, "--format", "json")
    assert scanned.code == 0, scanned.err
    report = scanned.json()
    assert report["complete"] is True
    # Every type's case side by side, every type read: nothing any case builds shows up as a
    # finding of another type (the per-case sweep reads only the case's own services).
    assert report["findings"] == [], [f["title"] for f in report["findings"]]
    scan_calls = set(operations)

    settings = AlertSettings.from_options(notify=None, history=str(tmp_path / "history.sqlite3"))
    cycle = alert_once([str(p) for p in paths], [REGION], Clients(), settings)
    assert cycle.report.complete
    checked = guard("check-plan", PLAN, "--live", "--format", "json")
    assert checked.code in (0, 2, 3), checked.err

    writes = sorted({f"{s}:{o}" for s, o in operations if not READ.match(o)} - {"sts:GetCallerIdentity"})
    assert writes == [], "scan, watch and check-plan --live must only read AWS"

    granted = {a for statement in read_policy()["Statement"] for a in _actions(statement)}
    called = {action(s, o) for s, o in operations}
    assert sorted(called - granted) == [], "the code calls an action docs/iam-policy.json lacks"

    conditional = {action(s, o) for extra in CONDITIONAL for s, o in extra.operations}
    scan_actions = {action(s, o) for s, o in scan_calls}
    unused = sorted(granted - scan_actions - conditional)
    assert unused == [], "the policy grants an action no scan of a full estate sends"


def _actions(statement: dict[str, object]) -> list[str]:
    value = statement["Action"]
    return [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]


def test_shipped_policies_are_the_generated_ones():
    """`python -m guard.remedy.iam_policy > docs/iam-policy.json` (and `--rollback`) after a change."""
    assert (DOCS / "iam-policy.json").read_text(encoding="utf-8") == render(read_policy())
    assert (DOCS / "iam-policy-rollback.json").read_text(encoding="utf-8") == render(rollback_policy())


def test_read_policy_has_no_write_and_rollback_adds_only_writes():
    reads = {a for s in read_policy()["Statement"] for a in _actions(s)}
    names = {a.split(":", 1)[1] for a in reads}
    renamed_reads = {new for (_, old), new in ACTION_NAMES.items() if READ.match(old)}
    assert sorted(n for n in names if not READ.match(n) and n not in renamed_reads) == []
    rollback = rollback_policy()["Statement"]
    assert rollback[: len(read_policy()["Statement"])] == read_policy()["Statement"]
    writes = {a.split(":", 1)[1] for a in _actions(rollback[-1])}
    assert writes and not any(READ.match(name) for name in writes)


def test_every_call_a_rollback_plan_makes_is_granted(aws, tmp_path):
    """Console edits across the estate (the type cases' own edits, a deleted 443 rule, key
    rotation off): every call of the rollback plan is in docs/iam-policy-rollback.json."""
    full = build_full_estate(aws, tmp_path)
    delete_https_rule(aws, full.lb_group_id, REGION)
    aws.client("kms", region_name=REGION).disable_key_rotation(KeyId=full.key_ids[1])
    for case, ctx in full.built:
        case.drift(aws, ctx)
    run = rollback([str(p) for p in full.paths], [REGION], Clients())
    calls = {
        (call.service, call.operation)
        for drift in run.before.findings
        for call in executable_calls(drift, delete_unmanaged=True)
    }
    assert len(calls) >= 5, calls
    granted = {a for statement in rollback_policy()["Statement"] for a in _actions(statement)}
    missing = sorted(f"{s}:{o}" for s, o in calls if action(s, api_name(s, o)) not in granted)
    assert missing == [], "a rollback call the rollback policy lacks"


def test_scan_operations_cover_every_declaration():
    declared = scan_operations()
    for declaration in REGISTRY.types.values():
        assert any(service == declaration.service for service, _ in declared), declaration.name
