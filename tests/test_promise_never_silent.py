"""Promise: never say "clean" when something was not checked.

Four faults, each injected by tests/faultyaws.py in front of moto: AccessDenied on one
service, throttling that outlasts the retries, connections dropped mid-scan, and a
region that is not enabled. Each run must exit 3, and every output (console, JSON, the
Slack alert, the Markdown of `check-plan --live`) must name what was not checked.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import botocore.session
import pytest

from guard.aws import Clients
from guard.demo import build_web_estate, delete_https_rule
from guard.demo.state import TerraformState
from guard.live import REGISTRY
from tests import test_estate as estate
from tests.faultyaws import ACCESS_DENIED, DROPPED, THROTTLED, FaultyAws, region_disabled
from tests.slackapi import SlackApi

REGION = "us-east-1"
DISABLED = "ap-east-1"
PLAN = Path(__file__).parent / "plans" / "inline-443-removed.json"


@dataclass(frozen=True)
class Scenario:
    name: str
    unread: tuple[str, ...]  # types that must be named as not checked
    extra_args: tuple[str, ...] = ()


SCENARIOS = {
    "access-denied": Scenario("access-denied", ("aws_db_instance", "aws_db_subnet_group")),
    "throttled": Scenario("throttled", ("aws_sns_topic",)),
    "dropped": Scenario("dropped", ("aws_dynamodb_table",)),
    "region-disabled": Scenario("region-disabled", ("aws_vpc", "aws_instance"), ("--region", DISABLED)),
}


def _signing_name(service: str) -> str:
    model = botocore.session.get_session().get_service_model(service)
    return str(model.signing_name or model.endpoint_prefix)


def _faults(name: str) -> dict:  # type: ignore[type-arg]
    if name == "access-denied":
        return {("rds", "*"): ACCESS_DENIED}
    if name == "throttled":
        return {("sns", "*"): THROTTLED}
    if name == "dropped":
        return {("dynamodb", "*"): DROPPED}
    services = {d.service for d in REGISTRY.types.values()} | {"sts"}
    return {(_signing_name(s), DISABLED): region_disabled(s) for s in services}


@pytest.fixture
def estate_paths(aws, tmp_path) -> tuple[list[Path], str]:
    web = build_web_estate(aws, REGION)
    platform = TerraformState()
    estate._database(aws, platform, web.subnet_ids)
    aws.client("s3", region_name=REGION).create_bucket(Bucket="acme-prod-audit")  # the trail's bucket
    estate._data(aws, platform)
    delete_https_rule(aws, web.lb_group_id, REGION)
    paths = [web.state.write(tmp_path / "web.tfstate"), platform.write(tmp_path / "platform.tfstate")]
    return paths, os.environ["AWS_ENDPOINT_URL"]


@pytest.fixture
def front(estate_paths, monkeypatch) -> Iterator[FaultyAws]:
    _, moto_url = estate_paths
    faulty = FaultyAws(moto_url).start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", faulty.url)
    yield faulty
    faulty.stop()


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_a_fault_makes_every_output_name_what_was_not_checked(
    name, estate_paths, front, guard, httpserver, tmp_path, monkeypatch
):
    scenario = SCENARIOS[name]
    front.faults.update(_faults(name))
    paths, _ = estate_paths
    args = [a for p in paths for a in ("--state", p)] + ["--region", REGION, *scenario.extra_args]
    monkeypatch.setenv("GUARD_MAX_ATTEMPTS", "2")

    as_json = guard("scan", *args, "--format", "json")
    assert as_json.code == 3, as_json.err
    report = as_json.json()
    assert report["complete"] is False
    unread = {n["type"] for n in report["summary"]["not_checked"]}
    assert set(scenario.unread) <= unread, unread
    assert any(f["type"] == "aws_security_group" for f in report["findings"]), (
        "what was read is still reported"
    )

    console = guard("scan", *args)
    assert console.code == 3
    for type_name in scenario.unread:
        assert type_name in console.out, f"console does not name {type_name}"

    slack = SlackApi(httpserver).start()
    monkeypatch.setenv("GUARD_SLACK_WEBHOOK_URL", slack.webhook_url)
    alerted = guard(
        "scan", *args, "--notify", "slack", "--history", tmp_path / "history.sqlite3", "--format", "json"
    )
    assert alerted.code == 3, alerted.err
    posted = json.dumps([p.body for p in slack.posts])
    for type_name in scenario.unread:
        assert type_name in posted, f"the Slack alert does not name {type_name}"

    if name != "region-disabled":  # the plan touches us-east-1 only
        # This plan also breaks a rule: blocked (exit 2) outranks incomplete, and both are said.
        markdown = guard("check-plan", PLAN, "--live", "--format", "markdown")
        assert markdown.code == 2, markdown.err
        assert "Not checked against live AWS" in markdown.out
        for type_name in scenario.unread:
            assert type_name in markdown.out, f"check-plan's Markdown does not name {type_name}"


def test_retries_are_adaptive_and_attempts_configurable(monkeypatch):
    assert Clients(max_attempts=5).config.retries == {"mode": "adaptive", "max_attempts": 5}
