"""Case for the classic load balancer (aws_elb) in a VPC, its network declared too.

State attributes are the AWS provider 5.x shape. moto lists no availability zones for a
load balancer in a VPC (AWS lists the subnets' zones); availability_zones is not compared.
"""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState, security_group_attributes, subnet_attributes, vpc_attributes
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import REGION, account, client

HEALTH_CHECK = {
    "Target": "HTTP:8080/health",
    "Interval": 30,
    "Timeout": 5,
    "HealthyThreshold": 10,
    "UnhealthyThreshold": 2,
}


def elb_attributes(live: dict[str, Any], attributes: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    check = live["HealthCheck"]
    draining = attributes.get("ConnectionDraining") or {}
    return {
        "access_logs": [],
        "arn": f"arn:aws:elasticloadbalancing:{REGION}:123456789012:loadbalancer/{live['LoadBalancerName']}",
        "availability_zones": [f"{REGION}a"],
        "connection_draining": bool(draining.get("Enabled")),
        "connection_draining_timeout": draining.get("Timeout", 300),
        "cross_zone_load_balancing": bool(attributes["CrossZoneLoadBalancing"]["Enabled"]),
        "desync_mitigation_mode": "defensive",
        "dns_name": live["DNSName"],
        "health_check": [
            {
                "healthy_threshold": check["HealthyThreshold"],
                "interval": check["Interval"],
                "target": check["Target"],
                "timeout": check["Timeout"],
                "unhealthy_threshold": check["UnhealthyThreshold"],
            }
        ],
        "id": live["LoadBalancerName"],
        "idle_timeout": attributes["ConnectionSettings"]["IdleTimeout"],
        "instances": [],
        "internal": live["Scheme"] == "internal",
        # Terraform keeps the protocols as written in the configuration.
        "listener": [
            {
                "instance_port": 8080,
                "instance_protocol": "http",
                "lb_port": 80,
                "lb_protocol": "http",
                "ssl_certificate_id": "",
            }
        ],
        "name": live["LoadBalancerName"],
        "name_prefix": None,
        "security_groups": list(live["SecurityGroups"]),
        "source_security_group": "123456789012/default",
        "source_security_group_id": live["SecurityGroups"][0],
        "subnets": list(live["Subnets"]),
        "tags": dict(tags),
        "tags_all": dict(tags),
        "zone_id": "Z35SXDOTRQ7X7K",
    }


def _network(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ec2, acct = client(session, "ec2"), account(session)
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]
    state.add("aws_vpc", "legacy", vpc_attributes(vpc, acct, REGION))
    subnet = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.7.1.0/24", AvailabilityZone=f"{REGION}a")[
        "Subnet"
    ]
    state.add("aws_subnet", "legacy", subnet_attributes(subnet, acct))
    group_id = ec2.create_security_group(GroupName="legacy-lb", Description="lb", VpcId=vpc["VpcId"])[
        "GroupId"
    ]
    ec2.revoke_security_group_egress(
        GroupId=group_id, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    state.add("aws_security_group", "legacy_lb", security_group_attributes(group, acct, REGION, [], []))
    ctx.update(subnet_id=subnet["SubnetId"], group_id=group_id)


def _create(session: boto3.Session, ctx: Context, name: str, tags: dict[str, str]) -> None:
    elb = client(session, "elb")
    elb.create_load_balancer(
        LoadBalancerName=name,
        Listeners=[
            {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 8080}
        ],
        Subnets=[ctx["subnet_id"]],
        SecurityGroups=[ctx["group_id"]],
        **({"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]} if tags else {}),
    )
    elb.configure_health_check(LoadBalancerName=name, HealthCheck=HEALTH_CHECK)


def build_elb(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    _network(session, state, ctx)
    _create(session, ctx, "legacy", {"Team": "edge"})
    elb = client(session, "elb")
    live = elb.describe_load_balancers(LoadBalancerNames=["legacy"])["LoadBalancerDescriptions"][0]
    attributes = elb.describe_load_balancer_attributes(LoadBalancerName="legacy")["LoadBalancerAttributes"]
    ctx["elb_name"] = "legacy"
    state.add("aws_elb", "legacy", elb_attributes(live, attributes, {"Team": "edge"}))


def _new_elb(session: boto3.Session, ctx: Context) -> str:
    _create(session, ctx, "adhoc", {})
    return "adhoc"


CASES = [
    TypeCase(
        "aws_elb",
        build=build_elb,
        # Someone points the health check at a page that always answers, hiding a dead backend.
        drift=lambda s, c: client(s, "elb").configure_health_check(
            LoadBalancerName=c["elb_name"], HealthCheck={**HEALTH_CHECK, "Target": "TCP:8080"}
        ),
        expected=Expected("changed", "aws_elb", "elb_name", "aws_elb.legacy", paths=("health_check.target",)),
        unmanaged=_new_elb,
        unmanaged_type="aws_elb",
    ),
]
