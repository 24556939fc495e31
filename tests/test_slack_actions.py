"""Acting from the alert: the real `guard serve` over HTTP, Slack played by pytest-httpserver,
AWS by moto. Interactive payloads in Slack's block_actions / view_submission shapes, signed
as Slack signs them (v0 HMAC-SHA256 of "v0:timestamp:body" with the app's signing secret)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from guard.alerting.history import SqliteHistory
from guard.demo import build_web_estate, delete_https_rule
from guard.demo.state import TerraformState
from tests.cases import vpc
from tests.slackapi import SlackApi

REGION = "us-east-1"
TOKEN = "xoxb-1111-2222-tokenSECRETvalue"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5testSECRET"
ROLE = "arn:aws:iam::123456789012:role/guard-rollback"
ALICE, BOB, MALLORY = "U0ALICE", "U0BOB", "U0MALLORY"
CONFIG = f"""
[slack]
rollback_role = "{ROLE}"

[slack.approvers]
users = ["{ALICE}"]
usergroups = ["S0SRE"]
"""


@pytest.fixture
def slack(httpserver, monkeypatch):
    api = SlackApi(httpserver).start()
    api.names.update({ALICE: "Alice Example", BOB: "Bob Builder", MALLORY: "Mallory Moe"})
    api.groups["S0SRE"] = [BOB]
    monkeypatch.setenv("GUARD_SLACK_API_URL", api.api_url)
    for name in ("SLACK_BOT_TOKEN", "GUARD_SLACK_WEBHOOK_URL", "GUARD_SLACK_CHANNEL", "GUARD_HISTORY"):
        monkeypatch.delenv(name, raising=False)
    return api


def alert_args(state: Path, history: Path) -> list[Any]:
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
        "--no-attribute",
    ]


class Served:
    def __init__(self, url: str, history: Path, slack: SlackApi, log: list[str]) -> None:
        self.url = url
        self.history = history
        self.slack = slack
        self.log = log  # guard serve's standard error, read to the end by a thread

    def post(
        self, body: bytes, timestamp: int | None = None, signature: str | None = None, **headers: str
    ) -> Any:
        stamp = int(time.time()) if timestamp is None else timestamp
        basis = b"v0:" + str(stamp).encode() + b":" + body
        signed = "v0=" + hmac.new(SIGNING_SECRET.encode(), basis, hashlib.sha256).hexdigest()
        request = urllib.request.Request(
            self.url,
            data=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": str(stamp),
                "X-Slack-Signature": signed if signature is None else signature,
                **headers,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def thread(self, ts: str) -> list[str]:
        return [m["text"] for m in self.slack.messages() if m.get("thread_ts") == ts]

    def wait_for(self, ts: str, needle: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for text in self.thread(ts):
                if needle in text:
                    return text
            time.sleep(0.1)
        raise AssertionError(f"no thread reply with {needle!r}; thread: {self.thread(ts)}")


@pytest.fixture
def serve(slack, aws, tmp_path) -> Iterator[Callable[[Path], Served]]:
    processes: list[subprocess.Popen[str]] = []
    config = tmp_path / "guard.toml"
    config.write_text(CONFIG)

    def start(state: Path, settings: str = CONFIG) -> Served:
        history = tmp_path / "h.sqlite3"
        config.write_text(settings)
        env = {
            **os.environ,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_BOT_TOKEN": TOKEN,
            "GUARD_SLACK_API_URL": slack.api_url,
        }
        args = ["serve", "--port", "0", "--history", str(history), "--config", str(config)]
        args += ["--state", str(state), "--region", REGION]
        process = subprocess.Popen(
            [sys.executable, "-m", "guard", *args], env=env, stderr=subprocess.PIPE, text=True
        )
        processes.append(process)
        assert process.stderr is not None
        log: list[str] = []
        logs.append(log)
        for line in process.stderr:
            log.append(line)
            found = re.search(r"listening on (http://\S+)", line)
            if found:
                threading.Thread(target=log.extend, args=(process.stderr,), daemon=True).start()
                return Served(found.group(1), history, slack, log)
        raise AssertionError(f"guard serve did not start (exit {process.wait()}): {''.join(log)}")

    logs: list[list[str]] = []
    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)
    for log in logs:  # neither secret in anything guard serve wrote
        text = "".join(log)
        assert TOKEN not in text and SIGNING_SECRET not in text, text


def block_actions(action_id: str, fingerprint: str, user: str, ts: str, label: str = "button") -> bytes:
    """Slack's block_actions payload for a button in a channel message, form-encoded as Slack sends it."""
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T0000"},
        "api_app_id": "A0GUARD",
        "token": "legacyverificationtoken",
        "container": {"type": "message", "message_ts": ts, "channel_id": "C0ALERTS", "is_ephemeral": False},
        "trigger_id": "1111111111.2222222222.abcdef0123456789",
        "team": {"id": "T0000", "domain": "example"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": "C0ALERTS", "name": "alerts"},
        "message": {"type": "message", "user": "U0GUARDBOT", "ts": ts, "bot_id": "B0GUARD", "text": "alert"},
        "state": {"values": {}},
        "response_url": "https://hooks.slack.com/actions/T0000/1/unused",
        "actions": [
            {
                "action_id": action_id,
                "block_id": f"guard:{fingerprint}",
                "text": {"type": "plain_text", "text": label, "emoji": True},
                "value": fingerprint,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


def view_submission(view: dict[str, Any], user: str, reason: str, days: str) -> bytes:
    payload = {
        "type": "view_submission",
        "team": {"id": "T0000", "domain": "example"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T0000"},
        "api_app_id": "A0GUARD",
        "token": "legacyverificationtoken",
        "trigger_id": "3333333333.4444444444.abcdef",
        "view": {
            **view,
            "id": "V0001",
            "team_id": "T0000",
            "state": {
                "values": {
                    "reason": {"reason": {"type": "plain_text_input", "value": reason}},
                    "expiry": {
                        "expiry": {
                            "type": "static_select",
                            "selected_option": {
                                "text": {"type": "plain_text", "text": f"{days} days"},
                                "value": days,
                            },
                        }
                    },
                }
            },
            "hash": "156772938.1827394",
            "app_id": "A0GUARD",
            "bot_id": "B0GUARD",
            "root_view_id": "V0001",
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


def https_alert(guard: Any, aws: Any, tmp_path: Path) -> tuple[Any, Path, str, str]:
    built = build_web_estate(aws, REGION)
    state = built.state.write(tmp_path / "terraform.tfstate")
    delete_https_rule(aws, built.lb_group_id, REGION)
    result = guard(*alert_args(state, tmp_path / "h.sqlite3"))
    assert result.code == 2, result.err
    [record] = SqliteHistory(tmp_path / "h.sqlite3").findings()
    assert record.slack_ts
    return built, state, record.fingerprint, record.slack_ts


def https_rules(aws: Any, group_id: str) -> list[int]:
    [group] = aws.client("ec2", region_name=REGION).describe_security_groups(GroupIds=[group_id])[
        "SecurityGroups"
    ]
    return sorted(p.get("FromPort", -1) for p in group["IpPermissions"])


def test_alert_buttons_and_a_webhook_says_how_to_get_them(guard, slack, aws, tmp_path):
    _built, state, fp, _ts = https_alert(guard, aws, tmp_path)
    [alert] = slack.messages()
    [actions_block] = [b for b in alert["blocks"] if b["type"] == "actions"]
    ids = [e["action_id"] for e in actions_block["elements"]]
    assert ids == [
        "guard_acknowledge",
        "guard_snooze_4h",
        "guard_snooze_1d",
        "guard_accept",
        "guard_rollback",
    ]
    assert {e["value"] for e in actions_block["elements"]} == {fp}
    from guard.model import Drift, DriftKind, Resource, RollbackStep, Severity
    from guard.remedy.offer import rollback_kind

    unmanaged = Drift(
        kind=DriftKind.UNMANAGED,
        account="123456789012",
        region=REGION,
        type="aws_instance",
        id="i-1",
        address="",
        title="unmanaged",
        actual=Resource("aws_instance", "i-1", {}),
        severity=Severity.HIGH,
        rollback=(RollbackStep("delete", "Delete it", cli="aws ec2 terminate-instances"),),
    )
    assert rollback_kind(unmanaged) == ""  # a delete is never offered from Slack

    webhook = guard(
        "scan",
        "--state",
        state,
        "--region",
        REGION,
        "--notify",
        "slack",
        "--no-attribute",
        "--slack-webhook",
        slack.webhook_url,
        "--history",
        tmp_path / "w.sqlite3",
    )
    assert webhook.code == 2, webhook.err
    posted = next(p.body for p in slack.posts if p.method == "webhook")
    text = json.dumps(posted)
    assert '"actions"' not in text and "docs/slack-app.md" in text and "aws ec2 authorize" in text


def test_roll_back_from_the_button_on_moto(guard, serve, aws, tmp_path):
    built, state, fp, ts = https_alert(guard, aws, tmp_path)
    assert 443 not in https_rules(aws, built.lb_group_id)
    served = serve(state)
    started = time.monotonic()
    status, _ = served.post(block_actions("guard_rollback", fp, ALICE, ts))
    assert status == 200
    assert time.monotonic() - started < 3  # acknowledged within Slack's 3 s; the rollback runs after
    reply = served.wait_for(ts, "Rollback of")
    assert "*done*" in reply and "re-scan: clean" in reply, reply
    assert 443 in https_rules(aws, built.lb_group_id)
    store = SqliteHistory(served.history)
    [decision] = store.decisions(fp)
    assert (decision.action, decision.user_id, decision.user_name) == ("rollback", ALICE, "Alice Example")
    assert store.get(fp).status == "resolved"
    shown = guard("history", "--history", served.history, "--format", "json")
    assert shown.code == 0, shown.err
    assert any(d["user_id"] == ALICE and d["action"] == "rollback" for d in shown.json()["decisions"])
    rescan = guard("scan", "--state", state, "--region", REGION)
    assert rescan.code == 0, rescan.out + rescan.err
    updates = served.slack.messages("chat.update")
    assert updates and "rolled back by <@U0ALICE>" in json.dumps(updates[-1]["blocks"])
    assert TOKEN not in json.dumps([p.body for p in served.slack.posts])
    assert SIGNING_SECRET not in served.history.read_bytes().decode("utf-8", "replace")


def _nothing_changed(served: Served, aws: Any, group: str, fp: str, decisions: int = 0) -> None:
    assert 443 not in https_rules(aws, group)
    store = SqliteHistory(served.history)
    assert len(store.decisions(fp)) == decisions
    assert store.get(fp).status == "open"


def test_refusals_change_nothing_and_are_answered(guard, serve, aws, tmp_path):
    built, state, fp, ts = https_alert(guard, aws, tmp_path)
    served = serve(state)

    status, _ = served.post(block_actions("guard_rollback", fp, MALLORY, ts))
    assert status == 200
    assert "not an approver" in served.wait_for(ts, "not an approver")
    _nothing_changed(served, aws, built.lb_group_id, fp)

    body = block_actions("guard_rollback", fp, ALICE, ts)
    assert served.post(body, signature="v0=" + "0" * 64)[0] == 401
    assert served.post(body, signature="")[0] == 401
    assert served.post(body, timestamp=int(time.time()) - 6 * 60)[0] == 401
    time.sleep(1)
    _nothing_changed(served, aws, built.lb_group_id, fp)

    ack = block_actions("guard_acknowledge", fp, MALLORY, ts)
    stamp = int(time.time())
    assert served.post(ack, timestamp=stamp)[0] == 200
    deadline = time.monotonic() + 30
    while not SqliteHistory(served.history).decisions(fp) and time.monotonic() < deadline:
        time.sleep(0.1)
    status, text = served.post(ack, timestamp=stamp)  # the same signed request again
    assert status == 401 and "replayed" in text
    time.sleep(1)
    _nothing_changed(served, aws, built.lb_group_id, fp, decisions=1)
    assert SqliteHistory(served.history).get(fp).acknowledged_at
    [update] = served.slack.messages("chat.update")  # the alert now says who acknowledged it
    assert update["ts"] == ts and "acknowledged by <@U0MALLORY>" in json.dumps(update["blocks"])

    # Fixed by someone else: the button now says so and does nothing.
    from tests.test_slack import restore_https_rule

    restore_https_rule(aws, built.lb_group_id)
    assert guard(*alert_args(state, served.history)).code == 0
    delete_https_rule(aws, built.lb_group_id, REGION)  # and broken again: the old button must not act
    assert served.post(block_actions("guard_rollback", fp, ALICE, ts))[0] == 200
    assert "was resolved" in served.wait_for(ts, "was resolved")
    assert 443 not in https_rules(aws, built.lb_group_id)
    assert [d.action for d in SqliteHistory(served.history).decisions(fp)] == ["acknowledge"]


def test_slash_status_lists_open_findings_with_their_state(guard, serve, aws, tmp_path):
    _built, state, fp, ts = https_alert(guard, aws, tmp_path)
    served = serve(state)
    assert served.post(block_actions("guard_snooze_4h", fp, MALLORY, ts))[0] == 200
    deadline = time.monotonic() + 30
    while not SqliteHistory(served.history).get(fp).snoozed_until and time.monotonic() < deadline:
        time.sleep(0.1)
    command = urllib.parse.urlencode(
        {
            "token": "legacyverificationtoken",
            "team_id": "T0000",
            "team_domain": "example",
            "channel_id": "C0ALERTS",
            "channel_name": "alerts",
            "user_id": MALLORY,
            "user_name": "mallory",
            "command": "/guard",
            "text": "status",
            "api_app_id": "A0GUARD",
            "response_url": "https://hooks.slack.com/commands/T0000/1/unused",
            "trigger_id": "5555.6666.abcdef",
        }
    ).encode()
    status, text = served.post(command)
    assert status == 200
    answer = json.loads(text)
    assert answer["response_type"] == "ephemeral"
    assert fp in answer["text"] and "snoozed until" in answer["text"], answer


def test_accept_as_intended_from_the_modal(guard, serve, aws, tmp_path):
    _built, state, fp, ts = https_alert(guard, aws, tmp_path)
    served = serve(state)
    assert served.post(block_actions("guard_accept", fp, MALLORY, ts))[0] == 200
    served.wait_for(ts, "not an approver")
    assert served.slack.views == []
    assert served.post(block_actions("guard_accept", fp, BOB, ts))[0] == 200  # a member of S0SRE
    deadline = time.monotonic() + 30
    while not served.slack.views and time.monotonic() < deadline:
        time.sleep(0.1)
    [opened] = served.slack.views
    assert opened["view"]["callback_id"] == "guard_accept_view"
    status, text = served.post(view_submission(opened["view"], BOB, "  ", "365"))
    assert status == 200 and json.loads(text)["response_action"] == "errors"  # the form stays open
    assert set(json.loads(text)["errors"]) == {"reason", "expiry"}
    status, text = served.post(view_submission(opened["view"], BOB, "the LB moved behind CloudFront", "30"))
    assert (status == 200 and text in ("", "{}")) or json.loads(text).get("response_action") is None
    reply = served.wait_for(ts, "Accepted as intended")
    assert "the LB moved behind CloudFront" in reply and "remove it from the code" in reply
    store = SqliteHistory(served.history)
    record = store.get(fp)
    assert record.accepted_until and record.accept_reason == "the LB moved behind CloudFront"
    left = datetime.fromisoformat(record.accepted_until) - datetime.now(timezone.utc)
    assert timedelta(days=29) < left <= timedelta(days=30)
    [decision] = store.decisions(fp)
    assert (decision.action, decision.user_id, decision.user_name) == ("accept", BOB, "Bob Builder")
    shown = guard("history", "--history", served.history)
    assert "accepted until" in shown.out and "Bob Builder" in shown.out


def test_a_disruptive_rollback_needs_two_different_approvers(guard, serve, aws, tmp_path):
    state, ctx = TerraformState(), {}
    vpc.build_volume(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    ec2 = aws.client("ec2", region_name=REGION)
    ec2.modify_volume(VolumeId=ctx["volume_id"], VolumeType="io2", Iops=4000)  # a retype
    assert guard(*alert_args(path, tmp_path / "h.sqlite3")).code == 2
    [record] = SqliteHistory(tmp_path / "h.sqlite3").findings()
    assert record.rollback == "disruptive"
    fp, ts = record.fingerprint, record.slack_ts
    served = serve(path)

    def volume_type() -> str:
        return str(ec2.describe_volumes(VolumeIds=[ctx["volume_id"]])["Volumes"][0]["VolumeType"])

    assert served.post(block_actions("guard_rollback", fp, ALICE, ts))[0] == 200
    served.wait_for(ts, "second approver")
    assert served.post(block_actions("guard_rollback", fp, ALICE, ts))[0] == 200
    served.wait_for(ts, "a second, different approver is needed")
    assert volume_type() == "io2"
    assert [d.action for d in SqliteHistory(served.history).decisions(fp)] == ["approve"]
    assert served.post(block_actions("guard_rollback", fp, BOB, ts))[0] == 200
    reply = served.wait_for(ts, "Rollback of")
    assert "*done*" in reply, reply
    assert volume_type() == "gp3"
    rows = SqliteHistory(served.history).decisions(fp)
    assert [(d.action, d.user_id) for d in rows] == [("approve", ALICE), ("rollback", BOB)]


class LambdaContext:
    function_name = "guard-slack"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:guard-slack"


def function_url_event(body: bytes, timestamp: int | None = None, **headers: str) -> dict[str, Any]:
    """A Lambda function URL event (payload format 2.0) for a signed Slack request."""
    stamp = int(time.time()) if timestamp is None else timestamp
    basis = b"v0:" + str(stamp).encode() + b":" + body
    signed = "v0=" + hmac.new(SIGNING_SECRET.encode(), basis, hashlib.sha256).hexdigest()
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/slack/events",
        "rawQueryString": "",
        "headers": {
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": str(stamp),
            "x-slack-signature": signed,
            "host": "abc123.lambda-url.us-east-1.on.aws",
            **headers,
        },
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "abc123",
            "domainName": "abc123.lambda-url.us-east-1.on.aws",
            "http": {
                "method": "POST",
                "path": "/slack/events",
                "protocol": "HTTP/1.1",
                "sourceIp": "3.1.2.9",
            },
            "requestId": "0f1e2d3c",
            "routeKey": "$default",
            "stage": "$default",
            "timeEpoch": stamp * 1000,
        },
        "body": body.decode(),
        "isBase64Encoded": False,
    }


def status_command(channel: str = "C0ALERTS") -> bytes:
    return urllib.parse.urlencode(
        {
            "token": "legacyverificationtoken",
            "team_id": "T0000",
            "team_domain": "example",
            "channel_id": channel,
            "channel_name": "alerts",
            "user_id": MALLORY,
            "user_name": "mallory",
            "command": "/guard",
            "text": "status",
            "api_app_id": "A0GUARD",
            "response_url": "https://hooks.slack.com/commands/T0000/1/unused",
            "trigger_id": "7777.8888.abcdef",
        }
    ).encode()


def test_the_lambda_entry_serves_the_same_app(guard, slack, aws, tmp_path, monkeypatch):
    from guard.alerting import slack_lambda

    _built, _state, fp, _ts = https_alert(guard, aws, tmp_path)
    monkeypatch.setattr(slack_lambda, "_HANDLER", None)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("GUARD_HISTORY", str(tmp_path / "h.sqlite3"))
    monkeypatch.setenv("GUARD_ROLLBACK_ROLE", ROLE)
    body = status_command()
    event = function_url_event(body)
    answer = slack_lambda.handler(json.loads(json.dumps(event)), LambdaContext())
    assert answer["statusCode"] == 200, answer
    text = json.loads(answer["body"])["text"]
    assert fp in text and "*new*" in text
    # The same signed request again: a replay, even when it claims to be Bolt's lazy re-invocation.
    replay = function_url_event(body, timestamp=int(event["headers"]["x-slack-request-timestamp"]))
    replay["headers"]["x-slack-bolt-lazy-only"] = "1"
    replay["headers"]["x-slack-bolt-lazy-function-name"] = "press"
    assert slack_lambda.handler(replay, LambdaContext())["statusCode"] == 401
    bad = function_url_event(body, **{"x-slack-signature": "v0=" + "0" * 64})
    assert slack_lambda.handler(bad, LambdaContext())["statusCode"] == 401
    stale = function_url_event(status_command("C0OTHER"), timestamp=int(time.time()) - 6 * 60)
    assert slack_lambda.handler(stale, LambdaContext())["statusCode"] == 401
    other = slack_lambda.handler(function_url_event(status_command("C0OTHER")), LambdaContext())
    assert json.loads(other["body"])["text"] == "No open findings for this channel's accounts."
    assert SqliteHistory(tmp_path / "h.sqlite3").decisions() == []


class AsyncInvoke:
    """Lambda's asynchronous Invoke, as Bolt's Lambda adapter calls it for a lazy listener:
    the payload is kept and delivered by the test, as AWS would deliver it to the function."""

    def __init__(self) -> None:
        self.payloads: list[dict[str, Any]] = []

    def invoke(self, FunctionName: str, InvocationType: str, Payload: str) -> dict[str, Any]:
        assert FunctionName == LambdaContext.invoked_function_arn and InvocationType == "Event"
        self.payloads.append(json.loads(Payload))
        return {"StatusCode": 202}


def test_on_lambda_a_button_is_acknowledged_then_run_by_the_self_invocation(
    guard, slack, aws, tmp_path, monkeypatch
):
    from guard.alerting import slack_lambda

    _built, _state, fp, ts = https_alert(guard, aws, tmp_path)
    monkeypatch.setattr(slack_lambda, "_HANDLER", None)
    secret = json.dumps({"SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_BOT_TOKEN": TOKEN})
    arn = aws.client("secretsmanager").create_secret(Name="change-guard/slack-app", SecretString=secret)[
        "ARN"
    ]
    monkeypatch.setenv("GUARD_SLACK_SECRET_ARN", arn)  # the two secrets off the function's configuration
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.setenv("GUARD_HISTORY", str(tmp_path / "h.sqlite3"))
    built = slack_lambda.handler(function_url_event(status_command()), LambdaContext())  # builds the app
    assert built["statusCode"] == 200, built
    invoke = AsyncInvoke()
    slack_lambda._HANDLER.app.listener_runner.lazy_listener_runner.lambda_client = invoke
    answer = slack_lambda.handler(
        function_url_event(block_actions("guard_acknowledge", fp, MALLORY, ts)), LambdaContext()
    )
    assert answer["statusCode"] == 200
    store = SqliteHistory(tmp_path / "h.sqlite3")
    assert store.decisions(fp) == []  # acknowledged to Slack; the work is the lazy invocation's
    [lazy] = invoke.payloads
    assert lazy["method"] == "NONE" and lazy["headers"]["x-slack-bolt-lazy-only"] == "1"
    assert slack_lambda.handler(lazy, LambdaContext())["statusCode"] == 200
    [decision] = store.decisions(fp)
    assert (decision.action, decision.user_id, decision.user_name) == ("acknowledge", MALLORY, "Mallory Moe")
    assert store.get(fp).acknowledged_at


def test_a_rollback_never_runs_with_the_reader_role_or_without_a_rollback_role(
    guard, serve, aws, tmp_path, monkeypatch
):
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    reader = tmp_path / "reader.toml"
    reader.write_text(f'[defaults]\nrole = "{ROLE}"\n' + CONFIG)
    refused = guard("serve", "--config", reader, "--port", "0")
    assert refused.code == 1 and "is the reader role" in refused.err
    assert len(refused.err.strip().splitlines()) == 1 and "Traceback" not in refused.err
    by_name = tmp_path / "by-name.toml"  # the reader role named by role name in an account
    by_name.write_text(
        CONFIG + '\n[[accounts]]\nid = "123456789012"\nrole = "guard-rollback"\nstates = ["t.tfstate"]\n'
    )
    refused = guard("serve", "--config", by_name, "--port", "0")
    assert refused.code == 1 and "is the reader role" in refused.err, refused.err

    built, state, fp, ts = https_alert(guard, aws, tmp_path)
    served = serve(state, CONFIG.replace(f'rollback_role = "{ROLE}"', ""))
    assert served.post(block_actions("guard_rollback", fp, ALICE, ts))[0] == 200
    assert "nothing done" in served.wait_for(ts, "no rollback role is set")
    _nothing_changed(served, aws, built.lb_group_id, fp)


def test_the_permanent_change_is_the_hcl_diff_or_the_import_block():
    from guard.alerting.actions import permanent_change
    from guard.model import AwsCall, Change, Drift, DriftKind, Resource, RollbackStep, Severity
    from guard.remedy.offer import rollback_kind

    changed = Drift(
        kind=DriftKind.CHANGED,
        account="123456789012",
        region=REGION,
        type="aws_db_instance",
        id="db-1",
        address="module.data.aws_db_instance.main",
        title="changed",
        expected=Resource("aws_db_instance", "db-1", {}),
        changes=(
            Change("instance_class", "db.t3.micro", "db.t3.large"),
            Change("password", "(sensitive)", "(sensitive)"),
        ),
        severity=Severity.MEDIUM,
        rollback=(
            RollbackStep(
                "aws",
                "Set the class back",
                call=AwsCall(
                    "rds",
                    "modify_db_instance",
                    {"DBInstanceIdentifier": "db-1", "DBInstanceClass": "db.t3.micro"},
                ),
            ),
        ),
    )
    assert permanent_change(changed).splitlines() == [
        '  resource "aws_db_instance" "main" {',
        '-   instance_class = "db.t3.micro"',
        '+   instance_class = "db.t3.large"',
        '-   password = "(sensitive)"',
        '+   password = "(sensitive)"',
        "  }",
    ]
    assert rollback_kind(changed) == "disruptive"  # a class change restarts the instance
    block = 'import {\n  to = aws_instance.web\n  id = "i-1"\n}'
    unmanaged = Drift(
        kind=DriftKind.UNMANAGED,
        account="123456789012",
        region=REGION,
        type="aws_instance",
        id="i-1",
        address="",
        title="unmanaged",
        actual=Resource("aws_instance", "i-1", {}),
        severity=Severity.HIGH,
        rollback=(RollbackStep("import", "Adopt it", iac=block), RollbackStep("delete", "Delete it")),
    )
    assert permanent_change(unmanaged) == block
    assert rollback_kind(unmanaged) == ""


def test_a_rollback_of_a_finding_fixed_since_the_alert_is_stale_and_touches_nothing(
    guard, serve, aws, tmp_path
):
    """Fixed in AWS but not yet re-scanned: history still says open, the fresh read does not."""
    from tests.test_slack import restore_https_rule

    built, state, fp, ts = https_alert(guard, aws, tmp_path)
    restore_https_rule(aws, built.lb_group_id)
    served = serve(state)
    assert served.post(block_actions("guard_rollback", fp, ALICE, ts))[0] == 200
    assert "nothing done" in served.wait_for(ts, "no longer found as alerted")
    assert https_rules(aws, built.lb_group_id).count(443) == 1  # not authorised twice
    [row] = SqliteHistory(served.history).decisions(fp)
    assert (row.action, row.user_id, row.detail) == ("rollback", ALICE, "stale: nothing done")


def test_an_approval_older_than_the_window_does_not_count_toward_two(guard, slack, aws, tmp_path):
    """The listeners' library (guard.alerting.server.Actions) with a clock, the local Slack and moto."""
    from slack_sdk import WebClient

    from guard.alerting.actions import APPROVAL_WINDOW
    from guard.alerting.server import Actions, RollbackSetup, ServeSettings
    from guard.config import Approvers

    state, ctx = TerraformState(), {}
    vpc.build_volume(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    ec2 = aws.client("ec2", region_name=REGION)
    ec2.modify_volume(VolumeId=ctx["volume_id"], VolumeType="io2", Iops=4000)
    assert guard(*alert_args(path, tmp_path / "h.sqlite3")).code == 2
    store = SqliteHistory(tmp_path / "h.sqlite3")
    [record] = store.findings()
    start = datetime.now(timezone.utc)
    moment = [start]
    settings = ServeSettings(
        signing_secret=SIGNING_SECRET,
        token=TOKEN,
        store=store,
        approvers=Approvers(users=(ALICE,), usergroups=("S0SRE",)),
        rollback=RollbackSetup(states=(str(path),), regions=(REGION,), role_arn=ROLE),
        api_url=slack.api_url,
        clock=lambda: moment[0],
    )
    work = Actions(settings, WebClient(token=TOKEN, base_url=slack.api_url))

    def press(user: str) -> None:
        body = urllib.parse.parse_qs(
            block_actions("guard_rollback", record.fingerprint, user, record.slack_ts).decode()
        )
        work.rollback(json.loads(body["payload"][0]))

    def volume_type() -> str:
        return str(ec2.describe_volumes(VolumeIds=[ctx["volume_id"]])["Volumes"][0]["VolumeType"])

    press(ALICE)
    moment[0] = start + APPROVAL_WINDOW + timedelta(minutes=1)
    press(BOB)  # too late to pair with Alice's: Bob's is a new first approval
    assert volume_type() == "io2"
    assert [(d.action, d.user_id) for d in store.decisions(record.fingerprint)] == [
        ("approve", ALICE),
        ("approve", BOB),
    ]
    moment[0] += timedelta(minutes=5)
    press(ALICE)  # within the window of Bob's
    assert volume_type() == "gp3"
    assert [d.action for d in store.decisions(record.fingerprint)][-1] == "rollback"
    texts = [m["text"] for m in slack.messages() if m.get("thread_ts") == record.slack_ts]
    assert sum("within an hour" in t for t in texts) == 2 and "Rollback of" in texts[-1]
