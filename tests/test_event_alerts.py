"""Alerts from CloudTrail events share one history with scheduled scans: one finding, one message."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import boto3
import pytest

from guard.demo import build_web_estate, delete_https_rule
from tests.cloudtrail_shapes import (
    describe_security_groups,
    eventbridge,
    record,
    revoke_ingress_by_permission,
    revoke_ingress_by_rule_id,
    sso_console_identity,
)
from tests.slackapi import SlackApi

REGION = "us-east-1"
TOKEN = "xoxb-1111-2222-tokenSECRETvalue"


@pytest.fixture
def slack(httpserver, monkeypatch):
    api = SlackApi(httpserver).start()
    monkeypatch.setenv("GUARD_SLACK_API_URL", api.api_url)
    for name in ("SLACK_BOT_TOKEN", "GUARD_SLACK_WEBHOOK_URL", "GUARD_SLACK_CHANNEL", "GUARD_HISTORY"):
        monkeypatch.delenv(name, raising=False)
    return api


@pytest.fixture
def estate(aws: boto3.Session, tmp_path: Path):
    built = build_web_estate(aws, REGION)
    return aws, built, built.state.write(tmp_path / "terraform.tfstate")


def _alerting(history: Path) -> list[Any]:
    return ["--notify", "slack", "--slack-token", TOKEN, "--slack-channel", "#alerts", "--history", history]


def _scan(state: Path, history: Path) -> list[Any]:
    return ["scan", "--state", state, "--region", REGION, "--no-attribute", *_alerting(history)]


def _on_event(state: Path, history: Path, event_file: Path) -> list[Any]:
    return ["on-event", "--state", state, "--region", REGION, "--event", event_file, *_alerting(history)]


def _write(tmp_path: Path, event: dict[str, Any], name: str = "event.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(event), encoding="utf-8")
    return path


def _rule_id(session: boto3.Session, group_id: str, port: int) -> str:
    rules = session.client("ec2", region_name=REGION).describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [group_id]}]
    )["SecurityGroupRules"]
    return next(r["SecurityGroupRuleId"] for r in rules if not r["IsEgress"] and r.get("FromPort") == port)


def _restore_https(session: boto3.Session, group_id: str) -> None:
    session.client("ec2", region_name=REGION).authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTPS from anywhere"}],
            }
        ],
    )


def _authorize_https(group_id: str) -> dict[str, Any]:
    return record(
        "AuthorizeSecurityGroupIngress",
        sso_console_identity(),
        {"groupId": group_id, "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 443}]}},
        {"requestId": "5d6e7f80-9123-4456-b789-0a1b2c3d4e5f", "_return": True},
        event_id="ev-fix-1",
    )


def test_an_event_alerts_once_and_the_next_scan_resolves_it_in_the_thread(guard, slack, estate, tmp_path):
    session, built, state = estate
    history = tmp_path / "h.sqlite3"
    rule_id = _rule_id(session, built.lb_group_id, 443)
    delete_https_rule(session, built.lb_group_id, REGION)
    event = _write(
        tmp_path,
        eventbridge(revoke_ingress_by_rule_id(built.lb_group_id, rule_id, event_id="ev-1", console=True)),
    )

    result = guard(*_on_event(state, history, event))

    assert result.code == 2, result.err
    assert "guard: alerts: 1 new" in result.err
    [alert] = slack.messages()
    assert alert["channel"] == "#alerts"
    text = json.dumps(alert["blocks"])
    assert "module.edge.aws_security_group.lb lost ingress tcp/443 from 0.0.0.0/0" in text
    assert "alice@example.com" in text  # who: from the event itself
    assert "aws ec2 authorize-security-group-ingress" in text  # the way back

    # The scheduled scan sees the same finding: nothing new is posted.
    assert guard(*_scan(state, history)).code == 2
    assert len(slack.messages()) == 1

    # Put back by hand: the scan says so in the alert's thread and marks the alert.
    _restore_https(session, built.lb_group_id)
    assert guard(*_scan(state, history)).code == 0
    _alert_again, resolved = slack.messages()
    assert resolved["thread_ts"] == "1700000001.000100" and resolved["text"] == "Resolved"
    assert len(slack.messages("chat.update")) == 1


def test_the_person_behind_the_console_session_is_mentioned(guard, slack, estate, tmp_path):
    session, built, state = estate
    slack.people["alice@example.com"] = "U0ALICE"
    rule_id = _rule_id(session, built.lb_group_id, 443)
    delete_https_rule(session, built.lb_group_id, REGION)
    event = eventbridge(revoke_ingress_by_rule_id(built.lb_group_id, rule_id, event_id="ev-9", console=True))

    args = _on_event(state, tmp_path / "h.sqlite3", _write(tmp_path, event))
    # A token of its own: lookups are cached per workspace and token for the whole process.
    result = guard(*args[: args.index(TOKEN)], "xoxb-3333-mention-test", *args[args.index(TOKEN) + 1 :])

    assert result.code == 2, result.err
    [alert] = slack.messages()
    assert "<@U0ALICE>" in json.dumps(alert["blocks"])


def test_a_scan_first_then_the_late_event_posts_nothing_new(guard, slack, estate, tmp_path):
    session, built, state = estate
    history = tmp_path / "h.sqlite3"
    delete_https_rule(session, built.lb_group_id, REGION)
    assert guard(*_scan(state, history)).code == 2
    event = _write(
        tmp_path,
        eventbridge(revoke_ingress_by_permission(built.lb_group_id, 443, "0.0.0.0/0", event_id="ev-2")),
    )

    result = guard(*_on_event(state, history, event))

    assert result.code == 2, result.err
    assert len(slack.messages()) == 1


def test_the_fixing_event_resolves_in_the_thread(guard, slack, estate, tmp_path):
    session, built, state = estate
    history = tmp_path / "h.sqlite3"
    delete_https_rule(session, built.lb_group_id, REGION)
    revoke = _write(
        tmp_path,
        eventbridge(revoke_ingress_by_permission(built.lb_group_id, 443, "0.0.0.0/0", event_id="ev-2")),
    )
    assert guard(*_on_event(state, history, revoke)).code == 2

    _restore_https(session, built.lb_group_id)
    fix = _write(tmp_path, eventbridge(_authorize_https(built.lb_group_id)), "fix.json")
    result = guard(*_on_event(state, history, fix))

    assert result.code == 0, result.err
    _alert, resolved = slack.messages()
    assert resolved["thread_ts"] == "1700000001.000100"
    assert "lost ingress tcp/443" in json.dumps(resolved["blocks"])
    listed = guard("history", "--history", history, "--format", "json").json()
    assert listed["open"] == [] and len(listed["resolved"]) == 1


def test_slack_down_during_an_event_loses_nothing_and_sends_once(guard, slack, estate, tmp_path):
    session, built, state = estate
    history = tmp_path / "h.sqlite3"
    delete_https_rule(session, built.lb_group_id, REGION)
    event = _write(
        tmp_path,
        eventbridge(revoke_ingress_by_permission(built.lb_group_id, 443, "0.0.0.0/0", event_id="ev-2")),
    )
    slack.down = True

    result = guard(*_on_event(state, history, event))

    assert result.code == 2, result.err
    assert "1 kept in the outbox" in result.err
    assert slack.messages() == []
    slack.down = False
    # The next run of the same scope (here the scheduled scan) sends it, once.
    assert guard(*_scan(state, history)).code == 2
    assert guard(*_scan(state, history)).code == 2
    [alert] = slack.messages()
    assert "lost ingress tcp/443" in json.dumps(alert["blocks"])


def test_an_ignored_event_touches_neither_history_nor_slack(guard, slack, estate, tmp_path):
    _session, built, state = estate
    history = tmp_path / "h.sqlite3"
    event = _write(tmp_path, eventbridge(describe_security_groups(built.lb_group_id, event_id="ev-3")))

    result = guard(*_on_event(state, history, event))

    assert result.code == 0, result.err
    assert not history.exists()
    assert slack.requests == 0


def test_findings_recorded_without_notify_are_posted_by_the_first_run_that_notifies(
    guard, slack, estate, tmp_path, monkeypatch
):
    session, built, state = estate
    history = tmp_path / "h.sqlite3"
    delete_https_rule(session, built.lb_group_id, REGION)
    monkeypatch.setenv("GUARD_HISTORY", str(history))
    assert guard("scan", "--state", state, "--region", REGION).code == 2  # records, posts nothing
    assert slack.requests == 0

    assert guard(*_scan(state, history)).code == 2
    assert guard(*_scan(state, history)).code == 2

    [alert] = slack.messages()
    assert "lost ingress tcp/443" in json.dumps(alert["blocks"])


def test_a_reminder_is_a_reply_in_the_alert_thread(guard, slack, estate, tmp_path):
    session, built, state = estate
    history = tmp_path / "h.sqlite3"
    delete_https_rule(session, built.lb_group_id, REGION)
    assert guard(*_scan(state, history)).code == 2
    with sqlite3.connect(history) as db:  # the alert went out two days ago
        db.execute("UPDATE findings SET notified_at = '2020-01-01T00:00:00+00:00'")

    assert guard(*_scan(state, history)).code == 2

    _alert, reminder = slack.messages()
    assert reminder["thread_ts"] == "1700000001.000100"
    assert reminder["text"] == "Still open"
    assert "lost ingress tcp/443" in json.dumps(reminder["blocks"])


def test_a_webhook_reminder_names_the_alert_it_follows(guard, slack, estate, tmp_path, monkeypatch):
    session, built, state = estate
    history = tmp_path / "h.sqlite3"
    monkeypatch.setenv("GUARD_SLACK_WEBHOOK_URL", slack.webhook_url)
    args = ["scan", "--state", state, "--region", REGION, "--notify", "slack", "--history", history]
    delete_https_rule(session, built.lb_group_id, REGION)
    assert guard(*args).code == 2
    with sqlite3.connect(history) as db:
        db.execute("UPDATE findings SET notified_at = '2020-01-01T00:00:00+00:00'")

    assert guard(*args).code == 2

    _alert, reminder = slack.messages("webhook")
    assert reminder["text"] == "Still open: 1 out-of-band edit"
    assert "alerted 2020-01-01T00:00:00+00:00" in json.dumps(reminder["blocks"])


def test_guard_toml_sets_the_history_store_and_each_accounts_channel(guard, slack, estate, tmp_path):
    session, built, state = estate
    history = tmp_path / "from-config.sqlite3"
    account = session.client("sts", region_name=REGION).get_caller_identity()["Account"]
    config = tmp_path / "guard.toml"
    config.write_text(
        f"""
[defaults]
regions = ["{REGION}"]

[history]
store = "{history}"

[slack]
channel = "#everything-else"

[[accounts]]
id = "{account}"
name = "web"
states = ["{state}"]
slack_channel = "#team-web"
""",
        encoding="utf-8",
    )
    delete_https_rule(session, built.lb_group_id, REGION)

    args = ["scan", "--config", config, "--no-attribute", "--notify", "slack", "--slack-token", TOKEN]
    result = guard(*args)

    assert result.code == 2, result.err
    [alert] = slack.messages()
    assert alert["channel"] == "#team-web"
    assert history.exists()
    # The same edit through the event path, with the same config: no second message.
    event = _write(
        tmp_path,
        eventbridge(revoke_ingress_by_permission(built.lb_group_id, 443, "0.0.0.0/0", event_id="ev-2")),
    )
    again = guard(
        "on-event", "--config", config, "--event", event, "--notify", "slack", "--slack-token", TOKEN
    )
    assert again.code == 2, again.err
    assert len(slack.messages()) == 1


def _sqs(message_id: str, body: Any) -> dict[str, Any]:
    """One message of an SQS batch as Lambda delivers it (the EventBridge event as the body)."""
    return {
        "messageId": message_id,
        "receiptHandle": f"AQEB{message_id}==",
        "body": body if isinstance(body, str) else json.dumps(body),
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1733140000000",
            "SenderId": "AIDAIENQZJOLO23YVJ4VO",
            "ApproximateFirstReceiveTimestamp": "1733140000100",
        },
        "messageAttributes": {},
        "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:{REGION}:123456789012:guard-events",
        "awsRegion": REGION,
    }


def test_the_lambda_entries_share_one_history_through_sqs_and_the_schedule(aws, estate, slack, tmp_path):
    from guard.alerting.lambda_handler import event_handler, handler
    from tests.test_history import TABLE, create_table

    session, built, state = estate
    create_table(aws, built.state)  # the history table is declared with the estate
    state = built.state.write(state)
    environ = {
        "GUARD_STATE": str(state),
        "GUARD_REGIONS": REGION,
        "GUARD_HISTORY": f"dynamodb://{TABLE}",
        "SLACK_BOT_TOKEN": TOKEN,
        "GUARD_SLACK_CHANNEL": "#alerts",
        "GUARD_SLACK_API_URL": slack.api_url,
        "GUARD_ATTRIBUTE": "false",
    }
    delete_https_rule(session, built.lb_group_id, REGION)
    batch = {
        "Records": [
            _sqs("m-1", eventbridge(describe_security_groups(built.lb_group_id, event_id="ev-read"))),
            _sqs("m-2", "{not json"),
            _sqs(
                "m-3",
                eventbridge(revoke_ingress_by_permission(built.lb_group_id, 443, "0.0.0.0/0", event_id="e")),
            ),
        ]
    }

    answer = event_handler(batch, None, environ)

    assert answer["batchItemFailures"] == [{"itemIdentifier": "m-2"}]  # retried, then the DLQ keeps it
    assert answer["new"] == 1
    assert [o["status"] for o in answer["outcomes"]] == ["ignored", "drift"]
    [alert] = slack.messages()
    assert "lost ingress tcp/443" in json.dumps(alert["blocks"])
    assert TOKEN not in json.dumps(answer)

    # The schedule sees it too: nothing new; once fixed, "resolved" goes into the event's thread.
    scheduled = {"detail-type": "Scheduled Event", "source": "aws.events", "time": "2026-12-02T10:00:00Z"}
    assert handler(scheduled, None, environ)["new"] == 0
    _restore_https(session, built.lb_group_id)
    summary = handler(scheduled, None, environ)
    assert summary["resolved"] == 1 and summary["status"] == "complete"
    _alert, resolved = slack.messages()
    assert resolved["thread_ts"] == "1700000001.000100"


@pytest.mark.parametrize("command", ["version", "ignored event"])
def test_the_fast_paths_load_neither_boto3_nor_rich(tmp_path, command):
    """`guard --version` and an event guard ignores answer before boto3 or rich are imported."""
    import subprocess
    import sys

    event = _write(tmp_path, eventbridge(describe_security_groups("sg-0123456789abcdef0", event_id="ev-4")))
    args = ["--version"]
    if command == "ignored event":
        args = [
            "on-event",
            "--state",
            str(tmp_path / "no-such.tfstate"),
            "--event",
            str(event),
            "--format",
            "json",
        ]
    program = (
        "import runpy, sys\n"
        f"sys.argv = ['guard', *{args!r}]\n"
        "try:\n    runpy.run_module('guard', run_name='__main__')\n"
        "except SystemExit as exit:\n    code = exit.code\n"
        "print('LOADED', sorted(m for m in ('boto3', 'rich') if m in sys.modules), code)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert "LOADED [] 0" in done.stdout, (done.stdout, done.stderr)


def _every_service_case() -> list[tuple[str, str]]:
    from tests.test_event_coverage import CASE_EVENTS

    return sorted(CASE_EVENTS)


_PEOPLE = [
    # (who CloudTrail says, the name the alert must show, the user agent)
    ("sso", "alice@example.com", "AWS Internal"),
    ("iam", "bob", "aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64.ubuntu.22 prompt/off command/x"),
    ("ci", "gha-terraform-deploy", "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io)"),
]


@pytest.mark.parametrize(("type_name", "kind"), _every_service_case(), ids=lambda value: str(value))
def test_an_edit_of_every_service_alerts_once_naming_the_person_and_the_way_back(
    type_name, kind, aws, guard, slack, tmp_path
):
    """One type of each service (EC2 is covered by the 443 tests above): the real edit on moto,
    its CloudTrail record in the EventBridge shape, `guard on-event --notify slack`: one post
    naming the resource, the change, the person and the rollback; the next scan posts nothing."""
    from guard.demo.state import TerraformState
    from guard.live import REGISTRY
    from guard.live.events import source_of
    from tests.cloudtrail_shapes import ci_role_identity, iam_user_identity
    from tests.test_event_coverage import CASE_EVENTS, _case

    case = _case(type_name, kind)
    state, ctx = TerraformState(), {}
    case.build(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    case.drift(aws, ctx)
    service, name, request, response = CASE_EVENTS[(type_name, kind)](ctx)
    who, shown, agent = _PEOPLE[_every_service_case().index((type_name, kind)) % len(_PEOPLE)]
    identity = {"sso": sso_console_identity, "iam": iam_user_identity, "ci": ci_role_identity}[who]()
    source = source_of(next(d for d in REGISTRY.types.values() if d.service == service))
    call = record(name, identity, request, response, event_id=f"ev-{name}", source=source, agent=agent)
    history = tmp_path / "h.sqlite3"

    result = guard(*_on_event(path, history, _write(tmp_path, eventbridge(call))))

    assert result.code == 2, result.err
    [alert] = slack.messages()
    text = json.dumps(alert["blocks"])
    assert case.expected.address in text
    assert "What changed" in text and "Rollback plan" in text
    assert shown in text, text
    assert guard(*_scan(path, history)).code == 2
    assert len(slack.messages()) == 1
