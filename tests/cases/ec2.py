"""Cases for the EC2/VPC types: VPCs, subnets, security groups, their rules, instances."""

from __future__ import annotations

import boto3

from guard.demo.emulator import machine_image
from guard.demo.state import (
    TerraformState,
    instance_attributes,
    rule_block,
    security_group_attributes,
    subnet_attributes,
    vpc_attributes,
)
from tests.cases import Context, Expected, TypeCase
from tests.support.network import vpc_rule_attributes

REGION = "us-east-1"


def _ec2(session: boto3.Session):  # type: ignore[no-untyped-def]
    return session.client("ec2", region_name=REGION)


def _account(session: boto3.Session) -> str:
    return str(session.client("sts", region_name=REGION).get_caller_identity()["Account"])


def _name_tag(resource_type: str, name: str) -> list[dict]:
    return [{"ResourceType": resource_type, "Tags": [{"Key": "Name", "Value": name}]}]


def build_vpc(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    vpc = _ec2(session).create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=_name_tag("vpc", "main"))["Vpc"]
    ctx["vpc_id"] = vpc["VpcId"]
    state.add("aws_vpc", "main", vpc_attributes(vpc, _account(session), REGION))


def build_subnet(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_vpc(session, state, ctx)
    subnet = _ec2(session).create_subnet(
        VpcId=ctx["vpc_id"],
        CidrBlock="10.1.1.0/24",
        AvailabilityZone=f"{REGION}a",
        TagSpecifications=_name_tag("subnet", "private-a"),
    )["Subnet"]
    ctx["subnet_id"] = subnet["SubnetId"]
    state.add("aws_subnet", "private", subnet_attributes(subnet, _account(session)), index_key=0)


def _terraform_group(session: boto3.Session, name: str, vpc_id: str) -> dict:
    ec2 = _ec2(session)
    group_id = ec2.create_security_group(GroupName=name, Description=f"{name} group", VpcId=vpc_id)["GroupId"]
    ec2.revoke_security_group_egress(
        GroupId=group_id, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )
    return dict(ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0])


def build_group(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """A group with one inline ingress rule and one inline egress rule."""
    build_vpc(session, state, ctx)
    group = _terraform_group(session, "web", ctx["vpc_id"])
    ctx["group_id"] = group["GroupId"]
    _ec2(session).authorize_security_group_ingress(
        GroupId=group["GroupId"],
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )
    _ec2(session).authorize_security_group_egress(
        GroupId=group["GroupId"],
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    state.add(
        "aws_security_group",
        "web",
        security_group_attributes(
            group,
            _account(session),
            REGION,
            ingress=[rule_block("tcp", 443, 443, cidr_blocks=("0.0.0.0/0",))],
            egress=[rule_block("-1", 0, 0, cidr_blocks=("0.0.0.0/0",))],
        ),
    )


def build_vpc_rules(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """A group whose rules are aws_vpc_security_group_ingress_rule / _egress_rule resources."""
    build_vpc(session, state, ctx)
    ec2 = _ec2(session)
    group = _terraform_group(session, "api", ctx["vpc_id"])
    ctx["group_id"] = group["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group["GroupId"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 8443,
                "ToPort": 8443,
                "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "internal"}],
            }
        ],
    )
    ec2.authorize_security_group_egress(
        GroupId=group["GroupId"],
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "10.1.0.0/16"}]}
        ],
    )
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group["GroupId"]]}])
    account = _account(session)
    group_attrs = security_group_attributes(group, account, REGION, ingress=[], egress=[])
    state.add("aws_security_group", "api", group_attrs)
    for rule in rules["SecurityGroupRules"]:
        kind = "egress" if rule["IsEgress"] else "ingress"
        ctx[f"{kind}_rule_id"] = rule["SecurityGroupRuleId"]
        state.add(f"aws_vpc_security_group_{kind}_rule", kind, vpc_rule_attributes(rule, account, REGION))


def build_instance(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_subnet(session, state, ctx)
    ec2 = _ec2(session)
    image = machine_image(ec2)
    instance = ec2.run_instances(
        ImageId=image,
        InstanceType="t3.micro",
        MinCount=1,
        MaxCount=1,
        SubnetId=ctx["subnet_id"],
        TagSpecifications=_name_tag("instance", "worker"),
    )["Instances"][0]
    ctx["instance_id"] = instance["InstanceId"]
    live = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])["Reservations"][0]["Instances"][0]
    state.add(
        "aws_instance",
        "worker",
        instance_attributes(live, _account(session), REGION),
        module="module.jobs",
        index_key="blue",
    )


def _new_vpc(session: boto3.Session, ctx: Context) -> str:
    return str(_ec2(session).create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"])


CASES = [
    TypeCase(
        "aws_vpc",
        build=build_vpc,
        drift=lambda s, c: _ec2(s).create_tags(
            Resources=[c["vpc_id"]], Tags=[{"Key": "Name", "Value": "renamed"}]
        ),
        expected=Expected("changed", "aws_vpc", "vpc_id", "aws_vpc.main", paths=("tags.Name",)),
        unmanaged=_new_vpc,
        unmanaged_type="aws_vpc",
    ),
    TypeCase(
        "aws_subnet",
        build=build_subnet,
        drift=lambda s, c: _ec2(s).modify_subnet_attribute(
            SubnetId=c["subnet_id"], MapPublicIpOnLaunch={"Value": True}
        ),
        expected=Expected(
            "changed", "aws_subnet", "subnet_id", "aws_subnet.private[0]", paths=("map_public_ip_on_launch",)
        ),
        unmanaged=lambda s, c: str(
            _ec2(s).create_subnet(VpcId=c["vpc_id"], CidrBlock="10.1.9.0/24")["Subnet"]["SubnetId"]
        ),
        unmanaged_type="aws_subnet",
    ),
    TypeCase(
        "aws_security_group",
        build=build_group,
        drift=lambda s, c: _ec2(s).create_tags(
            Resources=[c["group_id"]], Tags=[{"Key": "Owner", "Value": "someone"}]
        ),
        expected=Expected(
            "changed", "aws_security_group", "group_id", "aws_security_group.web", paths=("tags.Owner",)
        ),
        unmanaged=lambda s, c: str(
            _ec2(s).create_security_group(GroupName="adhoc", Description="adhoc", VpcId=c["vpc_id"])[
                "GroupId"
            ]
        ),
        unmanaged_type="aws_security_group",
    ),
    TypeCase(
        "aws_vpc_security_group_ingress_rule",
        build=build_vpc_rules,
        drift=lambda s, c: _ec2(s).revoke_security_group_ingress(
            GroupId=c["group_id"], SecurityGroupRuleIds=[c["ingress_rule_id"]]
        ),
        expected=Expected(
            "missing",
            "aws_vpc_security_group_ingress_rule",
            "ingress_rule_id",
            "aws_vpc_security_group_ingress_rule.ingress",
            title_has="ingress tcp/8443 from 10.0.0.0/8 was deleted",
        ),
        unmanaged=lambda s, c: _authorize_and_find(s, c["group_id"], 22, "203.0.113.7/32"),
        unmanaged_type="aws_vpc_security_group_ingress_rule",
    ),
    TypeCase(
        "aws_vpc_security_group_egress_rule",
        build=build_vpc_rules,
        drift=lambda s, c: _ec2(s).revoke_security_group_egress(
            GroupId=c["group_id"], SecurityGroupRuleIds=[c["egress_rule_id"]]
        ),
        expected=Expected(
            "missing",
            "aws_vpc_security_group_egress_rule",
            "egress_rule_id",
            "aws_vpc_security_group_egress_rule.egress",
            title_has="egress tcp/5432 to 10.1.0.0/16 was deleted",
        ),
    ),
    TypeCase(
        "aws_instance",
        build=build_instance,
        # AWS keeps options a call leaves out; moto clears them, so the call names both.
        drift=lambda s, c: _ec2(s).modify_instance_metadata_options(
            InstanceId=c["instance_id"], HttpTokens="required", HttpEndpoint="enabled"
        ),
        expected=Expected(
            "changed",
            "aws_instance",
            "instance_id",
            'module.jobs.aws_instance.worker["blue"]',
            paths=("http_tokens",),
        ),
        unmanaged=lambda s, c: str(
            _ec2(s).run_instances(
                ImageId=machine_image(_ec2(s)),
                MinCount=1,
                MaxCount=1,
            )["Instances"][0]["InstanceId"]
        ),
        unmanaged_type="aws_instance",
    ),
]


def _authorize_and_find(session: boto3.Session, group_id: str, port: int, cidr: str) -> str:
    response = _ec2(session).authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": cidr}]}
        ],
    )
    return str(response["SecurityGroupRules"][0]["SecurityGroupRuleId"])
