"""The built-in pack ranks drift on every scan; standing violations count only with --rules.

Found on an estate: without `--rules`, an inline policy widened to `*` on `*` was medium, a
topic opened to everyone had no rule id, and a disabled key that volumes use was medium.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context
from tests.cases.iam import WIDE_OPEN, build_user_policy
from tests.cases.kms import build_key
from tests.cases.messaging import build_topic
from tests.cases.services import REGION, account, client
from tests.support.network import ebs_volume_attributes
from tests.support.services import kms_key_attributes


def _scan(guard: Any, state: TerraformState, tmp_path: Path, *flags: str) -> tuple[int, dict[str, Any]]:
    path = state.write(tmp_path / "terraform.tfstate")
    result = guard("scan", "--state", path, "--region", REGION, "--format", "json", *flags)
    assert result.code in (0, 2), result.err
    return result.code, result.json()


def _only_finding(report: dict[str, Any]) -> dict[str, Any]:
    assert len(report["findings"]) == 1, [f["title"] for f in report["findings"]]
    return dict(report["findings"][0])


def test_an_inline_policy_widened_to_everything_is_critical_without_rules(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_user_policy(aws, state, ctx)
    client(aws, "iam").put_user_policy(
        UserName="ci-deployer", PolicyName="deploy", PolicyDocument=json.dumps(WIDE_OPEN)
    )
    code, report = _scan(guard, state, tmp_path)
    finding = _only_finding(report)
    assert code == 2
    assert (finding["type"], finding["severity"]) == ("aws_iam_user_policy", "critical")
    assert finding["rule_ids"] == ["GUARD-IAM-001"]
    assert "violations" not in report  # ranking the drift reports no standing violation


def test_a_topic_opened_to_everyone_carries_its_rule_id(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_topic(aws, state, ctx)
    anyone = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "SNS:Publish", "Resource": ctx["topic_arn"]}
        ],
    }
    client(aws, "sns").set_topic_attributes(
        TopicArn=ctx["topic_arn"], AttributeName="Policy", AttributeValue=json.dumps(anyone)
    )
    _, report = _scan(guard, state, tmp_path)
    finding = _only_finding(report)
    assert [c["path"] for c in finding["changes"]] == ["policy"]
    assert (finding["severity"], finding["rule_ids"]) == ("critical", ["GUARD-SNS-001"])


def _volume_under_the_key(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_key(session, state, ctx)
    ec2 = client(session, "ec2")
    volume = ec2.create_volume(
        AvailabilityZone=f"{REGION}a", Size=20, VolumeType="gp3", Encrypted=True, KmsKeyId=ctx["key"]["Arn"]
    )
    live = ec2.describe_volumes(VolumeIds=[volume["VolumeId"]])["Volumes"][0]
    state.add("aws_ebs_volume", "data", ebs_volume_attributes(live, account(session), REGION))


def test_a_disabled_key_that_a_volume_uses_is_critical(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    _volume_under_the_key(aws, state, ctx)
    code, clean = _scan(guard, state, tmp_path)
    assert (code, clean["findings"]) == (0, [])

    client(aws, "kms").disable_key(KeyId=ctx["key_id"])
    _, report = _scan(guard, state, tmp_path)
    finding = _only_finding(report)
    assert (finding["type"], [c["path"] for c in finding["changes"]]) == ("aws_kms_key", ["is_enabled"])
    assert (finding["severity"], finding["rule_ids"]) == ("critical", ["GUARD-KMS-003"])


def test_a_disabled_key_nothing_uses_keeps_the_plain_severity(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_key(aws, state, ctx)
    client(aws, "kms").disable_key(KeyId=ctx["key_id"])
    _, report = _scan(guard, state, tmp_path)
    finding = _only_finding(report)
    assert (finding["severity"], finding["rule_ids"]) == ("medium", [])


def test_a_standing_violation_changes_the_exit_code_only_with_rules(aws, guard, tmp_path):
    """A key declared without rotation breaks GUARD-KMS-001, but nothing drifted."""
    kms = client(aws, "kms")
    key = kms.create_key(Description="Legacy")["KeyMetadata"]
    policy = json.loads(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"])
    state = TerraformState()
    state.add("aws_kms_key", "legacy", kms_key_attributes(key, policy, False))

    code, report = _scan(guard, state, tmp_path)
    assert (code, report["findings"]) == (0, [])
    assert "violations" not in report

    code, report = _scan(guard, state, tmp_path, "--rules", "builtin")
    assert code == 2
    assert [v["rule_id"] for v in report["violations"]] == ["GUARD-KMS-001"]
