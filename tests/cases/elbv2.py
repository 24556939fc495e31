"""Cases for ELBv2: a load balancer with a target group, an HTTP listener and one rule.

Every resource the build creates is in state, so a fresh scan must be silent.
"""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import (
    TerraformState,
    action_block,
    lb_attributes,
    listener_attributes,
    security_group_attributes,
    subnet_attributes,
    target_group_attributes,
    vpc_attributes,
)
from tests.cases import Context, Expected, TypeCase
from tests.support.network import condition_block, listener_rule_attributes

REGION = "us-east-1"
FIXED_404 = {"content_type": "text/plain", "message_body": "not here", "status_code": "404"}


def _ec2(session: boto3.Session) -> Any:
    return session.client("ec2", region_name=REGION)


def _elb(session: boto3.Session) -> Any:
    return session.client("elbv2", region_name=REGION)


def _account(session: boto3.Session) -> str:
    return str(session.client("sts", region_name=REGION).get_caller_identity()["Account"])


def _tags(session: boto3.Session, arn: str) -> dict[str, str]:
    described = _elb(session).describe_tags(ResourceArns=[arn])["TagDescriptions"][0]
    return {t["Key"]: t["Value"] for t in described["Tags"]}


def build_estate(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ec2, elb, account = _ec2(session), _elb(session), _account(session)
    vpc = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]
    ctx["vpc_id"] = vpc["VpcId"]
    state.add("aws_vpc", "edge", vpc_attributes(vpc, account, REGION))
    subnets = []
    for index, zone in enumerate(("a", "b")):
        subnet = ec2.create_subnet(
            VpcId=vpc["VpcId"], CidrBlock=f"10.3.{index}.0/24", AvailabilityZone=f"{REGION}{zone}"
        )["Subnet"]
        subnets.append(subnet["SubnetId"])
        state.add("aws_subnet", "public", subnet_attributes(subnet, account), index_key=index)
    ctx["subnet_ids"] = subnets
    group_id = ec2.create_security_group(GroupName="lb", Description="lb", VpcId=vpc["VpcId"])["GroupId"]
    ec2.revoke_security_group_egress(
        GroupId=group_id, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    state.add("aws_security_group", "lb", security_group_attributes(group, account, REGION, [], []))

    lb = elb.create_load_balancer(
        Name="edge", Subnets=subnets, SecurityGroups=[group_id], Tags=[{"Key": "Name", "Value": "edge"}]
    )["LoadBalancers"][0]
    ctx["lb_arn"] = lb["LoadBalancerArn"]
    attributes = elb.describe_load_balancer_attributes(LoadBalancerArn=lb["LoadBalancerArn"])["Attributes"]
    state.add(
        "aws_lb",
        "edge",
        lb_attributes(lb, {a["Key"]: a["Value"] for a in attributes}, _tags(session, lb["LoadBalancerArn"])),
    )

    group_tg = elb.create_target_group(
        Name="web", Protocol="HTTP", Port=80, VpcId=vpc["VpcId"], HealthCheckPath="/health"
    )["TargetGroups"][0]
    ctx["tg_arn"] = group_tg["TargetGroupArn"]
    state.add("aws_lb_target_group", "web", target_group_attributes(group_tg, {}))

    forward = [{"Type": "forward", "TargetGroupArn": ctx["tg_arn"]}]
    listener = elb.create_listener(
        LoadBalancerArn=ctx["lb_arn"], Protocol="HTTP", Port=80, DefaultActions=forward
    )["Listeners"][0]
    ctx["listener_arn"] = listener["ListenerArn"]
    state.add(
        "aws_lb_listener",
        "http",
        listener_attributes(listener, [action_block("forward", target_group_arn=ctx["tg_arn"])], {}),
    )

    rule = elb.create_rule(
        ListenerArn=ctx["listener_arn"],
        Priority=10,
        Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/old/*"]}}],
        Actions=[
            {
                "Type": "fixed-response",
                "FixedResponseConfig": {
                    "StatusCode": "404",
                    "ContentType": "text/plain",
                    "MessageBody": "not here",
                },
            }
        ],
    )["Rules"][0]
    ctx["rule_arn"] = rule["RuleArn"]
    state.add(
        "aws_lb_listener_rule",
        "old",
        listener_rule_attributes(
            rule,
            ctx["listener_arn"],
            [action_block("fixed-response", fixed_response=FIXED_404)],
            [condition_block(path_pattern=["/old/*"])],
            {},
        ),
    )


def _new_lb(session: boto3.Session, ctx: Context) -> str:
    return str(
        _elb(session).create_load_balancer(Name="adhoc", Subnets=ctx["subnet_ids"])["LoadBalancers"][0][
            "LoadBalancerArn"
        ]
    )


def _new_listener(session: boto3.Session, ctx: Context) -> str:
    return str(
        _elb(session).create_listener(
            LoadBalancerArn=ctx["lb_arn"],
            Protocol="HTTP",
            Port=8080,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": ctx["tg_arn"]}],
        )["Listeners"][0]["ListenerArn"]
    )


def _new_rule(session: boto3.Session, ctx: Context) -> str:
    return str(
        _elb(session).create_rule(
            ListenerArn=ctx["listener_arn"],
            Priority=20,
            Conditions=[{"Field": "host-header", "HostHeaderConfig": {"Values": ["admin.example.com"]}}],
            Actions=[{"Type": "forward", "TargetGroupArn": ctx["tg_arn"]}],
        )["Rules"][0]["RuleArn"]
    )


CASES = [
    TypeCase(
        "aws_lb",
        build=build_estate,
        drift=lambda s, c: _elb(s).modify_load_balancer_attributes(
            LoadBalancerArn=c["lb_arn"], Attributes=[{"Key": "deletion_protection.enabled", "Value": "true"}]
        ),
        expected=Expected(
            "changed", "aws_lb", "lb_arn", "aws_lb.edge", paths=("enable_deletion_protection",)
        ),
        unmanaged=_new_lb,
        unmanaged_type="aws_lb",
    ),
    TypeCase(
        "aws_lb_target_group",
        build=build_estate,
        drift=lambda s, c: _elb(s).modify_target_group(TargetGroupArn=c["tg_arn"], HealthCheckPath="/"),
        expected=Expected(
            "changed",
            "aws_lb_target_group",
            "tg_arn",
            "aws_lb_target_group.web",
            paths=("health_check.path",),
        ),
        unmanaged=lambda s, c: str(
            _elb(s).create_target_group(Name="adhoc", Protocol="HTTP", Port=8080, VpcId=c["vpc_id"])[
                "TargetGroups"
            ][0]["TargetGroupArn"]
        ),
        unmanaged_type="aws_lb_target_group",
    ),
    TypeCase(
        "aws_lb_listener",
        build=build_estate,
        # Someone points the listener at a maintenance page instead of the target group.
        drift=lambda s, c: _elb(s).modify_listener(
            ListenerArn=c["listener_arn"],
            DefaultActions=[
                {
                    "Type": "fixed-response",
                    "FixedResponseConfig": {"StatusCode": "503", "ContentType": "text/plain"},
                }
            ],
        ),
        expected=Expected(
            "changed", "aws_lb_listener", "listener_arn", "aws_lb_listener.http", paths=("default_action",)
        ),
        unmanaged=_new_listener,
        unmanaged_type="aws_lb_listener",
    ),
    TypeCase(
        "aws_lb_listener_rule",
        build=build_estate,
        drift=lambda s, c: _elb(s).modify_rule(
            RuleArn=c["rule_arn"],
            Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/legacy/*"]}}],
        ),
        expected=Expected(
            "changed", "aws_lb_listener_rule", "rule_arn", "aws_lb_listener_rule.old", paths=("condition",)
        ),
        unmanaged=_new_rule,
        unmanaged_type="aws_lb_listener_rule",
    ),
]
