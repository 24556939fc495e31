"""An alarm that can no longer page anyone is ranked by the built-in pack (GUARD-CW-001)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from guard.demo.state import TerraformState
from tests.cases.observability import build_alarm
from tests.cases.services import REGION, client


def _only_finding(guard: Any, state: TerraformState, tmp_path: Path) -> dict[str, Any]:
    path = state.write(tmp_path / "terraform.tfstate")
    result = guard("scan", "--state", path, "--region", REGION, "--format", "json")
    assert result.code == 2, result.err
    findings = result.json()["findings"]
    assert len(findings) == 1, [f["title"] for f in findings]
    return dict(findings[0])


def test_an_alarm_whose_actions_were_disabled_is_ranked_high(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_alarm(aws, state, ctx)
    client(aws, "cloudwatch").disable_alarm_actions(AlarmNames=[ctx["alarm"]])
    finding = _only_finding(guard, state, tmp_path)
    assert [c["path"] for c in finding["changes"]] == ["actions_enabled"]
    assert (finding["severity"], finding["rule_ids"]) == ("high", ["GUARD-CW-001"])


def test_an_alarm_whose_only_action_was_removed_is_ranked_high(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_alarm(aws, state, ctx)
    cloudwatch = client(aws, "cloudwatch")
    alarm = cloudwatch.describe_alarms(AlarmNames=[ctx["alarm"]])["MetricAlarms"][0]
    cloudwatch.put_metric_alarm(
        AlarmName=alarm["AlarmName"],
        AlarmDescription=alarm["AlarmDescription"],
        ActionsEnabled=True,
        AlarmActions=[],
        OKActions=alarm["OKActions"],
        MetricName=alarm["MetricName"],
        Namespace=alarm["Namespace"],
        Statistic=alarm["Statistic"],
        Dimensions=alarm["Dimensions"],
        Period=alarm["Period"],
        EvaluationPeriods=alarm["EvaluationPeriods"],
        DatapointsToAlarm=alarm["DatapointsToAlarm"],
        Threshold=alarm["Threshold"],
        ComparisonOperator=alarm["ComparisonOperator"],
        TreatMissingData=alarm["TreatMissingData"],
    )
    finding = _only_finding(guard, state, tmp_path)
    assert [c["path"] for c in finding["changes"]] == ["alarm_actions"]
    assert (finding["severity"], finding["rule_ids"]) == ("high", ["GUARD-CW-001"])
