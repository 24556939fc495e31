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
from guard.demo.emulator import machine_image, moto_server
from guard.demo.state import (
    TerraformState,
    acm_certificate_attributes,
    action_block,
    instance_attributes,
    lb_attributes,
    listener_attributes,
    route53_record_attributes,
    route53_zone_attributes,
    rule_block,
    security_group_attributes,
    security_group_rule_attributes,
    subnet_attributes,
    target_group_attributes,
    vpc_attributes,
)
from guard.model import DriftKind
from guard.pipeline.run import scan_states
from guard.render.console import render_console

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


@dataclass(frozen=True)
class Edge:
    lb_arn: str
    dns_name: str


def _tag_list(own: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in {**DEFAULT_TAGS, **own}.items()]


def build_edge(
    session: boto3.Session,
    estate: WebEstate,
    region: str,
    internal: bool = False,
    listeners: tuple[tuple[int, str], ...] = ((443, "HTTPS"), (80, "HTTP")),
    dns: bool = True,
) -> Edge:
    """An application load balancer in the estate's subnets behind its `prod-alb` group, a
    target group with the instances, listeners, and an alias record api.example.com."""
    elb = session.client("elbv2", region_name=region)
    state = estate.state
    lb = elb.create_load_balancer(
        Name="prod-web",
        Subnets=list(estate.subnet_ids),
        SecurityGroups=[estate.lb_group_id],
        Scheme="internal" if internal else "internet-facing",
        Tags=_tag_list({"Name": "prod-web"}),
    )["LoadBalancers"][0]
    arn = lb["LoadBalancerArn"]
    elb.modify_load_balancer_attributes(
        LoadBalancerArn=arn, Attributes=[{"Key": "deletion_protection.enabled", "Value": "true"}]
    )
    settings = elb.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]
    lb_address = state.add(
        "aws_lb",
        "web",
        lb_attributes(lb, {a["Key"]: a["Value"] for a in settings}, {"Name": "prod-web"}),
        module="module.edge",
        dependencies=("module.edge.aws_security_group.lb",),
    )

    group = elb.create_target_group(
        Name="prod-web", Protocol="HTTP", Port=8080, VpcId=estate.vpc_id, Tags=_tag_list({})
    )["TargetGroups"][0]
    group_arn = group["TargetGroupArn"]
    tg_address = state.add(
        "aws_lb_target_group", "web", target_group_attributes(group, {}), module="module.edge"
    )
    elb.register_targets(
        TargetGroupArn=group_arn, Targets=[{"Id": i, "Port": 8080} for i in estate.instance_ids]
    )
    for key, instance in zip("ab", estate.instance_ids, strict=False):
        state.add(
            "aws_lb_target_group_attachment",
            "web",
            {
                "availability_zone": None,
                "id": f"{group_arn}-2024050108000000000000000{key}",
                "port": 8080,
                "target_group_arn": group_arn,
                "target_id": instance,
            },
            module="module.edge",
            index_key=key,
            dependencies=(tg_address,),
        )

    if any(protocol == "HTTPS" for _, protocol in listeners):
        acm = session.client("acm", region_name=region)
        certificate = acm.request_certificate(DomainName="api.example.com", ValidationMethod="DNS")[
            "CertificateArn"
        ]
        described = acm.describe_certificate(CertificateArn=certificate)["Certificate"]
        state.add(
            "aws_acm_certificate", "api", acm_certificate_attributes(described, {}), module="module.edge"
        )
    for port, protocol in listeners:
        tls: dict[str, Any] = (
            {
                "Certificates": [{"CertificateArn": certificate}],
                "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
            }
            if protocol == "HTTPS"
            else {}
        )
        listener = elb.create_listener(
            LoadBalancerArn=arn,
            Protocol=protocol,
            Port=port,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": group_arn}],
            Tags=_tag_list({}),
            **tls,
        )["Listeners"][0]
        state.add(
            "aws_lb_listener",
            protocol.lower(),
            listener_attributes(listener, [action_block("forward", target_group_arn=group_arn)], {}),
            module="module.edge",
            dependencies=(lb_address, tg_address),
        )

    if dns:
        route53 = session.client("route53", region_name=region)
        zone = route53.create_hosted_zone(Name="example.com", CallerReference="edge")["HostedZone"]
        zone_id = zone["Id"].rsplit("/", 1)[-1]
        route53.change_tags_for_resource(ResourceType="hostedzone", ResourceId=zone_id, AddTags=_tag_list({}))
        servers = route53.get_hosted_zone(Id=zone_id)["DelegationSet"]["NameServers"]
        state.add("aws_route53_zone", "main", route53_zone_attributes(zone, servers), module="module.dns")
        alias = {
            "name": f"dualstack.{lb['DNSName']}",
            "zone_id": lb["CanonicalHostedZoneId"],
            "evaluate_target_health": True,
        }
        route53.change_resource_record_sets(
            HostedZoneId=zone_id,
            ChangeBatch={
                "Changes": [
                    {
                        "Action": "CREATE",
                        "ResourceRecordSet": {
                            "Name": "api.example.com",
                            "Type": "A",
                            "AliasTarget": {
                                "HostedZoneId": alias["zone_id"],
                                "DNSName": alias["name"],
                                "EvaluateTargetHealth": True,
                            },
                        },
                    }
                ]
            },
        )
        state.add(
            "aws_route53_record",
            "api",
            route53_record_attributes(zone_id, "api.example.com", "A", alias=alias),
            module="module.dns",
            dependencies=(lb_address,),
        )
    return Edge(lb_arn=arn, dns_name=lb["DNSName"])


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
        build_edge(session, estate, REGION)
        state_path = estate.state.write(folder / "terraform.tfstate")
        console.print(
            "[bold]2.[/] Built a web estate as `terraform apply` would: a VPC, two subnets, "
            "an internet-facing load balancer (prod-web, listening on 443 and 80) behind its "
            "security group, two app instances behind it, and api.example.com pointing at it.\n"
            f"   Its Terraform state: {state_path}"
        )
        clients = Clients(session)
        before = scan_states([str(state_path)], [REGION], clients)
        console.print(f"[bold]3.[/] Scanned: {len(before.findings)} findings, everything matches the state.")
        delete_https_rule(session, estate.lb_group_id, REGION)
        console.print(
            "[bold]4.[/] Someone opens the console to whitelist a home IP and deletes the 443 rule "
            "of the load balancer's group by accident. Every monitor stays green."
        )
        console.print("[bold]5.[/] guard scan finds it, says who owns it, and how to put it back:\n")
        after = scan_states([str(state_path)], [REGION], clients)
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
