"""Classic load balancers (ELB): one paginated DescribeLoadBalancers per region, their tags
from DescribeTags (20 load balancers a call), their attributes (cross-zone, idle timeout,
connection draining, access logs) from one DescribeLoadBalancerAttributes each (AWS has no
batch call for them)."""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents
from guard.live.shape import declared_tags, first_block, tag_changes, tags
from guard.live.types import REGISTRY, Attrs, DetailCall, GraphHooks, GraphRole, ResourceType, writes
from guard.model import AwsCall, Change, Resource


def _merge_tags(item: Attrs, answer: Attrs) -> None:
    item["Tags"] = answer.get("Tags") or []


def _merge_attributes(item: Attrs, answer: Attrs) -> None:
    item["Attributes"] = answer


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _listener(lb_port: Any, lb_protocol: Any, port: Any, protocol: Any, certificate: Any) -> Attrs:
    return {
        "lb_port": int(lb_port),
        "lb_protocol": str(lb_protocol).upper(),
        "instance_port": int(port),
        "instance_protocol": str(protocol or lb_protocol).upper(),
        "ssl_certificate_id": _text(certificate),
    }


def _access_logs(enabled: Any, bucket: Any, prefix: Any, interval: Any) -> Attrs | None:
    if not enabled:
        return None
    return {"bucket": _text(bucket), "bucket_prefix": _text(prefix), "interval": int(interval or 60)}


def _elb_attrs(item: Attrs) -> Attrs:
    attributes = item.get("Attributes") or {}
    draining = attributes.get("ConnectionDraining") or {}
    logs = attributes.get("AccessLog") or {}
    check = item.get("HealthCheck") or {}
    return {
        "name": item.get("LoadBalancerName"),
        "internal": item.get("Scheme") == "internal",
        "subnets": sorted(item.get("Subnets") or []),
        "security_groups": sorted(item.get("SecurityGroups") or []),
        "listener": sorted(
            (
                _listener(
                    listener.get("LoadBalancerPort"),
                    listener.get("Protocol"),
                    listener.get("InstancePort"),
                    listener.get("InstanceProtocol"),
                    listener.get("SSLCertificateId"),
                )
                for listener in (d.get("Listener") or {} for d in item.get("ListenerDescriptions") or [])
            ),
            key=lambda listener: listener["lb_port"],
        ),
        "health_check": {
            "target": check.get("Target"),
            "interval": check.get("Interval"),
            "timeout": check.get("Timeout"),
            "healthy_threshold": check.get("HealthyThreshold"),
            "unhealthy_threshold": check.get("UnhealthyThreshold"),
        },
        "cross_zone_load_balancing": bool((attributes.get("CrossZoneLoadBalancing") or {}).get("Enabled")),
        "idle_timeout": int((attributes.get("ConnectionSettings") or {}).get("IdleTimeout") or 60),
        "connection_draining": bool(draining.get("Enabled")),
        # AWS keeps the timeout while draining is off; moto leaves it out then (300, the default).
        "connection_draining_timeout": int(draining.get("Timeout") or 300),
        "access_logs": _access_logs(
            logs.get("Enabled"),
            logs.get("S3BucketName"),
            logs.get("S3BucketPrefix"),
            logs.get("EmitInterval"),
        ),
        "dns_name": item.get("DNSName"),
        "tags": tags(item),
    }


def _elb_desired(attrs: Attrs) -> Attrs:
    check = first_block(attrs, "health_check")
    logs = first_block(attrs, "access_logs")
    return {
        "name": attrs.get("name"),
        "internal": bool(attrs.get("internal")),
        "subnets": sorted(attrs.get("subnets") or []),
        "security_groups": sorted(attrs.get("security_groups") or []),
        "listener": sorted(
            (
                _listener(
                    listener.get("lb_port"),
                    listener.get("lb_protocol"),
                    listener.get("instance_port"),
                    listener.get("instance_protocol"),
                    listener.get("ssl_certificate_id"),
                )
                for listener in attrs.get("listener") or []
            ),
            key=lambda listener: listener["lb_port"],
        ),
        "health_check": {
            "target": check.get("target"),
            "interval": check.get("interval"),
            "timeout": check.get("timeout"),
            "healthy_threshold": check.get("healthy_threshold"),
            "unhealthy_threshold": check.get("unhealthy_threshold"),
        },
        "cross_zone_load_balancing": attrs.get("cross_zone_load_balancing", True) is not False,
        "idle_timeout": int(attrs.get("idle_timeout") or 60),
        "connection_draining": bool(attrs.get("connection_draining")),
        "connection_draining_timeout": int(attrs.get("connection_draining_timeout") or 300),
        "access_logs": _access_logs(
            logs.get("enabled", bool(logs)),
            logs.get("bucket"),
            logs.get("bucket_prefix"),
            logs.get("interval"),
        ),
        "dns_name": attrs.get("dns_name"),
        "tags": declared_tags(attrs),
    }


_ATTRIBUTE_PATHS = (
    "cross_zone_load_balancing",
    "idle_timeout",
    "connection_draining",
    "connection_draining_timeout",
)


@writes(
    "apply_security_groups_to_load_balancer",
    "configure_health_check",
    "modify_load_balancer_attributes",
    "add_tags",
    "remove_tags",
)
def _elb_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    name, region = resource.id, resource.region
    declared = _elb_desired(resource.attrs)
    paths = {change.path.split(".", 1)[0] for change in changes}
    calls = []
    if "security_groups" in paths:
        groups = {"LoadBalancerName": name, "SecurityGroups": declared["security_groups"]}
        calls.append(AwsCall("elb", "apply_security_groups_to_load_balancer", groups, region))
    check = declared["health_check"]
    if "health_check" in paths and all(value is not None for value in check.values()):
        health = {
            "Target": check["target"],
            "Interval": check["interval"],
            "Timeout": check["timeout"],
            "HealthyThreshold": check["healthy_threshold"],
            "UnhealthyThreshold": check["unhealthy_threshold"],
        }
        calls.append(
            AwsCall(
                "elb", "configure_health_check", {"LoadBalancerName": name, "HealthCheck": health}, region
            )
        )
    if paths & set(_ATTRIBUTE_PATHS):
        attributes = {
            "CrossZoneLoadBalancing": {"Enabled": declared["cross_zone_load_balancing"]},
            "ConnectionSettings": {"IdleTimeout": declared["idle_timeout"]},
            "ConnectionDraining": {
                "Enabled": declared["connection_draining"],
                "Timeout": declared["connection_draining_timeout"],
            },
        }
        params = {"LoadBalancerName": name, "LoadBalancerAttributes": attributes}
        calls.append(AwsCall("elb", "modify_load_balancer_attributes", params, region))
    restore, remove = tag_changes(changes)
    if restore:
        added = {"LoadBalancerNames": [name], "Tags": [{"Key": k, "Value": v} for k, v in restore.items()]}
        calls.append(AwsCall("elb", "add_tags", added, region))
    if remove:
        removed = {"LoadBalancerNames": [name], "Tags": [{"Key": k} for k in remove]}
        calls.append(AwsCall("elb", "remove_tags", removed, region))
    return calls


_NAME = "requestParameters.loadBalancerName"

# ELBv2 shares the event source and some names; its events name an ARN, never loadBalancerName.
_ELB_EVENTS = TypeEvents(
    id_prefix="",  # a classic load balancer's id is its name
    missing=("DeleteLoadBalancer",),
    unmanaged=("CreateLoadBalancer",),
    changed=(
        "ConfigureHealthCheck",
        "ModifyLoadBalancerAttributes",
        "ApplySecurityGroupsToLoadBalancer",
        "AttachLoadBalancerToSubnets",
        "DetachLoadBalancerFromSubnets",
        "CreateLoadBalancerListeners",
        "DeleteLoadBalancerListeners",
        "SetLoadBalancerListenerSSLCertificate",
        "AddTags",
        "RemoveTags",
    ),
    by_path={
        "health_check": ("ConfigureHealthCheck",),
        "security_groups": ("ApplySecurityGroupsToLoadBalancer",),
        "subnets": ("AttachLoadBalancerToSubnets", "DetachLoadBalancerFromSubnets"),
        "listener": (
            "CreateLoadBalancerListeners",
            "DeleteLoadBalancerListeners",
            "SetLoadBalancerListenerSSLCertificate",
        ),
        **{path: ("ModifyLoadBalancerAttributes",) for path in (*_ATTRIBUTE_PATHS, "access_logs")},
        "tags": ("AddTags", "RemoveTags"),
    },
    touched_by={
        name: _NAME
        for name in (
            "DeleteLoadBalancer",
            "CreateLoadBalancer",
            "ConfigureHealthCheck",
            "ModifyLoadBalancerAttributes",
            "ApplySecurityGroupsToLoadBalancer",
            "AttachLoadBalancerToSubnets",
            "DetachLoadBalancerFromSubnets",
            "CreateLoadBalancerListeners",
            "DeleteLoadBalancerListeners",
            "SetLoadBalancerListenerSSLCertificate",
        )
    }
    | {
        "AddTags": "requestParameters.loadBalancerNames[]",
        "RemoveTags": "requestParameters.loadBalancerNames[]",
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_elb",
        service="elb",
        list_call="describe_load_balancers",
        items_path="LoadBalancerDescriptions",
        id_key="LoadBalancerName",
        details=(
            DetailCall(
                operation="describe_tags",
                param="LoadBalancerNames",
                items_path="TagDescriptions",
                answer_key="LoadBalancerName",
                merge=_merge_tags,
                batch=20,  # the API's limit
            ),
            DetailCall(
                operation="describe_load_balancer_attributes",
                param="LoadBalancerName",
                items_path="LoadBalancerAttributes",
                answer_key="",
                merge=_merge_attributes,
            ),
        ),
        to_attrs=_elb_attrs,
        normalise_desired=_elb_desired,
        compared=(
            "name",
            "internal",
            "subnets",
            "security_groups",
            "listener",
            "health_check",
            "cross_zone_load_balancing",
            "idle_timeout",
            "connection_draining",
            "connection_draining_timeout",
            "access_logs",
            "tags",
        ),
        ignored={
            "instances": "Auto Scaling groups and aws_elb_attachment register instances; the list churns",
            "availability_zones": "follows the subnets in a VPC",
            "desync_mitigation_mode": "provider-defaulted (defensive)",
            "dns_name": "computed",
            "zone_id": "computed",
            "arn": "computed",
            "source_security_group": "computed",
            "source_security_group_id": "computed",
            "name_prefix": "Terraform-only setting",
        },
        restore_calls=_elb_restore,
        restorable=("security_groups", "health_check", *_ATTRIBUTE_PATHS, "tags"),
        delete_calls=writes("delete_load_balancer")(
            lambda live: [AwsCall("elb", "delete_load_balancer", {"LoadBalancerName": live.id}, live.region)]
        ),
        read_params=lambda resource: {"LoadBalancerNames": [resource.id]},
        describe=lambda resource: f"classic load balancer {resource.id}",
        events=_ELB_EVENTS,
        pulumi_tokens=("aws:elb/loadBalancer:LoadBalancer",),
        # The internet's door unless internal; instances and records that name it join by reference.
        graph=GraphHooks(
            role=GraphRole.LOAD_BALANCER, internet_facing=lambda attrs: attrs.get("internal") is not True
        ),
    )
)
