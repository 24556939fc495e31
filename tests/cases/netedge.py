"""Cases for the network-edge types: a target group's registered targets, ACL rules, network interfaces."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.emulator import machine_image
from guard.demo.state import (
    TerraformState,
    instance_attributes,
    security_group_attributes,
    target_group_attributes,
)
from tests.cases import Context, Expected, TypeCase
from tests.cases.ec2 import build_instance
from tests.cases.vpc import build_network
from tests.support.netedge import (
    network_acl_rule_attributes,
    network_interface_attributes,
    target_group_attachment_attributes,
)
from tests.support.network import network_acl_attributes

REGION = "us-east-1"


def _ec2(session: boto3.Session) -> Any:
    return session.client("ec2", region_name=REGION)


def _elb(session: boto3.Session) -> Any:
    return session.client("elbv2", region_name=REGION)


def _account(session: boto3.Session) -> str:
    return str(session.client("sts", region_name=REGION).get_caller_identity()["Account"])


def build_target_group_attachment(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """An instance registered on port 8080 of a target group; a spare instance, not registered."""
    build_instance(session, state, ctx)
    ec2, elb, account = _ec2(session), _elb(session), _account(session)
    spare = ec2.run_instances(
        ImageId=machine_image(ec2), InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=ctx["subnet_id"]
    )["Instances"][0]["InstanceId"]
    ctx["spare_id"] = spare
    live = ec2.describe_instances(InstanceIds=[spare])["Reservations"][0]["Instances"][0]
    state.add("aws_instance", "spare", instance_attributes(live, account, REGION))
    group = elb.create_target_group(
        Name="sweep-tga-web", Protocol="HTTP", Port=80, VpcId=ctx["vpc_id"], TargetType="instance"
    )["TargetGroups"][0]
    ctx["target_group_arn"] = group["TargetGroupArn"]
    state.add("aws_lb_target_group", "sweep_tga_web", target_group_attributes(group, {}))
    elb.register_targets(
        TargetGroupArn=group["TargetGroupArn"], Targets=[{"Id": ctx["instance_id"], "Port": 8080}]
    )
    # Terraform stores what it sent: the target and its port, no zone (an instance's own).
    attrs = target_group_attachment_attributes(
        group["TargetGroupArn"], {"Id": ctx["instance_id"], "Port": 8080}
    )
    ctx["attachment_id"] = attrs["id"]
    state.add("aws_lb_target_group_attachment", "web", attrs)


def _register_spare(session: boto3.Session, ctx: Context) -> str:
    _elb(session).register_targets(
        TargetGroupArn=ctx["target_group_arn"], Targets=[{"Id": ctx["spare_id"], "Port": 8080}]
    )
    return f"{ctx['target_group_arn']}/{ctx['spare_id']}:8080"


def _move_port(session: boto3.Session, ctx: Context) -> None:
    """Someone moves the target to another port (the app now listens on 9090)."""
    elb, group, target = _elb(session), ctx["target_group_arn"], ctx["instance_id"]
    elb.deregister_targets(TargetGroupArn=group, Targets=[{"Id": target, "Port": 8080}])
    elb.register_targets(TargetGroupArn=group, Targets=[{"Id": target, "Port": 9090}])
    ctx["moved_key"] = f"{group}/{target}:9090"


def build_network_acl_rule(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """An ACL declared without inline blocks, and its HTTPS-in rule as an aws_network_acl_rule."""
    build_network(session, state, ctx)
    ec2 = _ec2(session)
    acl = ec2.create_network_acl(VpcId=ctx["vpc_id"])["NetworkAcl"]
    acl_id = ctx["acl_id"] = acl["NetworkAclId"]
    # Written by the first apply, before its rules were made: no inline rules.
    state.add(
        "aws_network_acl", "sweep_naclr_web", network_acl_attributes(acl, _account(session), REGION, [], [])
    )
    ec2.create_network_acl_entry(
        NetworkAclId=acl_id,
        RuleNumber=100,
        Protocol="6",
        RuleAction="allow",
        Egress=False,
        CidrBlock="0.0.0.0/0",
        PortRange={"From": 443, "To": 443},
    )
    live = ec2.describe_network_acls(NetworkAclIds=[acl_id])["NetworkAcls"][0]
    entry = next(e for e in live["Entries"] if e["RuleNumber"] == 100)
    attrs = network_acl_rule_attributes(acl_id, entry, "tcp")
    ctx["rule_id"] = attrs["id"]
    ctx["rule_key"] = f"{acl_id}:100:tcp:false"
    state.add("aws_network_acl_rule", "https_in", attrs)


def _open_ssh_instead(session: boto3.Session, ctx: Context) -> None:
    _ec2(session).replace_network_acl_entry(
        NetworkAclId=ctx["acl_id"],
        RuleNumber=100,
        Protocol="6",
        RuleAction="allow",
        Egress=False,
        CidrBlock="0.0.0.0/0",
        PortRange={"From": 22, "To": 22},
    )


def _deny_rule(session: boto3.Session, ctx: Context) -> str:
    _ec2(session).create_network_acl_entry(
        NetworkAclId=ctx["acl_id"],
        RuleNumber=90,
        Protocol="-1",
        RuleAction="deny",
        Egress=False,
        CidrBlock="198.51.100.0/24",
    )
    return f"{ctx['acl_id']}:90:-1:false"


def _group(session: boto3.Session, state: TerraformState, ctx: Context, name: str) -> str:
    """A security group as Terraform makes it with no rules (egress = [] revokes AWS's own)."""
    ec2 = _ec2(session)
    group_id = str(
        ec2.create_security_group(GroupName=name, Description=name, VpcId=ctx["vpc_id"])["GroupId"]
    )
    ec2.revoke_security_group_egress(
        GroupId=group_id, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    state.add(
        "aws_security_group",
        name.replace("-", "_"),
        security_group_attributes(group, _account(session), REGION, [], []),
    )
    return group_id


def build_network_interface(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """A spare interface with two private addresses and the app group, for a floating service IP;
    a second (admin) group in the same VPC, declared too."""
    build_network(session, state, ctx)
    ec2 = _ec2(session)
    ctx["app_group"] = _group(session, state, ctx, "sweep-eni-app")
    ctx["admin_group"] = _group(session, state, ctx, "sweep-eni-admin")
    eni = ec2.create_network_interface(
        SubnetId=ctx["subnet_id"],
        Groups=[ctx["app_group"]],
        Description="sweep-eni-floating",
        SecondaryPrivateIpAddressCount=1,
        TagSpecifications=[
            {"ResourceType": "network-interface", "Tags": [{"Key": "Name", "Value": "sweep-eni-floating"}]}
        ],
    )["NetworkInterface"]
    eni_id = ctx["eni_id"] = eni["NetworkInterfaceId"]
    live = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni_id])["NetworkInterfaces"][0]
    state.add(
        "aws_network_interface", "floating", network_interface_attributes(live, _account(session), REGION)
    )


def _admin_group_on_interface(session: boto3.Session, ctx: Context) -> None:
    """Someone puts the admin group on the interface in the console (in place of the app group)."""
    _ec2(session).modify_network_interface_attribute(
        NetworkInterfaceId=ctx["eni_id"], Groups=[ctx["admin_group"]]
    )


def _interface_by_hand(session: boto3.Session, ctx: Context) -> str:
    return str(
        _ec2(session).create_network_interface(SubnetId=ctx["subnet_id"], Description="sweep-eni-by-hand")[
            "NetworkInterface"
        ]["NetworkInterfaceId"]
    )


CASES = [
    TypeCase(
        "aws_lb_target_group_attachment",
        build=build_target_group_attachment,
        drift=lambda s, c: _elb(s).deregister_targets(
            TargetGroupArn=c["target_group_arn"], Targets=[{"Id": c["instance_id"], "Port": 8080}]
        ),
        expected=Expected(
            "missing",
            "aws_lb_target_group_attachment",
            "attachment_id",
            "aws_lb_target_group_attachment.web",
            title_has="was deleted",
        ),
        unmanaged=_register_spare,
        unmanaged_type="aws_lb_target_group_attachment",
    ),
    TypeCase(
        "aws_lb_target_group_attachment",
        build=build_target_group_attachment,
        drift=_move_port,
        expected=Expected(
            "changed",
            "aws_lb_target_group_attachment",
            "moved_key",
            "aws_lb_target_group_attachment.web",
            paths=("port",),
        ),
    ),
    TypeCase(
        "aws_network_acl_rule",
        build=build_network_acl_rule,
        drift=_open_ssh_instead,
        expected=Expected(
            "changed",
            "aws_network_acl_rule",
            "rule_key",
            "aws_network_acl_rule.https_in",
            paths=("from_port", "to_port"),
        ),
        unmanaged=_deny_rule,
        unmanaged_type="aws_network_acl_rule",
    ),
    TypeCase(
        "aws_network_acl_rule",
        build=build_network_acl_rule,
        drift=lambda s, c: _ec2(s).delete_network_acl_entry(
            NetworkAclId=c["acl_id"], RuleNumber=100, Egress=False
        ),
        expected=Expected(
            "missing",
            "aws_network_acl_rule",
            "rule_id",
            "aws_network_acl_rule.https_in",
            title_has="was deleted",
        ),
    ),
    TypeCase(
        "aws_network_interface",
        build=build_network_interface,
        drift=_admin_group_on_interface,
        expected=Expected(
            "changed",
            "aws_network_interface",
            "eni_id",
            "aws_network_interface.floating",
            paths=("security_groups",),
        ),
        unmanaged=_interface_by_hand,
        unmanaged_type="aws_network_interface",
    ),
    TypeCase(
        "aws_network_interface",
        build=build_network_interface,
        drift=lambda s, c: _ec2(s).modify_network_interface_attribute(
            NetworkInterfaceId=c["eni_id"], SourceDestCheck={"Value": False}
        ),
        expected=Expected(
            "changed",
            "aws_network_interface",
            "eni_id",
            "aws_network_interface.floating",
            paths=("source_dest_check",),
        ),
    ),
    TypeCase(
        "aws_network_interface",
        build=build_network_interface,
        drift=lambda s, c: _ec2(s).delete_network_interface(NetworkInterfaceId=c["eni_id"]),
        expected=Expected(
            "missing",
            "aws_network_interface",
            "eni_id",
            "aws_network_interface.floating",
            title_has="was deleted",
        ),
    ),
]
