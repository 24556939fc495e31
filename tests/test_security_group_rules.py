"""Security-group rules in all three Terraform forms: each deleted, each added to, edited in place."""

from __future__ import annotations

import socket

import pytest

from guard.demo import build_web_estate, delete_https_rule
from guard.demo.state import TerraformState, security_group_rule_attributes
from tests.cases.ec2 import build_vpc_rules

REGION = "us-east-1"


def scan(guard, state: TerraformState, tmp_path, *extra: str):
    path = state.write(tmp_path / "terraform.tfstate")
    result = guard("scan", "--state", path, "--region", REGION, "--format", "json", *extra)
    assert result.code in (0, 2, 3), result.err
    return result.code, result.json()


def summary(report):
    return [(f["kind"], f["type"], f["id"], f["address"]) for f in report["findings"]]


@pytest.fixture
def estate(aws):
    return build_web_estate(aws, REGION)


def test_web_estate_is_clean(guard, estate, tmp_path):
    code, report = scan(guard, estate.state, tmp_path)
    assert (code, report["findings"]) == (0, [])
    assert report["summary"]["coverage"] == {"managed": 8, "checked": 8}


def test_inline_rule_deleted(guard, aws, estate, tmp_path):
    delete_https_rule(aws, estate.lb_group_id)
    code, report = scan(guard, estate.state, tmp_path)
    assert code == 2
    assert summary(report) == [
        ("missing", "aws_security_group", estate.lb_group_id, "module.edge.aws_security_group.lb")
    ]
    finding = report["findings"][0]
    assert finding["title"] == (
        "module.edge.aws_security_group.lb: ingress tcp/443 from 0.0.0.0/0 was deleted outside Terraform"
    )
    assert finding["severity"] == "high"
    cli = next(step["cli"] for step in finding["rollback"] if step["kind"] == "aws")
    assert cli.startswith(
        f"aws ec2 authorize-security-group-ingress --region {REGION} --group-id {estate.lb_group_id}"
    )
    iac = next(step["iac"] for step in finding["rollback"] if step["kind"] == "iac")
    assert iac == "terraform apply -target=module.edge.aws_security_group.lb"


def test_rule_added_to_inline_group(guard, aws, estate, tmp_path):
    ec2 = aws.client("ec2", region_name=REGION)
    added = ec2.authorize_security_group_ingress(
        GroupId=estate.lb_group_id,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "203.0.113.7/32"}]}
        ],
    )["SecurityGroupRules"][0]["SecurityGroupRuleId"]
    _, report = scan(guard, estate.state, tmp_path)
    assert summary(report) == [
        ("unmanaged", "aws_vpc_security_group_ingress_rule", added, "module.edge.aws_security_group.lb")
    ]
    finding = report["findings"][0]
    assert "ingress tcp/22 from 203.0.113.7/32 was added outside Terraform" in finding["title"]
    cli = next(step["cli"] for step in finding["rollback"] if step["kind"] == "aws")
    assert f"revoke-security-group-ingress --region {REGION} --group-id {estate.lb_group_id}" in cli
    assert f"--security-group-rule-ids {added}" in cli


def test_standalone_rule_deleted_is_owned_by_the_rule_resource(guard, aws, estate, tmp_path):
    ec2 = aws.client("ec2", region_name=REGION)
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [estate.app_group_id]}])
    from_lb = next(r["SecurityGroupRuleId"] for r in rules["SecurityGroupRules"] if r.get("FromPort") == 8080)
    ec2.revoke_security_group_ingress(GroupId=estate.app_group_id, SecurityGroupRuleIds=[from_lb])
    _, report = scan(guard, estate.state, tmp_path)
    assert summary(report) == [
        ("missing", "aws_security_group_rule", from_lb, "module.app.aws_security_group_rule.from_lb")
    ]
    assert f"ingress tcp/8080 from {estate.lb_group_id} was deleted" in report["findings"][0]["title"]


def test_rule_added_to_group_with_standalone_rules(guard, aws, estate, tmp_path):
    ec2 = aws.client("ec2", region_name=REGION)
    ec2.authorize_security_group_ingress(
        GroupId=estate.app_group_id,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 9000,
                "ToPort": 9100,
                "Ipv6Ranges": [{"CidrIpv6": "2001:db8::/64"}],
            }
        ],
    )
    _, report = scan(guard, estate.state, tmp_path)
    assert [(f["kind"], f["address"]) for f in report["findings"]] == [
        ("unmanaged", "module.app.aws_security_group.app")
    ]
    assert "ingress tcp/9000-9100 from 2001:db8::/64 was added" in report["findings"][0]["title"]


def test_vpc_rule_resource_added_to(guard, aws, tmp_path):
    state, ctx = TerraformState(), {}
    build_vpc_rules(aws, state, ctx)
    aws.client("ec2", region_name=REGION).authorize_security_group_egress(
        GroupId=ctx["group_id"],
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    _, report = scan(guard, state, tmp_path)
    assert [(f["kind"], f["type"], f["address"]) for f in report["findings"]] == [
        ("unmanaged", "aws_vpc_security_group_egress_rule", "aws_security_group.api")
    ]
    assert "egress all traffic to 0.0.0.0/0 was added" in report["findings"][0]["title"]


def test_rule_edited_in_place_is_one_change(guard, aws, estate, tmp_path):
    """The console's "Edit inbound rules" keeps the rule id and changes its source."""
    ec2 = aws.client("ec2", region_name=REGION)
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [estate.lb_group_id]}])
    https = next(r for r in rules["SecurityGroupRules"] if r.get("FromPort") == 443)
    ec2.modify_security_group_rules(
        GroupId=estate.lb_group_id,
        SecurityGroupRules=[
            {
                "SecurityGroupRuleId": https["SecurityGroupRuleId"],
                "SecurityGroupRule": {
                    "IpProtocol": "tcp",
                    "FromPort": 443,
                    "ToPort": 443,
                    "CidrIpv4": "203.0.113.7/32",
                    "Description": "HTTPS from anywhere",
                },
            }
        ],
    )
    _, report = scan(guard, estate.state, tmp_path)
    assert summary(report) == [
        ("changed", "aws_security_group", https["SecurityGroupRuleId"], "module.edge.aws_security_group.lb")
    ]
    finding = report["findings"][0]
    assert finding["changes"] == [{"path": "cidr_ipv4", "expected": "0.0.0.0/0", "actual": "203.0.113.7/32"}]
    assert (
        "ingress tcp/443 from 0.0.0.0/0 was changed to ingress tcp/443 from 203.0.113.7/32"
        in finding["title"]
    )
    assert any("modify-security-group-rules" in (s["cli"] or "") for s in finding["rollback"])


def test_rule_description_changed(guard, aws, estate, tmp_path):
    aws.client("ec2", region_name=REGION).update_security_group_rule_descriptions_ingress(
        GroupId=estate.lb_group_id,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 80,
                "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "temporary"}],
            }
        ],
    )
    _, report = scan(guard, estate.state, tmp_path)
    assert [(f["kind"], [c["path"] for c in f["changes"]]) for f in report["findings"]] == [
        ("changed", ["description"])
    ]


def test_one_of_several_sources_deleted(guard, aws, estate, tmp_path):
    """One aws_security_group_rule with two CIDRs is two AWS rules; losing one is one finding."""
    ec2 = aws.client("ec2", region_name=REGION)
    ec2.authorize_security_group_ingress(
        GroupId=estate.app_group_id,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "10.0.0.0/8"}, {"CidrIp": "192.168.0.0/16"}],
            }
        ],
    )
    estate.state.add(
        "aws_security_group_rule",
        "ssh",
        security_group_rule_attributes(
            "ingress", estate.app_group_id, "tcp", 22, 22, cidr_blocks=("10.0.0.0/8", "192.168.0.0/16")
        ),
        module="module.app",
    )
    _, clean = scan(guard, estate.state, tmp_path)
    assert clean["findings"] == []
    ec2.revoke_security_group_ingress(
        GroupId=estate.app_group_id,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "192.168.0.0/16"}]}
        ],
    )
    _, report = scan(guard, estate.state, tmp_path)
    assert [f["title"] for f in report["findings"]] == [
        "module.app.aws_security_group_rule.ssh: ingress tcp/22 from 192.168.0.0/16"
        " was deleted outside Terraform"
    ]


def test_default_group_and_default_vpc_are_not_unmanaged(guard, aws, estate, tmp_path):
    ec2 = aws.client("ec2", region_name=REGION)
    default_group = ec2.describe_security_groups(
        Filters=[{"Name": "group-name", "Values": ["default"]}, {"Name": "vpc-id", "Values": [estate.vpc_id]}]
    )["SecurityGroups"][0]["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=default_group,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )
    code, report = scan(guard, estate.state, tmp_path)
    assert (code, report["findings"]) == (0, [])


def test_resources_in_regions_not_scanned_are_not_missing(guard, estate, tmp_path):
    path = estate.state.write(tmp_path / "terraform.tfstate")
    result = guard("scan", "--state", path, "--region", "eu-west-1", "--format", "json")
    report = result.json()
    assert result.code == 0
    assert report["findings"] == []
    assert report["summary"]["out_of_scope"] > 0


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreadable_service_makes_the_scan_incomplete(guard, aws, estate, tmp_path, monkeypatch):
    delete_https_rule(aws, estate.lb_group_id)
    monkeypatch.setenv("AWS_ENDPOINT_URL_EC2", f"http://127.0.0.1:{_closed_port()}")
    code, report = scan(guard, estate.state, tmp_path, "--max-attempts", "1")
    assert code == 3
    assert report["complete"] is False
    assert report["findings"] == []
    assert {n["type"] for n in report["summary"]["not_checked"]} >= {"aws_security_group", "aws_instance"}
    console = guard(
        "scan", "--state", tmp_path / "terraform.tfstate", "--region", REGION, "--max-attempts", "1"
    )
    assert console.code == 3
    assert "INCOMPLETE" in console.out and "No drift" not in console.out


def test_deleted_group_is_one_finding_not_one_per_rule(guard, aws, estate, tmp_path):
    ec2 = aws.client("ec2", region_name=REGION)
    for instance_id in estate.instance_ids:
        ec2.terminate_instances(InstanceIds=[instance_id])
    ec2.delete_security_group(GroupId=estate.app_group_id)
    _, report = scan(guard, estate.state, tmp_path)
    assert sorted((f["kind"], f["address"]) for f in report["findings"]) == [
        ("missing", 'module.app.aws_instance.web["a"]'),
        ("missing", 'module.app.aws_instance.web["b"]'),
        ("missing", "module.app.aws_security_group.app"),
    ]
