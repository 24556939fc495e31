"""Auto Scaling groups: one paginated DescribeAutoScalingGroups per region, tags included.

`desired_capacity` is owned by scaling policies and schedules, which change it all day:
never compared. The group's instances carry `aws:autoscaling:groupName` and are skipped
by aws_instance for the same reason.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from datetime import datetime, timezone
from typing import Any

from guard.live.events import IdForms, TypeEvents, edits, named
from guard.live.shape import first_block
from guard.live.types import REGISTRY, Attrs, GraphHooks, ResourceType, writes
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


# --- what hangs off a group: its scaling policies and scheduled actions -------------------------

# Policies, schedules and (as PutScalingPolicy / DeletePolicy name them) a policy's ARN name
# their group by name; a policy's ARN holds it too.
_GROUP_OF = IdForms(
    (
        (
            r"arn:(?:aws|aws-cn|aws-us-gov):autoscaling:[a-z0-9-]*:\d*:(?:scalingPolicy|scheduledUpdateGroupAction|"
            r"autoScalingGroup):[^:]+:autoScalingGroupName/(?P<name>[^:]+)(?::.*)?",
            "{name}",
        ),
        (r"[^:]+", "{value}"),
    ),
    "a group name, or the group in a policy's, schedule's or group's ARN",
)


def _number(value: Any) -> float | None:
    """A number or a provider string ("" when unset, as step bounds are) as a float."""
    if value in (None, ""):
        return None
    return float(value)


def _count(value: Any) -> int | None:
    """An optional count; the provider's 0 (and the schedule's -1) for unset is unset."""
    return int(value) if value not in (None, "", 0, -1) else None


def _steps(items: Any, lower: str, upper: str, adjustment: str) -> list[Attrs]:
    return sorted(
        (
            {
                "lower": _number(item.get(lower)),
                "upper": _number(item.get(upper)),
                "scaling_adjustment": int(item.get(adjustment) or 0),
            }
            for item in items or []
        ),
        key=lambda step: (step["lower"] is not None, step["lower"] or 0.0),
    )


def _target_tracking(
    target: float | None,
    disable_scale_in: Any,
    predefined: tuple[Any, Any] | None,
    custom: tuple[Any, Any, Any, Any, list[tuple[str, str]]] | None,
) -> Attrs | None:
    if target is None:
        return None
    metric_type, label = predefined or (None, None)
    return {
        "target_value": target,
        "disable_scale_in": bool(disable_scale_in),
        "predefined_metric_type": metric_type or None,
        "resource_label": label or None,
        # The single-metric form; the metric-math form (`metrics`) is not compared yet.
        "customized_metric": {
            "metric_name": custom[0],
            "namespace": custom[1],
            "statistic": custom[2],
            "unit": custom[3] or None,
            "dimensions": sorted(custom[4]),
        }
        if custom and custom[0]
        else None,
    }


def _policy_shape(values: Attrs) -> Attrs:
    """One shape for state and AWS; settings that mean nothing to the policy's type are unset."""
    kind = values.get("policy_type") or "SimpleScaling"
    simple, step = kind == "SimpleScaling", kind == "StepScaling"
    return {
        "autoscaling_group_name": values.get("autoscaling_group_name"),
        "name": values.get("name"),
        "policy_type": kind,
        "enabled": values.get("enabled") is not False,
        "adjustment_type": (values.get("adjustment_type") or None) if simple or step else None,
        "scaling_adjustment": values.get("scaling_adjustment") if simple else None,
        "cooldown": _count(values.get("cooldown")) if simple else None,
        "min_adjustment_magnitude": _count(values.get("min_adjustment_magnitude"))
        if simple or step
        else None,
        "metric_aggregation_type": (values.get("metric_aggregation_type") or "Average") if step else None,
        "estimated_instance_warmup": _count(values.get("estimated_instance_warmup")) if not simple else None,
        "step_adjustment": values.get("step_adjustment") or [] if step else [],
        "target_tracking_configuration": values.get("target_tracking_configuration")
        if kind == "TargetTrackingScaling"
        else None,
    }


def _policy_attrs(item: Attrs) -> Attrs:
    tracking = item.get("TargetTrackingConfiguration") or {}
    predefined = tracking.get("PredefinedMetricSpecification")
    custom = tracking.get("CustomizedMetricSpecification")
    return _policy_shape(
        {
            "autoscaling_group_name": item.get("AutoScalingGroupName"),
            "name": item.get("PolicyName"),
            "policy_type": item.get("PolicyType"),
            "enabled": item.get("Enabled"),  # moto leaves it out; AWS says true
            "adjustment_type": item.get("AdjustmentType"),
            "scaling_adjustment": item.get("ScalingAdjustment"),
            "cooldown": item.get("Cooldown"),
            "min_adjustment_magnitude": item.get("MinAdjustmentMagnitude"),
            "metric_aggregation_type": item.get("MetricAggregationType"),
            "estimated_instance_warmup": item.get("EstimatedInstanceWarmup"),
            "step_adjustment": _steps(
                item.get("StepAdjustments"),
                "MetricIntervalLowerBound",
                "MetricIntervalUpperBound",
                "ScalingAdjustment",
            ),
            "target_tracking_configuration": _target_tracking(
                _number(tracking.get("TargetValue")),
                tracking.get("DisableScaleIn"),
                (predefined.get("PredefinedMetricType"), predefined.get("ResourceLabel"))
                if predefined
                else None,
                (
                    custom.get("MetricName"),
                    custom.get("Namespace"),
                    custom.get("Statistic"),
                    custom.get("Unit"),
                    [(d["Name"], d["Value"]) for d in custom.get("Dimensions") or []],
                )
                if custom
                else None,
            ),
        }
    )


def _declared_tracking(value: Any) -> Attrs | None:
    if isinstance(value, dict) or value is None:  # already shaped (a restore gets it so)
        return value
    tracking = first_block({"t": value}, "t")
    if not tracking:
        return None
    predefined = first_block(tracking, "predefined_metric_specification")
    custom = first_block(tracking, "customized_metric_specification")
    return _target_tracking(
        _number(tracking.get("target_value")),
        tracking.get("disable_scale_in"),
        (predefined.get("predefined_metric_type"), predefined.get("resource_label")) if predefined else None,
        (
            custom.get("metric_name"),
            custom.get("namespace"),
            custom.get("statistic"),
            custom.get("unit"),
            [(d["name"], d["value"]) for d in custom.get("metric_dimension") or []],
        )
        if custom
        else None,
    )


def _declared_steps(value: Any) -> list[Attrs]:
    listed = list(value or [])
    if listed and "lower" in listed[0]:  # already shaped
        return listed
    return _steps(listed, "metric_interval_lower_bound", "metric_interval_upper_bound", "scaling_adjustment")


def _policy_desired(attrs: Attrs) -> Attrs:
    return _policy_shape(
        {
            **attrs,
            "step_adjustment": _declared_steps(attrs.get("step_adjustment")),
            "target_tracking_configuration": _declared_tracking(attrs.get("target_tracking_configuration")),
        }
    )


def _policy_key(resource: Resource) -> str:
    return f"{resource.attrs.get('autoscaling_group_name')}/{resource.attrs.get('name')}"


def _put_policy(resource: Resource) -> AwsCall:
    """PutScalingPolicy with every declared setting: it replaces the policy's configuration."""
    declared = _policy_desired(resource.attrs)
    request: dict[str, Any] = {
        "AutoScalingGroupName": declared["autoscaling_group_name"],
        "PolicyName": declared["name"],
        "PolicyType": declared["policy_type"],
        "Enabled": declared["enabled"],
    }
    optional = {
        "AdjustmentType": declared["adjustment_type"],
        "ScalingAdjustment": declared["scaling_adjustment"],
        "Cooldown": declared["cooldown"],
        "MinAdjustmentMagnitude": declared["min_adjustment_magnitude"],
        "MetricAggregationType": declared["metric_aggregation_type"],
        "EstimatedInstanceWarmup": declared["estimated_instance_warmup"],
    }
    request.update({key: value for key, value in optional.items() if value is not None})
    if declared["step_adjustment"]:
        request["StepAdjustments"] = [
            {
                **({"MetricIntervalLowerBound": s["lower"]} if s["lower"] is not None else {}),
                **({"MetricIntervalUpperBound": s["upper"]} if s["upper"] is not None else {}),
                "ScalingAdjustment": s["scaling_adjustment"],
            }
            for s in declared["step_adjustment"]
        ]
    tracking = declared["target_tracking_configuration"]
    if tracking:
        configuration: dict[str, Any] = {
            "TargetValue": tracking["target_value"],
            "DisableScaleIn": tracking["disable_scale_in"],
        }
        if tracking["predefined_metric_type"]:
            configuration["PredefinedMetricSpecification"] = {
                "PredefinedMetricType": tracking["predefined_metric_type"],
                **({"ResourceLabel": tracking["resource_label"]} if tracking["resource_label"] else {}),
            }
        custom = tracking["customized_metric"]
        if custom:
            configuration["CustomizedMetricSpecification"] = {
                "MetricName": custom["metric_name"],
                "Namespace": custom["namespace"],
                "Statistic": custom["statistic"],
                "Dimensions": [{"Name": n, "Value": v} for n, v in custom["dimensions"]],
                **({"Unit": custom["unit"]} if custom["unit"] else {}),
            }
        request["TargetTrackingConfiguration"] = configuration
    return AwsCall("autoscaling", "put_scaling_policy", request, resource.region)


_POLICY_GROUP = "requestParameters.autoScalingGroupName || requestParameters.policyName"
_POLICY_EVENTS = TypeEvents(
    missing=("DeletePolicy",),
    unmanaged=("PutScalingPolicy",),
    changed=("PutScalingPolicy",),
    lookup_attr="autoscaling_group_name",  # CloudTrail names a policy by its group
    # The group is named (or is in the policy's ARN): it is read with its policies.
    touched_by=dict.fromkeys(("PutScalingPolicy", "DeletePolicy"), _POLICY_GROUP),
    ids=_GROUP_OF,
    names_parent=True,
)


REGISTRY.register(
    ResourceType(
        name="aws_autoscaling_policy",
        events=_POLICY_EVENTS,
        service="autoscaling",
        list_call="describe_policies",
        items_path="ScalingPolicies",
        id_key="PolicyName",
        to_attrs=_policy_attrs,
        normalise_desired=_policy_desired,
        compared=(
            "autoscaling_group_name",
            "name",
            "policy_type",
            "enabled",
            "adjustment_type",
            "scaling_adjustment",
            "cooldown",
            "min_adjustment_magnitude",
            "metric_aggregation_type",
            "estimated_instance_warmup",
            "step_adjustment",
            "target_tracking_configuration",
        ),
        ignored={
            "arn": "computed",
            "predictive_scaling_configuration": "not compared yet",
        },
        # ECS capacity providers make and own their group's target-tracking policy.
        aws_default=lambda item: str(item.get("PolicyName", "")).startswith("ECSManagedAutoScalingPolicy"),
        parent=("autoscaling_group_name", "aws_autoscaling_group"),
        # Terraform's id is the policy's name alone, which two groups may both use.
        match_key=_policy_key,
        read_params=lambda resource: (
            {"AutoScalingGroupName": resource.attrs["autoscaling_group_name"]}
            if resource.attrs.get("autoscaling_group_name")
            else {}
        ),
        restore_calls=writes("put_scaling_policy")(lambda resource, _, __: [_put_policy(resource)]),
        restorable=("*",),
        # A deleted policy is re-created by Terraform (PutScalingPolicy would; no case proves it yet).
        delete_calls=writes("delete_policy")(
            lambda live: [
                AwsCall(
                    "autoscaling",
                    "delete_policy",
                    {"AutoScalingGroupName": live.attrs.get("autoscaling_group_name"), "PolicyName": live.id},
                    live.region,
                )
            ]
        ),
        describe=lambda resource: (
            f"scaling policy {resource.attrs.get('name') or resource.id} of group "
            f"{resource.attrs.get('autoscaling_group_name')}"
        ),
        pulumi_tokens=("aws:autoscaling/policy:Policy",),
        graph=GraphHooks(forward=("autoscaling_group_name",)),
    )
)


# aws_autoscaling_schedule ---------------------------------------------------------------


def _time(value: Any) -> str | None:
    """A time as the provider writes it (RFC 3339, UTC, seconds): 2026-12-31T20:00:00Z."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    else:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _schedule_shape(values: Attrs) -> Attrs:
    recurrence = values.get("recurrence") or None
    return {
        "autoscaling_group_name": values.get("autoscaling_group_name"),
        "scheduled_action_name": values.get("scheduled_action_name"),
        "min_size": _size(values.get("min_size")),
        "max_size": _size(values.get("max_size")),
        "desired_capacity": _size(values.get("desired_capacity")),
        "recurrence": recurrence,
        # UTC is what an unset time zone means.
        "time_zone": _zone(values.get("time_zone")) if recurrence else None,
        # A recurring action's start time is when it next runs, which AWS moves on each run.
        "start_time": None if recurrence else _time(values.get("start_time")),
        "end_time": _time(values.get("end_time")),
    }


def _zone(value: Any) -> str | None:
    return None if value in (None, "", "UTC", "Etc/UTC") else str(value)


def _size(value: Any) -> int | None:
    """A size the action sets; -1 (the provider's "leave it") and unset are the same."""
    return None if value in (None, "", -1) else int(value)


def _schedule_attrs(item: Attrs) -> Attrs:
    return _schedule_shape(
        {
            "autoscaling_group_name": item.get("AutoScalingGroupName"),
            "scheduled_action_name": item.get("ScheduledActionName"),
            "min_size": item.get("MinSize"),
            "max_size": item.get("MaxSize"),
            "desired_capacity": item.get("DesiredCapacity"),
            "recurrence": item.get("Recurrence"),
            "time_zone": item.get("TimeZone"),
            "start_time": item.get("StartTime"),
            "end_time": item.get("EndTime"),
        }
    )


def _put_schedule(resource: Resource) -> AwsCall:
    declared = _schedule_shape(resource.attrs)
    optional = {
        "MinSize": declared["min_size"],
        "MaxSize": declared["max_size"],
        "DesiredCapacity": declared["desired_capacity"],
        "Recurrence": declared["recurrence"],
        "TimeZone": declared["time_zone"],
        "StartTime": declared["start_time"],
        "EndTime": declared["end_time"],
    }
    request = {
        "AutoScalingGroupName": declared["autoscaling_group_name"],
        "ScheduledActionName": declared["scheduled_action_name"],
        **{key: value for key, value in optional.items() if value is not None},
    }
    return AwsCall("autoscaling", "put_scheduled_update_group_action", request, resource.region)


_SCHEDULE_PUT = ("PutScheduledUpdateGroupAction", "BatchPutScheduledUpdateGroupAction")
_SCHEDULE_DELETE = ("DeleteScheduledAction", "BatchDeleteScheduledAction")
_SCHEDULE_EVENTS = TypeEvents(
    missing=_SCHEDULE_DELETE,
    unmanaged=_SCHEDULE_PUT,
    changed=_SCHEDULE_PUT,
    lookup_attr="autoscaling_group_name",  # CloudTrail names a scheduled action by its group
    touched_by=dict.fromkeys((*_SCHEDULE_PUT, *_SCHEDULE_DELETE), "requestParameters.autoScalingGroupName"),
    ids=_GROUP_OF,
    names_parent=True,
)


REGISTRY.register(
    ResourceType(
        name="aws_autoscaling_schedule",
        events=_SCHEDULE_EVENTS,
        service="autoscaling",
        list_call="describe_scheduled_actions",
        items_path="ScheduledUpdateGroupActions",
        id_key="ScheduledActionName",
        to_attrs=_schedule_attrs,
        normalise_desired=_schedule_shape,
        compared=(
            "autoscaling_group_name",
            "scheduled_action_name",
            "min_size",
            "max_size",
            "desired_capacity",
            "recurrence",
            "time_zone",
            "start_time",
            "end_time",
        ),
        ignored={"arn": "computed"},
        parent=("autoscaling_group_name", "aws_autoscaling_group"),
        # Terraform's id is the action's name alone, which two groups may both use.
        match_key=lambda resource: (
            f"{resource.attrs.get('autoscaling_group_name')}/{resource.attrs.get('scheduled_action_name')}"
        ),
        read_params=lambda resource: (
            {"AutoScalingGroupName": resource.attrs["autoscaling_group_name"]}
            if resource.attrs.get("autoscaling_group_name")
            else {}
        ),
        restore_calls=writes("put_scheduled_update_group_action")(
            lambda resource, _, __: [_put_schedule(resource)]
        ),
        restorable=("*",),
        # A deleted action is re-created by Terraform (no case proves PutScheduledUpdateGroupAction yet).
        delete_calls=writes("delete_scheduled_action")(
            lambda live: [
                AwsCall(
                    "autoscaling",
                    "delete_scheduled_action",
                    {
                        "AutoScalingGroupName": live.attrs.get("autoscaling_group_name"),
                        "ScheduledActionName": live.id,
                    },
                    live.region,
                )
            ]
        ),
        describe=lambda resource: (
            f"scheduled action {resource.attrs.get('scheduled_action_name') or resource.id} of group "
            f"{resource.attrs.get('autoscaling_group_name')}"
        ),
        pulumi_tokens=("aws:autoscaling/schedule:Schedule",),
        graph=GraphHooks(forward=("autoscaling_group_name",)),
    )
)


# aws_launch_configuration ---------------------------------------------------------------


def user_data_hash(value: Any) -> str | None:
    """What the provider keeps of user data: the SHA-1 of the decoded script (AWS returns it
    base64-encoded; a value that is not base64 is hashed as is). The script is never kept."""
    if value in (None, ""):
        return None
    text = str(value)
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        data = text.encode()
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()  # the provider's digest


_HASH = re.compile(r"[0-9a-f]{40}")


def _declared_user_data(attrs: Attrs) -> str | None:
    """State holds the hash already; user_data_base64 (or a plan's raw script) is hashed here."""
    value = attrs.get("user_data") or None
    if value and _HASH.fullmatch(str(value)):
        return str(value)
    return user_data_hash(attrs.get("user_data_base64") or value)


def _metadata(endpoint: Any, tokens: Any, hops: Any) -> Attrs:
    """The instance metadata service; AWS's defaults when unset (enabled, tokens optional, 1 hop)."""
    return {
        "http_endpoint": endpoint or "enabled",
        "http_tokens": tokens or "optional",
        "http_put_response_hop_limit": int(hops or 1),
    }


def _launch_configuration_attrs(item: Attrs) -> Attrs:
    metadata = item.get("MetadataOptions") or {}
    return {
        "name": item.get("LaunchConfigurationName"),
        "image_id": item.get("ImageId"),
        "instance_type": item.get("InstanceType"),
        "key_name": item.get("KeyName") or None,
        "security_groups": sorted(item.get("SecurityGroups") or []),
        "associate_public_ip_address": bool(item.get("AssociatePublicIpAddress")),
        "iam_instance_profile": item.get("IamInstanceProfile") or None,
        "ebs_optimized": bool(item.get("EbsOptimized")),
        "enable_monitoring": (item.get("InstanceMonitoring") or {}).get("Enabled") is not False,
        "placement_tenancy": item.get("PlacementTenancy") or "default",
        "spot_price": item.get("SpotPrice") or None,
        "user_data": user_data_hash(item.get("UserData")),
        "metadata_options": _metadata(
            metadata.get("HttpEndpoint"), metadata.get("HttpTokens"), metadata.get("HttpPutResponseHopLimit")
        ),
    }


def _launch_configuration_desired(attrs: Attrs) -> Attrs:
    metadata = attrs.get("metadata_options")
    if not (isinstance(metadata, dict) and "http_put_response_hop_limit" in metadata and len(metadata) == 3):
        block = first_block({"m": metadata}, "m")
        metadata = _metadata(
            block.get("http_endpoint"), block.get("http_tokens"), block.get("http_put_response_hop_limit")
        )
    monitoring = attrs.get("enable_monitoring")
    return {
        "name": attrs.get("name"),
        "image_id": attrs.get("image_id"),
        "instance_type": attrs.get("instance_type"),
        "key_name": attrs.get("key_name") or None,
        "security_groups": sorted(attrs.get("security_groups") or []),
        "associate_public_ip_address": bool(attrs.get("associate_public_ip_address")),
        "iam_instance_profile": attrs.get("iam_instance_profile") or None,
        "ebs_optimized": bool(attrs.get("ebs_optimized")),
        "enable_monitoring": monitoring is not False,  # the provider's default is on
        "placement_tenancy": attrs.get("placement_tenancy") or "default",
        "spot_price": attrs.get("spot_price") or None,
        "user_data": _declared_user_data(attrs),
        "metadata_options": metadata,
    }


def _made_by_beanstalk(item: Attrs) -> bool:
    """Elastic Beanstalk's environments launch from configurations their stacks make."""
    name = str(item.get("LaunchConfigurationName") or "")
    return name.startswith("awseb-") or "AWSEBAutoScalingLaunchConfiguration" in name


_LAUNCH_CONFIGURATION_EVENTS = TypeEvents(
    missing=("DeleteLaunchConfiguration",),
    unmanaged=("CreateLaunchConfiguration",),
    # Immutable: an "edit" is a delete and a create under the same name.
    changed=("DeleteLaunchConfiguration", "CreateLaunchConfiguration"),
    touched_by=dict.fromkeys(
        ("CreateLaunchConfiguration", "DeleteLaunchConfiguration"),
        "requestParameters.launchConfigurationName",
    ),
    ids=named(
        "autoscaling",
        "launchConfiguration:[^:]+:launchConfigurationName/",
        r"[^:]+",
        "a launch configuration's name, or its ARN",
    ),
)


REGISTRY.register(
    ResourceType(
        name="aws_launch_configuration",
        events=_LAUNCH_CONFIGURATION_EVENTS,
        service="autoscaling",
        list_call="describe_launch_configurations",
        items_path="LaunchConfigurations",
        id_key="LaunchConfigurationName",
        to_attrs=_launch_configuration_attrs,
        normalise_desired=_launch_configuration_desired,
        compared=(
            "name",
            "image_id",
            "instance_type",
            "key_name",
            "security_groups",
            "associate_public_ip_address",
            "iam_instance_profile",
            "ebs_optimized",
            "enable_monitoring",
            "placement_tenancy",
            "spot_price",
            "user_data",
            "metadata_options",
        ),
        ignored={
            "arn": "computed",
            "name_prefix": "only shapes the name at creation",
            "user_data_base64": "compared by its hash, as user_data",
            "root_block_device": "not compared yet",
            "ebs_block_device": "not compared yet",
            "ephemeral_block_device": "not compared yet",
        },
        aws_default=_made_by_beanstalk,
        read_params=lambda resource: {"LaunchConfigurationNames": [resource.id]} if resource.id else {},
        # Immutable, and state keeps only a hash of its user data: no call can put one back
        # as declared; Terraform re-creates it (the IaC path). An extra one can be deleted.
        restorable=(),
        delete_calls=writes("delete_launch_configuration")(
            lambda live: [
                AwsCall(
                    "autoscaling",
                    "delete_launch_configuration",
                    {"LaunchConfigurationName": live.id},
                    live.region,
                )
            ]
        ),
        describe=lambda resource: f"launch configuration {resource.id}",
        pulumi_tokens=("aws:ec2/launchConfiguration:LaunchConfiguration",),
        graph=GraphHooks(forward=("security_groups", "iam_instance_profile")),
    )
)
