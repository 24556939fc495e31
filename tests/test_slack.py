"""Slack alerts end to end: a real scan on moto, slack-sdk, Slack played by pytest-httpserver."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from guard.alerting.fingerprint import fingerprint
from guard.alerting.history import SqliteHistory
from guard.demo import build_web_estate, delete_https_rule
from guard.model import Change, Drift, DriftKind, Resource, RollbackStep, Severity
from guard.remedy.offer import rollback_kind
from guard.render.slack import Alert, alert_messages, headline, limit_violations
from tests.slackapi import SlackApi

REGION = "us-east-1"
GOLDEN = Path(__file__).parent / "golden"
TOKEN = "xoxb-1111-2222-tokenSECRETvalue"


@pytest.fixture
def slack(httpserver, monkeypatch):
    api = SlackApi(httpserver).start()
    monkeypatch.setenv("GUARD_SLACK_API_URL", api.api_url)
    for name in ("SLACK_BOT_TOKEN", "GUARD_SLACK_WEBHOOK_URL", "GUARD_SLACK_CHANNEL", "GUARD_HISTORY"):
        monkeypatch.delenv(name, raising=False)
    return api


@pytest.fixture
def estate(aws, tmp_path):
    built = build_web_estate(aws, REGION)
    state = built.state.write(tmp_path / "terraform.tfstate")
    return aws, built, state


def bot_args(state, history):
    return [
        "scan",
        "--state",
        state,
        "--region",
        REGION,
        "--notify",
        "slack",
        "--slack-token",
        TOKEN,
        "--slack-channel",
        "#alerts",
        "--history",
        history,
        "--no-attribute",  # moto has no LookupEvents: these tests are about delivery
    ]


def restore_https_rule(session, group_id):
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


def normalised(payload, estate_, state_path, fp):
    text = json.dumps(payload, indent=2, sort_keys=True)
    for real, stable in (
        (estate_.lb_group_id, "sg-LOADBALANCER"),
        (estate_.app_group_id, "sg-APP"),
        (str(state_path), "STATE_PATH"),
        (fp, "FINGERPRINT_____"),
    ):
        text = text.replace(real, stable)
    return text + "\n"


def test_payload_of_a_real_scan_matches_the_golden_file(guard, slack, estate, tmp_path):
    session, built, state = estate
    delete_https_rule(session, built.lb_group_id, REGION)
    result = guard(*bot_args(state, tmp_path / "h.sqlite3"))
    assert result.code == 2, result.err
    [posted] = slack.posts
    assert posted.method == "chat.postMessage"
    assert posted.body["channel"] == "#alerts"
    assert posted.authorization == f"Bearer {TOKEN}"
    store = SqliteHistory(tmp_path / "h.sqlite3")
    [record] = store.findings()
    body = {k: v for k, v in posted.body.items() if k in ("text", "blocks", "channel")}
    text = normalised(body, built, state, record.fingerprint)
    golden = GOLDEN / "slack_deleted_https_rule.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text(), "Slack payload changed; rerun with UPDATE_GOLDEN=1 if intended"
    assert body["blocks"][0] == {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": "module.edge.aws_security_group.lb lost ingress tcp/443 from 0.0.0.0/0",
            "emoji": True,
        },
    }
    assert "aws ec2 authorize-security-group-ingress" in text
    assert limit_violations(body) == []
    assert record.slack_ts == "1700000001.000100" and record.slack_channel == "C0ALERTS"


def test_three_scans_in_a_row_post_once(guard, slack, estate, tmp_path):
    session, built, state = estate
    delete_https_rule(session, built.lb_group_id, REGION)
    for _ in range(3):
        assert guard(*bot_args(state, tmp_path / "h.sqlite3")).code == 2
    assert len(slack.messages()) == 1


def test_a_fixed_drift_posts_resolved_in_the_thread_and_marks_the_alert(guard, slack, estate, tmp_path):
    session, built, state = estate
    history = tmp_path / "h.sqlite3"
    delete_https_rule(session, built.lb_group_id, REGION)
    assert guard(*bot_args(state, history)).code == 2
    restore_https_rule(session, built.lb_group_id)
    result = guard(*bot_args(state, history))
    assert result.code == 0, result.err
    alert, resolved = slack.messages()
    assert "thread_ts" not in alert
    assert resolved["thread_ts"] == "1700000001.000100"
    assert resolved["text"] == "Resolved"
    assert "lost ingress tcp/443" in json.dumps(resolved["blocks"])
    [update] = slack.messages("chat.update")
    assert update["ts"] == "1700000001.000100" and update["channel"] == "C0ALERTS"
    assert update["blocks"][0]["text"]["text"].startswith("Resolved: module.edge")
    # Nothing more to say on the next run.
    assert guard(*bot_args(state, history)).code == 0
    assert len(slack.posts) == 3

    listed = guard("history", "--history", history, "--format", "json").json()
    assert listed["open"] == []
    [row] = listed["resolved"]
    assert row["headline"] == "module.edge.aws_security_group.lb lost ingress tcp/443 from 0.0.0.0/0"
    assert row["time_to_resolve_seconds"] >= 0
    console = guard("history", "--history", history)
    assert "lost ingress tcp/443" in console.out and "No open findings" in console.out


def test_a_drift_that_comes_back_is_posted_again(guard, slack, estate, tmp_path):
    session, built, state = estate
    history = tmp_path / "h.sqlite3"
    delete_https_rule(session, built.lb_group_id, REGION)
    guard(*bot_args(state, history))
    restore_https_rule(session, built.lb_group_id)
    guard(*bot_args(state, history))
    delete_https_rule(session, built.lb_group_id, REGION)
    guard(*bot_args(state, history))
    tops = [m for m in slack.messages() if "thread_ts" not in m]
    assert len(tops) == 2


def test_429_with_retry_after_then_success_delivers_once(guard, slack, estate, tmp_path):
    session, built, state = estate
    delete_https_rule(session, built.lb_group_id, REGION)
    slack.script.append((429, {"Retry-After": "1"}, '{"ok": false, "error": "ratelimited"}'))
    result = guard(*bot_args(state, tmp_path / "h.sqlite3"))
    assert result.code == 2, result.err
    assert slack.requests == 2
    assert len(slack.messages()) == 1
    assert "1 Slack message sent" in result.err


def test_an_outage_then_recovery_delivers_everything_once(guard, slack, estate, tmp_path):
    session, built, state = estate
    history = tmp_path / "h.sqlite3"
    delete_https_rule(session, built.lb_group_id, REGION)
    slack.down = True
    first = guard(*bot_args(state, history))
    assert first.code == 2
    assert "kept in the outbox" in first.err
    assert slack.posts == []
    assert [m.kind for m in SqliteHistory(history).outbox()] == ["alert"]

    # Still down, and a second edit happens: both wait.
    session.client("ec2", region_name=REGION).authorize_security_group_ingress(
        GroupId=built.app_group_id,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "203.0.113.7/32"}]}
        ],
    )
    assert guard(*bot_args(state, history)).code == 2
    assert slack.posts == []

    slack.down = False
    recovered = guard(*bot_args(state, history))
    assert recovered.code == 2
    posted = [m["text"] for m in slack.messages()]
    assert posted == [
        "module.edge.aws_security_group.lb lost ingress tcp/443 from 0.0.0.0/0",
        "module.app.aws_security_group.app gained ingress tcp/22 from 203.0.113.7/32",
    ]
    assert SqliteHistory(history).outbox() == []
    guard(*bot_args(state, history))
    assert len(slack.messages()) == 2


def test_webhook_delivery_and_resolution_without_threads(guard, slack, estate, tmp_path):
    session, built, state = estate
    history = tmp_path / "h.sqlite3"
    args = ["scan", "--state", state, "--region", REGION, "--notify", "slack", "--history", history]
    os.environ["GUARD_SLACK_WEBHOOK_URL"] = slack.webhook_url
    try:
        delete_https_rule(session, built.lb_group_id, REGION)
        assert guard(*args).code == 2
        restore_https_rule(session, built.lb_group_id)
        assert guard(*args).code == 0
    finally:
        del os.environ["GUARD_SLACK_WEBHOOK_URL"]
    alert, resolved = slack.messages("webhook")
    assert alert["text"].endswith("lost ingress tcp/443 from 0.0.0.0/0")
    assert resolved["text"] == "Resolved: 1 out-of-band edit"


def test_token_and_webhook_url_never_appear_in_output_or_logs(guard, slack, estate, tmp_path, caplog):
    session, built, state = estate
    delete_https_rule(session, built.lb_group_id, REGION)
    caplog.set_level(logging.DEBUG)
    slack.script.append((200, {"Content-Type": "application/json"}, '{"ok": false, "error": "invalid_auth"}'))
    failing = guard("--debug", *bot_args(state, tmp_path / "a.sqlite3"))
    assert "invalid_auth" in failing.err
    ok = guard("--debug", *bot_args(state, tmp_path / "a.sqlite3"))
    slack.down = True
    webhook = guard(
        "--debug",
        "scan",
        "--state",
        state,
        "--region",
        REGION,
        "--notify",
        "slack",
        "--slack-webhook",
        slack.webhook_url,
        "--history",
        tmp_path / "b.sqlite3",
    )
    assert "503" in webhook.err or "outbox" in webhook.err
    everything = failing.out + failing.err + ok.out + ok.err + webhook.out + webhook.err + caplog.text
    everything += "".join(str(r.msg) + str(r.args) for r in caplog.records)
    assert "Sending a request" in caplog.text  # slack-sdk did log its requests
    for secret in (TOKEN, "tokenSECRETvalue", slack.webhook_url, "webhookSECRETpart"):
        assert secret not in everything


def test_bad_slack_options_are_one_clear_line(guard, slack, estate, tmp_path):
    _, _, state = estate
    result = guard("scan", "--state", state, "--notify", "slack", "--slack-token", TOKEN)
    assert result.code == 1
    assert result.err.strip() == (
        "guard: error: --slack-channel: a bot token needs a channel; pass --slack-channel '#alerts' or its id"
    )
    assert TOKEN not in result.err
    both = guard(
        "scan",
        "--state",
        state,
        "--notify",
        "slack",
        "--slack-token",
        TOKEN,
        "--slack-channel",
        "#a",
        "--slack-webhook",
        slack.webhook_url,
    )
    assert both.code == 1 and "use one" in both.err and "SECRET" not in both.err


def big_drift(number: int) -> Drift:
    group = Resource(
        "aws_security_group", f"sg-{number:017x}", {"tags": {"Name": f"group-{number}-" + "x" * 300}}
    )
    return Drift(
        kind=DriftKind.CHANGED,
        type="aws_security_group",
        id=group.id,
        address=f'module.edge.aws_security_group.lb["{number}"]',
        account="123456789012",
        region=REGION,
        title=f"group {number}: <script> description changed " + "y" * 4000,
        changes=(Change("description", "a" * 2500, "b" * 2500), Change("tags.Owner", "team-a", "<script>")),
        expected=group,
        actual=group,
        severity=list(Severity)[number % 5],
        rollback=(RollbackStep("aws", "Restore it", cli="aws ec2 something " + "z" * 5000),),
    )


def test_a_200_finding_run_stays_within_every_slack_limit(slack, tmp_path):
    from guard.alerting.cycle import run_cycle
    from guard.alerting.slack import BotNotifier, SlackTarget
    from guard.model import Report

    drifts = tuple(big_drift(n) for n in range(200))
    report = Report(account="123456789012", regions=(REGION,), sources=("s",), findings=drifts)
    messages = alert_messages([Alert(d, fingerprint(d), rollback_kind(d)) for d in drifts], buttons=True)
    assert len(messages) > 1
    for message in messages:
        assert limit_violations(message) == []
    store = SqliteHistory(tmp_path / "h.sqlite3")
    notifier = BotNotifier(SlackTarget(token=TOKEN, channel="#alerts", api_url=slack.api_url))
    result = run_cycle(lambda: report, store, notifier, "scope")
    assert len(result.new) == 200
    assert result.delivery.delivered == len(messages) and result.delivery.pending == 0
    posted = slack.messages()
    assert len(posted) == len(messages)  # the fake Slack rejects anything over a limit
    root_ts = "1700000001.000100"
    assert "thread_ts" not in posted[0]
    assert all(m["thread_ts"] == root_ts for m in posted[1:])
    everything = json.dumps(posted)
    for number in range(200):  # every finding is in some message, by its fingerprint
        assert fingerprint(drifts[number]) in everything
    assert "&lt;script&gt;" in everything and "<script>" not in everything
    assert all(r.slack_ts == root_ts for r in store.findings())


def test_headline_says_what_broke(aws, estate):
    session, built, state = estate
    from guard.aws import Clients
    from guard.pipeline.run import scan_states

    delete_https_rule(session, built.lb_group_id, REGION)
    [drift] = scan_states([str(state)], [REGION], Clients(session)).findings
    assert headline(drift) == "module.edge.aws_security_group.lb lost ingress tcp/443 from 0.0.0.0/0"
