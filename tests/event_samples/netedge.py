"""Sample CloudTrail records for the network-edge types (target group attachments,
ACL rules, network interfaces)."""

from __future__ import annotations

from tests.event_samples import Sample

ACCOUNT = "123456789012"
ENI = "eni-0sweepeni00000001"
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
    # An ACL rule has no id in AWS: the entry calls name its ACL, read with its rules (as
    # aws_network_acl and, for a default ACL, aws_default_network_acl already follow them).
    (
        "ec2",
        "CreateNetworkAclEntry ReplaceNetworkAclEntry DeleteNetworkAclEntry",
        {"networkAclId": "acl-0sweepnaclr00001", "ruleNumber": 100, "egress": False},
        None,
        None,
        [("aws_network_acl", "acl-0sweepnaclr00001"), ("aws_default_network_acl", "acl-0sweepnaclr00001")],
    ),
    # Network interfaces: the request names the interface; CreateNetworkInterface answers with it.
    (
        "ec2",
        "DeleteNetworkInterface ModifyNetworkInterfaceAttribute AssignPrivateIpAddresses "
        "UnassignPrivateIpAddresses AssignIpv6Addresses UnassignIpv6Addresses",
        {"networkInterfaceId": ENI},
        None,
        None,
        [("aws_network_interface", ENI)],
    ),
    (
        "ec2",
        "CreateNetworkInterface",
        {"subnetId": "subnet-0sweepeni000001", "description": "sweep-eni-by-hand"},
        {"networkInterface": {"networkInterfaceId": ENI, "subnetId": "subnet-0sweepeni000001"}},
        None,
        [("aws_network_interface", ENI)],
    ),
    (
        "ec2",
        "CreateTags DeleteTags",
        {
            "resourcesSet": {"items": [{"resourceId": ENI}]},
            "tagSet": {"items": [{"key": "Name", "value": "x"}]},
        },
        None,
        None,
        [("aws_network_interface", ENI)],
    ),
]
