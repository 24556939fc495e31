"""Sample CloudTrail records for the network-edge types (target group attachments, ...)."""

from __future__ import annotations

from tests.event_samples import Sample

ACCOUNT = "123456789012"
TARGET_GROUP = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/sweep-tga-web/73e2d6bc24d8a067"

SAMPLES: list[Sample] = [
    # DeregisterTargets names the group (and the targets): the group is read with its targets.
    (
        "elbv2",
        "DeregisterTargets",
        {"targetGroupArn": TARGET_GROUP, "targets": [{"id": "i-0123456789abcdef0", "port": 8080}]},
        None,
        None,
        [("aws_lb_target_group", TARGET_GROUP)],
    ),
]
