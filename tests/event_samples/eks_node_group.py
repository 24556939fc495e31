"""Sample CloudTrail records for EKS managed node groups (named by cluster and node group
name in the request path, or by the node group's ARN)."""

from __future__ import annotations

from tests.event_samples import Sample

ACCOUNT = "123456789012"
UUID = "5ec7a1b2-0c1d-4e5f-8a9b-0c1d2e3f4a5b"
NODE_GROUP_ARN = f"arn:aws:eks:us-east-1:{ACCOUNT}:nodegroup/prod/workers/{UUID}"
NODE_GROUP = "prod:workers"

SAMPLES: list[Sample] = [
    (
        "eks",
        "CreateNodegroup",
        {"name": "prod", "nodegroupName": "workers", "nodeRole": f"arn:aws:iam::{ACCOUNT}:role/nodes"},
        {"nodegroup": {"clusterName": "prod", "nodegroupName": "workers", "nodegroupArn": NODE_GROUP_ARN}},
        None,
        [("aws_eks_node_group", NODE_GROUP)],
    ),
    (
        "eks",
        "DeleteNodegroup UpdateNodegroupConfig UpdateNodegroupVersion",
        {"name": "prod", "nodegroupName": "workers"},
        None,
        None,
        [("aws_eks_node_group", NODE_GROUP)],
    ),
    # A record without the node group's name (a failed call) names no node group.
    ("eks", "UpdateNodegroupConfig", {"name": "prod"}, None, None, []),
    # A node group's ARN is not a cluster's: only the node group is touched.
    (
        "eks",
        "TagResource UntagResource",
        {"resourceArn": NODE_GROUP_ARN, "tagKeys": ["Team"]},
        None,
        None,
        [("aws_eks_node_group", NODE_GROUP)],
    ),
]
