"""Sample CloudTrail records for what hangs off an Auto Scaling group (policies, schedules):
each names its group, which is read with its policies and scheduled actions."""

from __future__ import annotations

from tests.event_samples import Sample

ACCOUNT = "123456789012"
POLICY_ARN = (
    f"arn:aws:autoscaling:us-east-1:{ACCOUNT}:scalingPolicy:c322761b-3172-4d56-9a21-0ed9d6161d67:"
    "autoScalingGroupName/sweep-asg-policy-web:policyName/sweep-asg-policy-cpu"
)

SAMPLES: list[Sample] = [
    (
        "autoscaling",
        "PutScalingPolicy DeletePolicy",
        {"autoScalingGroupName": "sweep-asg-policy-web", "policyName": "sweep-asg-policy-cpu"},
        None,
        None,
        [("aws_autoscaling_group", "sweep-asg-policy-web")],
    ),
    # DeletePolicy may name the policy by its ARN alone, which holds the group.
    (
        "autoscaling",
        "DeletePolicy",
        {"policyName": POLICY_ARN},
        None,
        None,
        [("aws_autoscaling_group", "sweep-asg-policy-web")],
    ),
    (
        "autoscaling",
        "PutScheduledUpdateGroupAction DeleteScheduledAction",
        {"autoScalingGroupName": "sweep-asg-schedule-web", "scheduledActionName": "sweep-asg-schedule-night"},
        None,
        None,
        [("aws_autoscaling_group", "sweep-asg-schedule-web")],
    ),
    (
        "autoscaling",
        "BatchPutScheduledUpdateGroupAction BatchDeleteScheduledAction",
        {
            "autoScalingGroupName": "sweep-asg-schedule-web",
            "scheduledActionNames": ["sweep-asg-schedule-night"],
        },
        None,
        None,
        [("aws_autoscaling_group", "sweep-asg-schedule-web")],
    ),
    (
        "autoscaling",
        "CreateLaunchConfiguration DeleteLaunchConfiguration",
        {"launchConfigurationName": "sweep-lc-app"},
        None,
        None,
        [("aws_launch_configuration", "sweep-lc-app")],
    ),
]
