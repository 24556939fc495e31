"""`guard demo`: the outage this tool exists for, on an embedded AWS emulator.

A small web estate is built as `terraform apply` would build it, its state written,
then someone deletes the load balancer group's 443 rule "by accident". The real scan
runs against the emulator over HTTP and shows what broke and how to put it back.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from rich.console import Console

from guard.aws import Clients
from guard.emulator import (
    TerraformState,
    instance_attributes,
    machine_image,
    moto_server,
    rule_block,
    security_group_attributes,
    security_group_rule_attributes,
    subnet_attributes,
    vpc_attributes,
)
from guard.model import DriftKind
from guard.render.console import render_console
from guard.scan import scan

REGION = "us-east-1"
DEFAULT_TAGS = {"ManagedBy": "terraform", "Environment": "prod"}


@dataclass(frozen=True)
class WebEstate:
    account: str
    vpc_id: str
    subnet_ids: tuple[str, ...]
    lb_group_id: str
    app_group_id: str
    instance_ids: tuple[str, ...]
    state: TerraformState


def _tag_spec(resource_type: str, name: str) -> list[dict[str, Any]]:
    tags = {"Name": name, **DEFAULT_TAGS}
    return [{"ResourceType": resource_type, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def _terraform_group(ec2: Any, name: str, description: str, vpc_id: str) -> dict[str, Any]:
    """Create a group as the provider does: it revokes AWS's default allow-all egress rule."""
    group_id = ec2.create_security_group(
        GroupName=name,
        Description=description,
        VpcId=vpc_id,
        TagSpecifications=_tag_spec("security-group", name),
    )["GroupId"]
    ec2.revoke_security_group_egress(
        GroupId=group_id,
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    return dict(ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0])


def build_web_estate(session: boto3.Session, region: str = REGION) -> WebEstate:
    """VPC, two public subnets, a load balancer group open on 443 and 80, an app group, instances."""
    ec2 = session.client("ec2", region_name=region)
    account = session.client("sts", region_name=region).get_caller_identity()["Account"]
    state = TerraformState(default_tags={"ManagedBy": "terraform", "Environment": "prod"})

    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16", TagSpecifications=_tag_spec("vpc", "prod-vpc"))["Vpc"]
    state.add("aws_vpc", "main", vpc_attributes(vpc, account, region), module="module.network")

    subnets = []
    for index, (zone, cidr) in enumerate(((f"{region}a", "10.20.1.0/24"), (f"{region}b", "10.20.2.0/24"))):
        subnet = ec2.create_subnet(
            VpcId=vpc["VpcId"],
            CidrBlock=cidr,
            AvailabilityZone=zone,
            TagSpecifications=_tag_spec("subnet", f"prod-public-{zone[-1]}"),
        )["Subnet"]
        ec2.modify_subnet_attribute(SubnetId=subnet["SubnetId"], MapPublicIpOnLaunch={"Value": True})
        subnet["MapPublicIpOnLaunch"] = True
        subnets.append(subnet)
        state.add(
            "aws_subnet",
            "public",
            subnet_attributes(subnet, account),
            module="module.network",
            index_key=index,
        )

    # The load balancer's group: rules inline, the way most modules declare them.
    lb = _terraform_group(ec2, "prod-alb", "Public load balancer", vpc["VpcId"])
    lb_ingress = [
        rule_block("tcp", 443, 443, cidr_blocks=("0.0.0.0/0",), description="HTTPS from anywhere"),
        rule_block("tcp", 80, 80, cidr_blocks=("0.0.0.0/0",), description="HTTP redirect to HTTPS"),
    ]
    lb_egress = [rule_block("-1", 0, 0, cidr_blocks=("0.0.0.0/0",))]
    ec2.authorize_security_group_ingress(
        GroupId=lb["GroupId"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTPS from anywhere"}],
            },
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 80,
                "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTP redirect to HTTPS"}],
            },
        ],
    )
    ec2.authorize_security_group_egress(
        GroupId=lb["GroupId"],
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    lb_address = state.add(
        "aws_security_group",
        "lb",
        security_group_attributes(lb, account, region, lb_ingress, lb_egress),
        module="module.edge",
    )

    # The app group: its one ingress rule is a separate aws_security_group_rule.
    app = _terraform_group(ec2, "prod-app", "Application servers", vpc["VpcId"])
    ec2.authorize_security_group_ingress(
        GroupId=app["GroupId"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 8080,
                "ToPort": 8080,
                "UserIdGroupPairs": [{"GroupId": lb["GroupId"], "Description": "From the load balancer"}],
            }
        ],
    )
    ec2.authorize_security_group_egress(
        GroupId=app["GroupId"],
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    app_rule_id = next(
        rule["SecurityGroupRuleId"]
        for rule in ec2.describe_security_group_rules(
            Filters=[{"Name": "group-id", "Values": [app["GroupId"]]}]
        )["SecurityGroupRules"]
        if not rule["IsEgress"]
    )
    # Refreshed state lists the standalone rule inline too, as Terraform writes it.
    app_ingress = [
        rule_block(
            "tcp",
            8080,
            8080,
            security_groups=(lb["GroupId"],),
            description="From the load balancer",
        )
    ]
    app_address = state.add(
        "aws_security_group",
        "app",
        security_group_attributes(
            app, account, region, app_ingress, [rule_block("-1", 0, 0, cidr_blocks=("0.0.0.0/0",))]
        ),
        module="module.app",
    )
    state.add(
        "aws_security_group_rule",
        "from_lb",
        security_group_rule_attributes(
            "ingress",
            app["GroupId"],
            "tcp",
            8080,
            8080,
            source_security_group_id=lb["GroupId"],
            description="From the load balancer",
            rule_id=app_rule_id,
        ),
        module="module.app",
        dependencies=(app_address, lb_address),
    )

    image = machine_image(ec2)
    instance_ids = []
    for key, subnet in zip(("a", "b"), subnets, strict=True):
        instance = ec2.run_instances(
            ImageId=image,
            InstanceType="t3.small",
            MinCount=1,
            MaxCount=1,
            SubnetId=subnet["SubnetId"],
            SecurityGroupIds=[app["GroupId"]],
            MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"},
            TagSpecifications=_tag_spec("instance", f"prod-web-{key}"),
        )["Instances"][0]
        instance_ids.append(instance["InstanceId"])
        live = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])["Reservations"][0]["Instances"][0]
        state.add(
            "aws_instance",
            "web",
            instance_attributes(live, account, region),
            module="module.app",
            index_key=key,
            dependencies=(app_address,),
        )

    return WebEstate(
        account=account,
        vpc_id=vpc["VpcId"],
        subnet_ids=tuple(s["SubnetId"] for s in subnets),
        lb_group_id=lb["GroupId"],
        app_group_id=app["GroupId"],
        instance_ids=tuple(instance_ids),
        state=state,
    )


def delete_https_rule(session: boto3.Session, group_id: str, region: str = REGION) -> None:
    """What happened in the console: the 443 rule removed while adding a home IP."""
    session.client("ec2", region_name=region).revoke_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )


def run_demo(console: Console, workdir: str | None = None) -> int:
    """Returns 0 when the scan caught the deleted rule, 1 when it did not."""
    with moto_server(REGION) as endpoint, tempfile.TemporaryDirectory() as scratch:
        folder = Path(workdir or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        session = boto3.Session(region_name=REGION)
        console.print(f"[bold]1.[/] Started an AWS emulator at {endpoint} (no real account is touched).")
        estate = build_web_estate(session, REGION)
        state_path = estate.state.write(folder / "terraform.tfstate")
        console.print(
            "[bold]2.[/] Built a web estate as `terraform apply` would: a VPC, two subnets, "
            "a load balancer security group open on 443 and 80, an app group, two instances.\n"
            f"   Its Terraform state: {state_path}"
        )
        clients = Clients(session)
        before = scan([str(state_path)], [REGION], clients)
        console.print(f"[bold]3.[/] Scanned: {len(before.findings)} findings, everything matches the state.")
        delete_https_rule(session, estate.lb_group_id, REGION)
        console.print(
            "[bold]4.[/] Someone opens the console to whitelist a home IP and deletes the 443 rule "
            "of the load balancer's group by accident. Every monitor stays green."
        )
        console.print("[bold]5.[/] guard scan finds it, says who owns it, and how to put it back:\n")
        after = scan([str(state_path)], [REGION], clients)
        render_console(after, console)
        caught = any(
            d.kind is DriftKind.MISSING and d.id == estate.lb_group_id and "443" in d.title
            for d in after.findings
        )
        if workdir:
            console.print(f"\nThe state is kept in {folder}; the emulator stops now.")
        console.print(
            "\nOn a real account: [bold]guard scan --state terraform.tfstate --region us-east-1[/]"
            if caught and not before.findings
            else "\n[red]The demo did not go as expected: the scan above should show one deleted rule.[/]"
        )
        return 0 if caught and not before.findings else 1
