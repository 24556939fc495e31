"""History stores: SQLite and DynamoDB (on moto) behave the same; two runs never both post."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from guard.alerting.cycle import record, run_cycle
from guard.alerting.history import (
    FindingRecord,
    HistoryBusy,
    OutboxMessage,
    SqliteHistory,
    iso,
    new_seq,
    open_history,
    utcnow,
)
from guard.alerting.slack import SlackTarget, WebhookNotifier
from guard.aws import Clients
from guard.demo import build_web_estate, delete_https_rule
from guard.pipeline.run import scan_states
from tests.slackapi import SlackApi
from tests.support.services import dynamodb_table_attributes

REGION = "us-east-1"
TABLE = "guard-history"


def create_table(session, state=None):
    """guard's history table, as docs/slack.md has it created. With `state`, it is declared
    there (Terraform manages it): guard reads every DynamoDB table, and a table in no state
    is unmanaged, guard's own included."""
    session.client("dynamodb", region_name=REGION).create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    if state is not None:
        declare_table(session, state)


def declare_table(session, state):
    """Declare the history table in `state`, tagged as the provider's default_tags would."""
    dynamodb = session.client("dynamodb", region_name=REGION)
    table = dynamodb.describe_table(TableName=TABLE)["Table"]
    tags = [{"Key": k, "Value": v} for k, v in state.default_tags.items()]
    if tags:
        dynamodb.tag_resource(ResourceArn=table["TableArn"], Tags=tags)
    state.add("aws_dynamodb_table", "guard_history", dynamodb_table_attributes(table, False))


@pytest.fixture(params=["sqlite", "dynamodb"])
def location(request, aws, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "history.sqlite3")
    create_table(aws)
    return f"dynamodb://{TABLE}"


def finding(fp: str = "f" * 16, at: str = "2024-05-01T10:00:00+00:00") -> FindingRecord:
    return FindingRecord(
        fingerprint=fp,
        scope="s",
        account="123456789012",
        region=REGION,
        type="aws_security_group",
        id="sg-1",
        address="aws_security_group.lb",
        kind="missing",
        severity="high",
        title="t",
        headline="lb lost ingress tcp/443",
        first_seen=at,
        last_seen=at,
    )


def test_a_finding_is_claimed_once_resolved_once_and_can_reopen(location):
    first, second = open_history(location), open_history(location)
    assert first.claim(finding()) is True
    assert second.claim(finding()) is False
    assert second.resolve("f" * 16, "2024-05-01T12:00:00+00:00") is True
    assert first.resolve("f" * 16, "2024-05-01T12:00:00+00:00") is False
    resolved = first.get("f" * 16)
    assert resolved is not None and resolved.status == "resolved"
    assert resolved.open_for() == timedelta(hours=2)
    assert first.claim(finding(at="2024-05-02T00:00:00+00:00")) is True  # it came back
    assert second.get("f" * 16).status == "open"


def test_a_reminder_is_claimed_by_one_runner(location):
    first, second = open_history(location), open_history(location)
    first.claim(finding())
    assert first.claim_reminder("f" * 16, None, "2024-05-02T10:00:00+00:00") is True
    assert second.claim_reminder("f" * 16, None, "2024-05-02T10:00:05+00:00") is False
    assert second.claim_reminder("f" * 16, "2024-05-02T10:00:00+00:00", "2024-05-03T10:00:00+00:00") is True


def test_slack_decisions_and_seen_requests_are_kept_alike(location):
    from guard.alerting.actions import decision

    store = open_history(location)
    assert store.claim(finding())
    start = utcnow()
    store.record_decision(decision("f" * 16, "approve", "U0ALICE", "Alice", start))
    store.record_decision(decision("e" * 16, "acknowledge", "U0BOB", "Bob", start))
    later = start + timedelta(minutes=1)
    store.record_decision(
        decision("f" * 16, "rollback", "U0BOB", "Bob", later, detail="done; re-scan: clean")
    )
    again = open_history(location)
    assert [(d.action, d.user_id) for d in again.decisions("f" * 16)] == [
        ("approve", "U0ALICE"),
        ("rollback", "U0BOB"),
    ]
    assert len(again.decisions()) == 3 and again.decisions("f" * 16)[1].detail == "done; re-scan: clean"
    store.decide("f" * 16, {"acknowledged_by": "Bob (U0BOB)", "acknowledged_at": iso(later)})
    assert again.get("f" * 16).state(later) == "acknowledged"
    assert again.claim_request("1700000000:v0=abc", 1700000000.0) is True
    assert store.claim_request("1700000000:v0=abc", 1700000001.0) is False  # a replay, seen by any runner
    assert store.claim_request("1700000000:v0=abd", 1700000001.0) is True


def test_outbox_keeps_order_and_forgets_what_was_delivered(location):
    store = open_history(location)
    messages = []
    for kind in ("alert", "continuation", "resolved"):
        seq, message_id = new_seq()
        messages.append(OutboxMessage(message_id, "s", seq, kind, {"text": kind}, iso(utcnow())))
    store.enqueue(messages)
    assert [m.kind for m in store.pending("s")] == ["alert", "continuation", "resolved"]
    assert store.pending("other") == []
    store.failed(messages[1], "invalid_blocks", permanent=True)
    store.discard(messages[2])
    assert [m.kind for m in store.pending("s")] == ["alert"]
    assert [(m.kind, m.status, m.attempts) for m in store.outbox()] == [
        ("alert", "pending", 0),
        ("continuation", "failed", 1),
    ]


def test_the_lock_lets_one_run_in_and_a_stale_lock_go(location):
    first, second = open_history(location), open_history(location)
    with first.lock("scope", wait_seconds=0):
        with pytest.raises(HistoryBusy, match="in use by another run"), second.lock("scope", wait_seconds=0):
            pass
        with second.lock("another scope", wait_seconds=0):
            pass
    with second.lock("scope", wait_seconds=0):
        pass
    assert first.acquire("scope", "a run that died", lease_seconds=-1) is True  # already expired
    with second.lock("scope", wait_seconds=0):
        pass


@pytest.fixture
def drifted(aws, tmp_path, location):
    built = build_web_estate(aws, REGION)
    if location.startswith("dynamodb://"):
        declare_table(aws, built.state)
    state = built.state.write(tmp_path / "terraform.tfstate")
    delete_https_rule(aws, built.lb_group_id, REGION)
    return scan_states([str(state)], [REGION], Clients(aws))


def test_two_concurrent_runs_on_one_history_one_posts_the_other_does_not(location, drifted, httpserver):
    slack = SlackApi(httpserver).start()
    notifier = WebhookNotifier(SlackTarget(webhook_url=slack.webhook_url))
    inside, second_done = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first_scan():
        inside.set()  # the first run holds the lock from here
        assert second_done.wait(60)
        return drifted

    def first_run():
        outcome["first"] = run_cycle(first_scan, open_history(location), notifier, "scope", lock_wait=0)

    thread = threading.Thread(target=first_run)
    thread.start()
    assert inside.wait(60)
    try:
        run_cycle(lambda: drifted, open_history(location), notifier, "scope", lock_wait=0)
    except HistoryBusy as exc:
        outcome["second"] = exc
    finally:
        second_done.set()
    thread.join(60)
    assert isinstance(outcome.get("second"), HistoryBusy)
    assert len(outcome["first"].new) == 1
    assert len(slack.messages("webhook")) == 1


def test_two_runners_of_different_scopes_never_both_post_one_finding(location, drifted, httpserver):
    """No shared lock between scopes: the conditional write alone decides."""
    slack = SlackApi(httpserver).start()
    notifier = WebhookNotifier(SlackTarget(webhook_url=slack.webhook_url))
    now = utcnow()
    one = record(drifted, open_history(location), notifier, "runner-a", timedelta(hours=24), now)
    two = record(drifted, open_history(location), notifier, "runner-b", timedelta(hours=24), now)
    assert len(one.new) == 1 and two.new == ()
    assert [m.kind for m in open_history(location).pending("runner-a")] == ["alert"]
    assert open_history(location).pending("runner-b") == []


def test_a_finding_still_open_after_remind_after_is_reminded_once(location, drifted, httpserver):
    slack = SlackApi(httpserver).start()
    notifier = WebhookNotifier(SlackTarget(webhook_url=slack.webhook_url))
    store = open_history(location)
    start = utcnow()
    for hours in (0, 1, 25, 26, 50):
        run_cycle(lambda: drifted, store, notifier, "scope", clock=lambda h=hours: start + timedelta(hours=h))
    texts = [m["text"] for m in slack.messages("webhook")]
    assert texts == [
        "module.edge.aws_security_group.lb lost ingress tcp/443 from 0.0.0.0/0",
        "Still open: 1 out-of-band edit",
        "Still open: 1 out-of-band edit",
    ]
    assert "open for 1d 1h" in str(slack.messages("webhook")[1])


def _hours(store, drifted, notifier, start, hours) -> None:
    for hour in hours:
        run_cycle(lambda: drifted, store, notifier, "scope", clock=lambda h=hour: start + timedelta(hours=h))


def test_a_snoozed_finding_is_not_reminded_before_its_time_and_is_after(location, drifted, httpserver):
    slack = SlackApi(httpserver).start()
    notifier = WebhookNotifier(SlackTarget(webhook_url=slack.webhook_url))
    store = open_history(location)
    start = utcnow()
    _hours(store, drifted, notifier, start, [0])
    [open_record] = store.findings()
    # What the Snooze button writes (guard serve): until 30 h after the alert.
    store.decide(open_record.fingerprint, {"snoozed_until": iso(start + timedelta(hours=30))})
    _hours(store, drifted, notifier, start, [25, 29])
    assert len(slack.messages("webhook")) == 1  # 24 h passed, but it is snoozed
    _hours(store, drifted, notifier, start, [31, 32])
    texts = [m["text"] for m in slack.messages("webhook")]
    assert texts[1:] == ["Still open: 1 out-of-band edit"]  # back once the snooze is over, once
    assert store.get(open_record.fingerprint).snoozed_until is None


def test_an_accepted_finding_is_not_alerted_until_its_expiry_then_is(location, drifted, httpserver):
    slack = SlackApi(httpserver).start()
    notifier = WebhookNotifier(SlackTarget(webhook_url=slack.webhook_url))
    store = open_history(location)
    start = utcnow()
    _hours(store, drifted, notifier, start, [0])
    [open_record] = store.findings()
    fp = open_record.fingerprint
    accepted = {"accepted_by": "Bob (U0BOB)", "accept_reason": "moved behind CloudFront"}
    store.decide(fp, {**accepted, "accepted_until": iso(start + timedelta(hours=48))})
    assert store.get(fp).state(start + timedelta(hours=1)).startswith("accepted until")
    _hours(store, drifted, notifier, start, [1, 25, 47])
    assert len(slack.messages("webhook")) == 1  # no reminder while accepted
    _hours(store, drifted, notifier, start, [49, 50])
    texts = [m["text"] for m in slack.messages("webhook")]
    title = "module.edge.aws_security_group.lb lost ingress tcp/443 from 0.0.0.0/0"
    assert texts == [title, title]  # alerted again at the expiry, once
    assert store.get(fp).accepted_until is None and store.get(fp).state() == "new"


def test_an_incomplete_scan_resolves_nothing_it_did_not_read(location, drifted, httpserver):
    from dataclasses import replace

    from guard.model import NotChecked

    store = open_history(location)
    run_cycle(lambda: drifted, store, None, "scope")
    blind = replace(
        drifted,
        findings=(),
        not_checked=(NotChecked("aws_vpc_security_group_ingress_rule", REGION, "Throttling"),),
    )
    result = run_cycle(lambda: blind, store, None, "scope")
    assert result.resolved == ()
    assert [r.status for r in store.findings()] == ["open"]
    seeing = replace(drifted, findings=())
    assert len(run_cycle(lambda: seeing, store, None, "scope").resolved) == 1


def test_sqlite_default_location_is_per_user(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    store = open_history(None)
    assert isinstance(store, SqliteHistory)
    assert store.location == str(tmp_path / "change-guard" / "history.sqlite3")


def test_an_unusable_history_is_one_clear_error(guard, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = guard("history", "--history", blocker / "history.sqlite3")
    assert result.code == 1
    assert result.err.startswith(f"guard: error: --history {blocker / 'history.sqlite3'}: cannot open")
