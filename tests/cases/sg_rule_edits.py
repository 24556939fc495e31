"""Security-group rules edited in place, and an egress rule added: the rule kinds the
EC2 cases leave out, so that every drift kind with a direct reversal is proven."""

from __future__ import annotations

import boto3

from tests.cases import Context, Expected, TypeCase
from tests.cases.ec2 import REGION, build_vpc_rules


def _ec2(session: boto3.Session):  # type: ignore[no-untyped-def]
    return session.client("ec2", region_name=REGION)


def _edit_port(session: boto3.Session, ctx: Context, kind: str, rule: dict) -> None:
    _ec2(session).modify_security_group_rules(
        GroupId=ctx["group_id"],
        SecurityGroupRules=[{"SecurityGroupRuleId": ctx[f"{kind}_rule_id"], "SecurityGroupRule": rule}],
    )


def _add_egress(session: boto3.Session, ctx: Context) -> str:
    response = _ec2(session).authorize_security_group_egress(
        GroupId=ctx["group_id"],
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 25, "ToPort": 25, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )
    return str(response["SecurityGroupRules"][0]["SecurityGroupRuleId"])


CASES = [
    TypeCase(
        "aws_vpc_security_group_ingress_rule",
        build=build_vpc_rules,
        # Someone "just widened" the port in the console: same rule id, new port.
        drift=lambda s, c: _edit_port(
            s,
            c,
            "ingress",
            {
                "IpProtocol": "tcp",
                "FromPort": 9443,
                "ToPort": 9443,
                "CidrIpv4": "10.0.0.0/8",
                "Description": "internal",
            },
        ),
        expected=Expected(
            "changed",
            "aws_vpc_security_group_ingress_rule",
            "ingress_rule_id",
            "aws_vpc_security_group_ingress_rule.ingress",
            paths=("from_port", "to_port"),
            title_has="ingress tcp/8443 from 10.0.0.0/8 was changed to ingress tcp/9443 from 10.0.0.0/8",
        ),
    ),
    TypeCase(
        "aws_vpc_security_group_egress_rule",
        build=build_vpc_rules,
        drift=lambda s, c: _edit_port(
            s,
            c,
            "egress",
            {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIpv4": "0.0.0.0/0"},
        ),
        expected=Expected(
            "changed",
            "aws_vpc_security_group_egress_rule",
            "egress_rule_id",
            "aws_vpc_security_group_egress_rule.egress",
            paths=("cidr_ipv4",),
            title_has="egress tcp/5432 to 10.1.0.0/16 was changed to egress tcp/5432 to 0.0.0.0/0",
        ),
        unmanaged=_add_egress,
        unmanaged_type="aws_vpc_security_group_egress_rule",
    ),
]
