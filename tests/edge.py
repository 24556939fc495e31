"""The load balancer side of the demo estate, built in moto and written to state as module.edge
and module.dns declare it: guard reads these types live, so they must exist to be clean."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3

from guard.demo import DEFAULT_TAGS, WebEstate
from guard.emulator_services import route53_record_attributes, route53_zone_attributes
from guard.emulator_vpc import action_block, lb_attributes, listener_attributes, target_group_attributes


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
        certificate = session.client("acm", region_name=region).request_certificate(
            DomainName="api.example.com"
        )["CertificateArn"]
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
