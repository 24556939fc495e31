"""Auto Scaling groups: one paginated DescribeAutoScalingGroups per region, tags included.

`desired_capacity` is owned by scaling policies and schedules, which change it all day:
never compared. The group's instances carry `aws:autoscaling:groupName` and are skipped
by aws_instance for the same reason.
"""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents, edits, named
from guard.live.shape import first_block
from guard.live.types import REGISTRY, Attrs, ResourceType, writes
from guard.model import AwsCall, Change, Resource

_SIZES = {
    "min_size": "MinSize",
    "max_size": "MaxSize",
    "health_check_type": "HealthCheckType",
    "health_check_grace_period": "HealthCheckGracePeriod",
}


def _tag_list(items: list[dict[str, Any]], key: str, value: str, propagate: str) -> list[dict[str, Any]]:
    return sorted(
        (
            {"key": t[key], "value": t.get(value, ""), "propagate_at_launch": bool(t.get(propagate))}
            for t in items
            if not str(t[key]).startswith("aws:")
        ),
        key=lambda t: str(t["key"]),
    )


def _group_made_elsewhere(item: dict[str, Any]) -> bool:
    """Groups a service made for itself: an EKS managed node group's (tagged
    eks:nodegroup-name, eks:cluster-name), Elastic Beanstalk's and CloudFormation's (aws:)."""
    return any(str(t.get("Key", "")).startswith(("eks:", "aws:")) for t in item.get("Tags") or [])


def _group_attrs(item: dict[str, Any]) -> Attrs:
    template = item.get("LaunchTemplate") or {}
    return {
        **{name: item.get(key) for name, key in _SIZES.items()},
        "vpc_zone_identifier": sorted(s for s in (item.get("VPCZoneIdentifier") or "").split(",") if s),
        "target_group_arns": sorted(item.get("TargetGroupARNs") or []),
        "launch_configuration": item.get("LaunchConfigurationName") or None,
        "launch_template": {"id": template.get("LaunchTemplateId"), "version": template.get("Version")}
        if template
        else None,
        "tag": _tag_list(item.get("Tags") or [], "Key", "Value", "PropagateAtLaunch"),
    }


def _group_desired(attrs: Attrs) -> Attrs:
    template = first_block(attrs, "launch_template")
    return {
        **{name: attrs.get(name) for name in _SIZES},
        "vpc_zone_identifier": sorted(attrs.get("vpc_zone_identifier") or []),
        "target_group_arns": sorted(attrs.get("target_group_arns") or []),
        "launch_configuration": attrs.get("launch_configuration") or None,
        "launch_template": {"id": template.get("id"), "version": template.get("version") or "$Default"}
        if template
        else None,
        "tag": _tag_list(attrs.get("tag") or [], "key", "value", "propagate_at_launch"),
    }


@writes("update_auto_scaling_group")
def _group_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    params = {_SIZES[c.path]: c.expected for c in changes if c.path in _SIZES and c.expected is not None}
    if not params:
        return []
    return [
        AwsCall(
            "autoscaling",
            "update_auto_scaling_group",
            {"AutoScalingGroupName": resource.id, **params},
            resource.region,
        )
    ]


_GROUP = "requestParameters.autoScalingGroupName"
_GROUP_BY_PATH = {
    **dict.fromkeys(
        (
            "min_size",
            "max_size",
            "health_check_type",
            "health_check_grace_period",
            "vpc_zone_identifier",
            "launch_configuration",
            "launch_template",
        ),
        ("UpdateAutoScalingGroup",),
    ),
    "target_group_arns": (
        "AttachLoadBalancerTargetGroups",
        "DetachLoadBalancerTargetGroups",
        "AttachTrafficSources",
        "DetachTrafficSources",
    ),
    "tag": ("CreateOrUpdateTags", "DeleteTags"),
}
_GROUP_EVENTS = TypeEvents(
    missing=("DeleteAutoScalingGroup",),
    unmanaged=("CreateAutoScalingGroup",),
    changed=edits(_GROUP_BY_PATH),
    by_path=_GROUP_BY_PATH,
    touched_by={
        **dict.fromkeys(
            ("CreateAutoScalingGroup", "DeleteAutoScalingGroup", "UpdateAutoScalingGroup"), _GROUP
        ),
        **dict.fromkeys(_GROUP_BY_PATH["target_group_arns"], _GROUP),
        # Tags name their group in a list, with the kind of resource each is on.
        **dict.fromkeys(
            _GROUP_BY_PATH["tag"], "requestParameters.tags[?resourceType=='auto-scaling-group'].resourceId"
        ),
    },
    ids=named(
        "autoscaling", "autoScalingGroup:[^:]+:autoScalingGroupName/", r"[^:]+", "a group name, or its ARN"
    ),
)


REGISTRY.register(
    ResourceType(
        name="aws_autoscaling_group",
        events=_GROUP_EVENTS,
        service="autoscaling",
        list_call="describe_auto_scaling_groups",
        items_path="AutoScalingGroups",
        id_key="AutoScalingGroupName",
        to_attrs=_group_attrs,
        aws_default=_group_made_elsewhere,
        normalise_desired=_group_desired,
        compared=(
            *_SIZES,
            "vpc_zone_identifier",
            "target_group_arns",
            "launch_configuration",
            "launch_template",
            "tag",
        ),
        ignored={
            "desired_capacity": "owned by scaling policies and schedules, which change it all day",
            "mixed_instances_policy": "not compared yet",
            "wait_for_capacity_timeout": "Terraform-only setting",
            "force_delete": "Terraform-only setting",
        },
        keep_item=lambda item: item.get("Status") != "Delete in progress",
        restore_calls=_group_restore,
        restorable=tuple(_SIZES),
        describe=lambda resource: f"autoscaling group {resource.id}",
        pulumi_blocks={"tags": "tag"},  # `tag` blocks; Terraform's own `tags` is gone since 5.0
    )
)
