"""`--service`: a scan or rollback that reads only some services says so, compares only
those services' types, and never calls another service's open finding resolved."""

from __future__ import annotations

from guard.alerting.history import open_history
from guard.demo import build_web_estate, delete_https_rule
from guard.live import REGISTRY

REGION = "us-east-1"


def _types_of(service: str) -> list[str]:
    return sorted(name for name, d in REGISTRY.types.items() if d.service == service)


def test_a_scan_of_other_services_neither_reads_nor_reports_the_edit(aws, guard, tmp_path):
    web = build_web_estate(aws, REGION)
    path = web.state.write(tmp_path / "web.tfstate")
    delete_https_rule(aws, web.lb_group_id, REGION)

    iam_only = guard("scan", "--state", path, "--region", REGION, "--service", "iam", "--format", "json")
    assert iam_only.code == 0, iam_only.err
    report = iam_only.json()
    assert report["findings"] == [] and report["complete"] is True
    assert report["summary"]["checked_types"] == _types_of("iam")
    assert any("only iam read (--service)" in note for note in report["notes"]), report["notes"]

    ec2 = guard("scan", "--state", path, "--region", REGION, "--service", "ec2", "--format", "json")
    assert ec2.code == 2, ec2.err
    found = ec2.json()
    assert found["summary"]["checked_types"] == _types_of("ec2")
    assert found["findings"], "the deleted 443 rule is EC2's, and EC2 was read"
    assert {REGISTRY.types[f["type"]].service for f in found["findings"]} == {"ec2"}

    console = guard("scan", "--state", path, "--region", REGION, "--service", "iam")
    assert "only iam read (--service)" in console.out


def test_an_unknown_service_is_one_clear_line(aws, guard, tmp_path):
    web = build_web_estate(aws, REGION)
    path = web.state.write(tmp_path / "web.tfstate")
    result = guard("scan", "--state", path, "--region", REGION, "--service", "ec3")
    assert result.code == 1
    assert result.err.startswith("guard: error: --service: ec3 is not a service guard reads")
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    rolled = guard("rollback", "--state", path, "--region", REGION, "--service", "ec3")
    assert rolled.code == 1 and "ec3 is not a service guard reads" in rolled.err


def test_a_narrowed_scan_leaves_other_services_findings_open(aws, guard, tmp_path):
    web = build_web_estate(aws, REGION)
    path = web.state.write(tmp_path / "web.tfstate")
    history = tmp_path / "history.sqlite3"
    delete_https_rule(aws, web.lb_group_id, REGION)

    full = guard("scan", "--state", path, "--region", REGION, "--history", history, "--format", "json")
    assert full.code == 2, full.err
    opened = {r.fingerprint for r in open_history(str(history)).findings(status="open")}
    assert opened

    iam_only = ("--service", "iam", "--history", history, "--format", "json")
    narrowed = guard("scan", "--state", path, "--region", REGION, *iam_only)
    assert narrowed.code == 0, narrowed.err
    still_open = {r.fingerprint for r in open_history(str(history)).findings(status="open")}
    assert still_open == opened, "a scan that did not read EC2 must not resolve an EC2 finding"


def test_rollback_reads_only_the_named_services(aws, guard, tmp_path):
    web = build_web_estate(aws, REGION)
    path = web.state.write(tmp_path / "web.tfstate")
    delete_https_rule(aws, web.lb_group_id, REGION)
    iam_only = guard("rollback", "--state", path, "--region", REGION, "--service", "iam", "--format", "json")
    assert iam_only.code == 0, iam_only.err
    assert iam_only.json()["findings"] == []
    ec2 = guard("rollback", "--state", path, "--region", REGION, "--service", "ec2", "--format", "json")
    assert ec2.json()["findings"], ec2.out


def test_a_standalone_rule_is_read_with_its_service(aws, guard, tmp_path):
    """aws_security_group_rule is compared as the rules it expands into, EC2's own types."""
    web = build_web_estate(aws, REGION)
    path = web.state.write(tmp_path / "web.tfstate")
    ec2 = aws.client("ec2", region_name=REGION)
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [web.app_group_id]}])
    from_lb = next(r["SecurityGroupRuleId"] for r in rules["SecurityGroupRules"] if r.get("FromPort") == 8080)
    ec2.revoke_security_group_ingress(GroupId=web.app_group_id, SecurityGroupRuleIds=[from_lb])

    found = guard("scan", "--state", path, "--region", REGION, "--service", "ec2", "--format", "json").json()
    assert [(f["kind"], f["address"]) for f in found["findings"]] == [
        ("missing", "module.app.aws_security_group_rule.from_lb")
    ]
    elbv2 = ("--service", "elbv2", "--format", "json")
    other = guard("scan", "--state", path, "--region", REGION, *elbv2).json()
    assert other["findings"] == [] and other["summary"]["unsupported_types"] == {}
