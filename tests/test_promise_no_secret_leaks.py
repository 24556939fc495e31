"""Promise: no secret leaks, HTML reports and metrics included. Canary secrets are seeded
into a Terraform state (sensitive attributes and outputs), a plan (`after_sensitive`,
sensitive variables), a Pulumi stack (secrets), the Slack token and the webhook URL; every
command in every output format, errors and `--debug` logs (every log record, botocore's and
slack-sdk's too) included, is run and no canary may appear in its standard output, standard
error, written files, the Slack messages or the history database.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from guard.demo import build_web_estate, delete_https_rule
from tests.pulumi_estate import plaintext, web_estate_export
from tests.slackapi import WEBHOOK_PATH, SlackApi

REGION = "us-east-1"
STATE_CANARY = "canary-state-5f1e0b"
OUTPUT_CANARY = "canary-output-77aa01"
PLAN_CANARY = "canary-plan-c0ffee"
VARIABLE_CANARY = "canary-variable-9d2c"
PULUMI_CANARY = "canary-pulumi-4b4b4b"
TOKEN_CANARY = "xoxb-canary-token-31337"
WEBHOOK_CANARY = "canaryhookAbC123"
CANARIES = (
    STATE_CANARY,
    OUTPUT_CANARY,
    PLAN_CANARY,
    VARIABLE_CANARY,
    PULUMI_CANARY,
    TOKEN_CANARY,
    WEBHOOK_CANARY,
)
PLANS = Path(__file__).parent / "plans"


def _secret_state(estate: Any, folder: Path) -> Path:
    """The web estate's state, its VPC tags set from a sensitive variable, and an output."""
    document = estate.state.document()
    for block in document["resources"]:
        if block["type"] == "aws_vpc":
            instance = block["instances"][0]
            for key in ("tags", "tags_all"):
                instance["attributes"][key]["Token"] = STATE_CANARY
            instance["sensitive_attributes"] = [[{"type": "get_attr", "value": "tags"}]]
    document["outputs"]["db_password"] = {"value": OUTPUT_CANARY, "type": "string", "sensitive": True}
    path = folder / "terraform.tfstate"
    path.write_text(json.dumps(document))
    return path


def _secret_plan(folder: Path) -> Path:
    """A plan whose changed attributes and variables hold secrets, marked as Terraform marks them."""
    document = json.loads((PLANS / "inline-443-removed.json").read_text())
    document["variables"] = {"db_password": {"value": VARIABLE_CANARY}}
    for entry in document["resource_changes"]:
        change = entry["change"]
        if isinstance(change.get("after"), dict):
            change["after"]["tags"] = {**(change["after"].get("tags") or {}), "Token": PLAN_CANARY}
            change["after_sensitive"] = {**(change.get("after_sensitive") or {}), "tags": {"Token": True}}
        if isinstance(change.get("before"), dict):
            change["before"]["tags"] = {**(change["before"].get("tags") or {}), "Token": PLAN_CANARY + "-old"}
            change["before_sensitive"] = {**(change.get("before_sensitive") or {}), "tags": {"Token": True}}
    document["output_changes"] = {
        "db_password": {
            "actions": ["update"],
            "before": PLAN_CANARY,
            "after": PLAN_CANARY,
            "after_sensitive": True,
        }
    }
    path = folder / "plan.json"
    path.write_text(json.dumps(document))
    return path


def _secret_stack(session: Any, estate: Any, folder: Path) -> Path:
    export = web_estate_export(session, estate, REGION)
    for resource in export.resources:
        if resource.get("type") == "aws:ec2/vpc:Vpc":
            tags = {**resource["outputs"]["tags"], "Token": PULUMI_CANARY}
            resource["outputs"]["tags"] = plaintext(tags)
            resource["outputs"]["tagsAll"] = plaintext(
                {**resource["outputs"]["tagsAll"], "Token": PULUMI_CANARY}
            )
    path = folder / "stack.json"
    path.write_text(json.dumps(export.document()))
    return path


def _run(guard: Any, caplog: pytest.LogCaptureFixture, args: list[str]) -> tuple[int, str]:
    """One command, with --debug; its output, errors and every log record it made."""
    caplog.clear()
    result = guard("--debug", *args)
    logs = "\n".join(f"{r.name}: {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    return result.code, result.out + result.err + logs


@pytest.fixture
def seeded(aws, tmp_path, httpserver) -> dict[str, Any]:
    estate = build_web_estate(aws, REGION)
    state = _secret_state(estate, tmp_path)
    stack = _secret_stack(aws, estate, tmp_path)
    ec2 = aws.client("ec2", region_name=REGION)
    # The secret tag rotated in the console, and the 443 rule deleted: findings to print.
    ec2.create_tags(Resources=[estate.vpc_id], Tags=[{"Key": "Token", "Value": STATE_CANARY + "-rotated"}])
    delete_https_rule(aws, estate.lb_group_id, REGION)
    slack = SlackApi(httpserver).start()
    return {"state": state, "stack": stack, "plan": _secret_plan(tmp_path), "slack": slack}


def test_no_canary_in_any_output_log_message_or_file(seeded, tmp_path, guard, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    slack: SlackApi = seeded["slack"]
    state, stack, plan = str(seeded["state"]), str(seeded["stack"]), str(seeded["plan"])
    history = str(tmp_path / "history.sqlite3")
    webhook = slack.webhook_url.replace("webhookSECRETpart", WEBHOOK_CANARY)
    slack.server.expect_request(
        WEBHOOK_PATH.replace("webhookSECRETpart", WEBHOOK_CANARY), method="POST"
    ).respond_with_handler(slack._webhook)
    env = {
        "GUARD_SLACK_API_URL": slack.api_url,
        "SLACK_BOT_TOKEN": TOKEN_CANARY,
        "GUARD_SLACK_CHANNEL": "C0ALERTS",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    scan = ["scan", "--state", state, "--region", REGION]
    pulumi = ["scan", "--pulumi-stack", stack, "--region", REGION]
    runs: list[list[str]] = [
        [*scan],
        [*scan, "--format", "json", "--output", str(tmp_path / "report.json")],
        *[[*scan, "--format", f] for f in ("markdown", "sarif", "html")],
        [*scan, "--format", "html", "--output", str(tmp_path / "report.html")],
        [*scan, "--metrics-file", str(tmp_path / "guard.prom")],
        [*pulumi],
        [*pulumi, "--format", "json"],
        *[[*pulumi, "--format", f] for f in ("markdown", "sarif", "html")],
        [*scan, "--notify", "slack", "--history", history],  # token from SLACK_BOT_TOKEN
        [*pulumi, "--notify", "slack", "--history", history],
        [
            *scan,
            "--notify",
            "slack",
            "--slack-token",
            TOKEN_CANARY,
            "--history",
            str(tmp_path / "h1.sqlite3"),
        ],
        ["history", "--history", history],
        ["history", "--history", history, "--format", "json"],
        ["history", "--history", history, "--format", "html", "--output", str(tmp_path / "history.html")],
        ["history", "--history", history, "--summary"],
        [*scan, "--notify", "slack", "--history", history, "--metrics-file", str(tmp_path / "alerts.prom")],
        ["rollback", "--state", state, "--region", REGION],
        ["rollback", "--state", state, "--region", REGION, "--format", "json"],
        ["graph", "--state", state],
        ["on-event", "--state", state, "--event", str(tmp_path / "missing-event.json")],
        *[
            ["check-plan", plan, "--format", f]
            for f in ("console", "json", "markdown", "sarif", "github", "html")
        ],
        ["check-plan", plan, "--live", "--format", "json"],
        ["check-plan", state],  # an error: a state given as a plan
        ["scan", "--state", plan, "--region", REGION],  # an error: a plan given as a state
    ]
    seen: list[str] = []
    for args in runs:
        _, text = _run(guard, caplog, args)
        seen.append(text)  # not the command line: it holds the token given with --slack-token

    # Slack failing, then the webhook: errors and retries must not echo the URL or token.
    slack.down = True
    _, text = _run(guard, caplog, [*scan, "--notify", "slack", "--history", str(tmp_path / "h2.sqlite3")])
    seen.append(text)
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    monkeypatch.setenv("GUARD_SLACK_WEBHOOK_URL", webhook)
    _, text = _run(guard, caplog, [*scan, "--notify", "slack", "--history", str(tmp_path / "h3.sqlite3")])
    seen.append(text)
    slack.down = False
    _, text = _run(guard, caplog, [*scan, "--notify", "slack", "--history", str(tmp_path / "h4.sqlite3")])
    seen.append(text)
    bad = webhook.replace("http://", "htp://")
    _, text = _run(guard, caplog, [*scan, "--notify", "slack", "--slack-webhook", bad])
    seen.append(text)

    assert slack.posts, "the fake Slack received nothing: the Slack paths were not exercised"
    outputs = "\n".join(seen)
    assert "(sensitive)" in outputs, "the sensitive changes were not reported at all"
    posted = json.dumps([p.body for p in slack.posts])
    files = "\n".join(
        path.read_bytes().decode("utf-8", "replace")
        for path in tmp_path.rglob("*")
        if path.is_file() and path.name not in ("terraform.tfstate", "plan.json", "stack.json")
    )
    leaks = [
        (canary, where)
        for canary in CANARIES
        for where, text in (("output or log", outputs), ("Slack message", posted), ("written file", files))
        if canary in text
    ]
    assert leaks == [], _context(leaks, outputs + posted + files)


def _context(leaks: list[tuple[str, str]], text: str) -> str:
    canary = leaks[0][0]
    at = text.find(canary)
    return f"{leaks}: ...{text[max(0, at - 150) : at + 300]}..."
