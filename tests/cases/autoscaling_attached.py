"""Cases for what hangs off an Auto Scaling group: a scaling policy, a scheduled action. Each
builds its own group (declared too) under names no other case uses."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.emulator import machine_image
from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.autoscaling import _create_group, _default_subnet, declare_launch_configuration
from tests.cases.services import client
from tests.support.services import autoscaling_group_attributes, launch_configuration_attributes


def _group(session: boto3.Session, state: TerraformState, name: str) -> None:
    launch_configuration = declare_launch_configuration(session, state, f"{name}-lc")
    _create_group(session, name, _default_subnet(session), launch_configuration)
    group = client(session, "autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[name])[
        "AutoScalingGroups"
    ][0]
    state.add("aws_autoscaling_group", name.replace("-", "_"), autoscaling_group_attributes(group))


def autoscaling_policy_attributes(policy: dict[str, Any]) -> dict[str, Any]:
    """The provider's state (schema 0): unset numbers are 0, unset strings "", blocks []."""
    tracking = policy.get("TargetTrackingConfiguration")
    predefined = (tracking or {}).get("PredefinedMetricSpecification")
    return {
        "adjustment_type": policy.get("AdjustmentType", ""),
        "arn": policy["PolicyARN"],
        "autoscaling_group_name": policy["AutoScalingGroupName"],
        "cooldown": policy.get("Cooldown", 0),
        "enabled": policy.get("Enabled", True),
        "estimated_instance_warmup": policy.get("EstimatedInstanceWarmup", 0),
        "id": policy["PolicyName"],
        "metric_aggregation_type": policy.get("MetricAggregationType", ""),
        "min_adjustment_magnitude": policy.get("MinAdjustmentMagnitude", 0),
        "name": policy["PolicyName"],
        "policy_type": policy["PolicyType"],
        "predictive_scaling_configuration": [],
        "scaling_adjustment": policy.get("ScalingAdjustment", 0),
        "step_adjustment": [],
        "target_tracking_configuration": [
            {
                "customized_metric_specification": [],
                "disable_scale_in": tracking.get("DisableScaleIn", False),
                "predefined_metric_specification": [
                    {
                        "predefined_metric_type": predefined["PredefinedMetricType"],
                        "resource_label": predefined.get("ResourceLabel", ""),
                    }
                ]
                if predefined
                else [],
                "target_value": tracking["TargetValue"],
            }
        ]
        if tracking
        else [],
    }


def autoscaling_schedule_attributes(action: dict[str, Any]) -> dict[str, Any]:
    def time(key: str) -> str:
        value = action.get(key)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""

    return {
        "arn": action.get("ScheduledActionARN", ""),
        "autoscaling_group_name": action["AutoScalingGroupName"],
        "desired_capacity": action.get("DesiredCapacity", -1),
        "end_time": time("EndTime"),
        "id": action["ScheduledActionName"],
        "max_size": action.get("MaxSize", -1),
        "min_size": action.get("MinSize", -1),
        "recurrence": action.get("Recurrence", ""),
        "scheduled_action_name": action["ScheduledActionName"],
        "start_time": time("StartTime"),
        "time_zone": action.get("TimeZone", ""),
    }


# aws_autoscaling_policy: a step-out policy and a CPU target; the console raises the target.

POLICY_GROUP = "sweep-asg-policy-web"


def _policies(session: boto3.Session, names: list[str]) -> list[dict[str, Any]]:
    answer = client(session, "autoscaling").describe_policies(
        AutoScalingGroupName=POLICY_GROUP, PolicyNames=names
    )
    return list(answer["ScalingPolicies"])


def build_policy(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    _group(session, state, POLICY_GROUP)
    autoscaling = client(session, "autoscaling")
    autoscaling.put_scaling_policy(
        AutoScalingGroupName=POLICY_GROUP,
        PolicyName="sweep-asg-policy-out",
        PolicyType="SimpleScaling",
        AdjustmentType="ChangeInCapacity",
        ScalingAdjustment=1,
        Cooldown=120,
    )
    autoscaling.put_scaling_policy(
        AutoScalingGroupName=POLICY_GROUP,
        PolicyName="sweep-asg-policy-cpu",
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration={
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
            "TargetValue": 50.0,
        },
    )
    for policy in _policies(session, ["sweep-asg-policy-out", "sweep-asg-policy-cpu"]):
        state.add(
            "aws_autoscaling_policy",
            policy["PolicyName"].removeprefix("sweep-asg-policy-"),
            autoscaling_policy_attributes(policy),
        )
    ctx["policy"] = "sweep-asg-policy-cpu"


def _target_raised(session: boto3.Session, ctx: Context) -> None:
    client(session, "autoscaling").put_scaling_policy(
        AutoScalingGroupName=POLICY_GROUP,
        PolicyName="sweep-asg-policy-cpu",
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration={
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
            "TargetValue": 90.0,
        },
    )


def _policy_added(session: boto3.Session, ctx: Context) -> str:
    client(session, "autoscaling").put_scaling_policy(
        AutoScalingGroupName=POLICY_GROUP,
        PolicyName="sweep-asg-policy-adhoc-in",
        PolicyType="SimpleScaling",
        AdjustmentType="ChangeInCapacity",
        ScalingAdjustment=-1,
        Cooldown=60,
    )
    return "sweep-asg-policy-adhoc-in"


# aws_autoscaling_schedule: shrink to one instance each night, Paris time.

SCHEDULE_GROUP = "sweep-asg-schedule-web"


def _put_night(session: boto3.Session, max_size: int) -> None:
    client(session, "autoscaling").put_scheduled_update_group_action(
        AutoScalingGroupName=SCHEDULE_GROUP,
        ScheduledActionName="sweep-asg-schedule-night",
        Recurrence="0 20 * * *",
        TimeZone="Europe/Paris",
        MinSize=0,
        MaxSize=max_size,
        DesiredCapacity=0,
    )


def build_schedule(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    _group(session, state, SCHEDULE_GROUP)
    _put_night(session, 1)
    [action] = client(session, "autoscaling").describe_scheduled_actions(
        AutoScalingGroupName=SCHEDULE_GROUP, ScheduledActionNames=["sweep-asg-schedule-night"]
    )["ScheduledUpdateGroupActions"]
    ctx["schedule"] = "sweep-asg-schedule-night"
    state.add("aws_autoscaling_schedule", "night", autoscaling_schedule_attributes(action))


def _schedule_added(session: boto3.Session, ctx: Context) -> str:
    client(session, "autoscaling").put_scheduled_update_group_action(
        AutoScalingGroupName=SCHEDULE_GROUP,
        ScheduledActionName="sweep-asg-schedule-adhoc",
        Recurrence="0 8 * * 1",
        MinSize=1,
        MaxSize=4,
    )
    return "sweep-asg-schedule-adhoc"


# aws_launch_configuration: an app server's configuration with a boot script and IMDSv2,
# not in use by a group yet; someone deletes it (it is immutable: that is the edit there is).

LAUNCH_CONFIGURATION = "sweep-lc-app"
BOOT_SCRIPT = "#!/bin/bash\nsystemctl start app\n"


def _launch_configuration(session: boto3.Session, name: str) -> None:
    client(session, "autoscaling").create_launch_configuration(
        LaunchConfigurationName=name,
        ImageId=machine_image(client(session, "ec2")),
        InstanceType="t3.small",
        UserData=BOOT_SCRIPT,
        InstanceMonitoring={"Enabled": True},
        MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled", "HttpPutResponseHopLimit": 2},
    )


def build_launch_configuration(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    _launch_configuration(session, LAUNCH_CONFIGURATION)
    [configuration] = client(session, "autoscaling").describe_launch_configurations(
        LaunchConfigurationNames=[LAUNCH_CONFIGURATION]
    )["LaunchConfigurations"]
    ctx["launch_configuration"] = LAUNCH_CONFIGURATION
    state.add("aws_launch_configuration", "app", launch_configuration_attributes(configuration))


def _launch_configuration_added(session: boto3.Session, ctx: Context) -> str:
    _launch_configuration(session, "sweep-lc-adhoc")
    return "sweep-lc-adhoc"


CASES = [
    TypeCase(
        "aws_autoscaling_policy",
        build=build_policy,
        drift=_target_raised,
        expected=Expected(
            "changed",
            "aws_autoscaling_policy",
            "policy",
            "aws_autoscaling_policy.cpu",
            paths=("target_tracking_configuration.target_value",),
        ),
        unmanaged=_policy_added,
        unmanaged_type="aws_autoscaling_policy",
    ),
    TypeCase(
        "aws_autoscaling_schedule",
        build=build_schedule,
        drift=lambda s, c: _put_night(s, 4),
        expected=Expected(
            "changed",
            "aws_autoscaling_schedule",
            "schedule",
            "aws_autoscaling_schedule.night",
            paths=("max_size",),
        ),
        unmanaged=_schedule_added,
        unmanaged_type="aws_autoscaling_schedule",
    ),
    TypeCase(
        "aws_launch_configuration",
        build=build_launch_configuration,
        drift=lambda s, c: client(s, "autoscaling").delete_launch_configuration(
            LaunchConfigurationName=LAUNCH_CONFIGURATION
        ),
        expected=Expected(
            "missing", "aws_launch_configuration", "launch_configuration", "aws_launch_configuration.app"
        ),
        unmanaged=_launch_configuration_added,
        unmanaged_type="aws_launch_configuration",
    ),
]
