"""The case for EKS managed node groups, built the way `terraform apply` would (the cluster,
the node role, the node group) and recorded in the AWS provider 5.x state shape. Beside it,
what EKS itself makes for a node group: a launch template and an Auto Scaling group tagged
eks:cluster-name / eks:nodegroup-name, whose instances carry aws:autoscaling:groupName, and
the remote-access security group.
The estate of every case (tests/test_promise_read_only.py) reads them all and must report
none of them."""

from __future__ import annotations

import json
from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.compute import eks_cluster_attributes
from tests.cases.services import client
from tests.support.services import iam_role_attributes

CLUSTER = "sweep-eks-ng-cluster"
NODE_GROUP = "sweep-eks-ng-workers"
_TAINT = {"key": "dedicated", "value": "batch", "effect": "NO_SCHEDULE"}


def _role(session: boto3.Session, state: TerraformState, name: str, service: str) -> str:
    assume = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    }
    role = client(session, "iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(assume))[
        "Role"
    ]
    state.add("aws_iam_role", name.replace("-", "_"), iam_role_attributes(role, assume))
    return str(role["Arn"])


def eks_node_group_attributes(group: dict[str, Any]) -> dict[str, Any]:
    scaling = group["scalingConfig"]
    return {
        "ami_type": group["amiType"],
        "arn": group["nodegroupArn"],
        "capacity_type": group["capacityType"],
        "cluster_name": group["clusterName"],
        "disk_size": group["diskSize"],
        "force_update_version": None,
        "id": f"{group['clusterName']}:{group['nodegroupName']}",
        "instance_types": list(group["instanceTypes"]),
        "labels": dict(group["labels"]),
        "launch_template": [],
        "node_group_name": group["nodegroupName"],
        "node_group_name_prefix": "",
        "node_repair_config": [],
        "node_role_arn": group["nodeRole"],
        "release_version": group["releaseVersion"],
        "remote_access": [],
        "resources": [
            {
                "autoscaling_groups": [{"name": g["name"]} for g in group["resources"]["autoScalingGroups"]],
                "remote_access_security_group_id": "",
            }
        ],
        "scaling_config": [
            {
                "desired_size": scaling["desiredSize"],
                "max_size": scaling["maxSize"],
                "min_size": scaling["minSize"],
            }
        ],
        "status": "ACTIVE",
        "subnet_ids": sorted(group["subnets"]),
        "tags": {"Team": "platform"},
        "tags_all": {"Team": "platform"},
        "taint": [dict(_TAINT)],
        "timeouts": None,
        # What the provider reads back when none is set: AWS's default, one node at a time.
        "update_config": [{"max_unavailable": 1, "max_unavailable_percentage": 0}],
        "version": group["version"],
    }


def _create_node_group(session: boto3.Session, ctx: Context, name: str) -> dict[str, Any]:
    group: dict[str, Any] = client(session, "eks").create_nodegroup(
        clusterName=CLUSTER,
        nodegroupName=name,
        nodeRole=ctx["node_role"],
        subnets=ctx["subnets"],
        scalingConfig={"minSize": 2, "maxSize": 6, "desiredSize": 3},
        instanceTypes=["m5.large"],
        amiType="AL2_x86_64",
        capacityType="ON_DEMAND",
        version="1.29",
        releaseVersion="1.29.0-20240213",
        labels={"workload": "batch"},
        taints=[dict(_TAINT)],
        tags={"Team": "platform"},
    )["nodegroup"]
    return group


def _what_eks_makes(session: boto3.Session, ctx: Context, group: dict[str, Any]) -> None:
    """The launch template and Auto Scaling group EKS creates for a managed node group (no
    state declares them), tagged as EKS tags them; the group launches the nodes."""
    owned = [
        {"Key": "eks:cluster-name", "Value": CLUSTER},
        {"Key": "eks:nodegroup-name", "Value": group["nodegroupName"]},
    ]
    name = group["resources"]["autoScalingGroups"][0]["name"]
    # The SSH group EKS makes for a node group with remote access, named by the node group's uuid.
    vpc = client(session, "ec2").describe_subnets(SubnetIds=ctx["subnets"][:1])["Subnets"][0]["VpcId"]
    client(session, "ec2").create_security_group(
        GroupName=f"eks-remoteAccess-{name.removeprefix('eks-')}",
        Description="Security group for all nodes in the nodeGroup to allow SSH access",
        VpcId=vpc,
    )
    template = client(session, "ec2").create_launch_template(
        LaunchTemplateName=name,
        LaunchTemplateData={"InstanceType": "m5.large", "ImageId": "ami-12c6146b"},
        TagSpecifications=[{"ResourceType": "launch-template", "Tags": owned}],
    )["LaunchTemplate"]
    client(session, "autoscaling").create_auto_scaling_group(
        AutoScalingGroupName=name,
        LaunchTemplate={"LaunchTemplateId": template["LaunchTemplateId"], "Version": "1"},
        MinSize=2,
        MaxSize=6,
        DesiredCapacity=2,
        VPCZoneIdentifier=",".join(ctx["subnets"]),
        Tags=[
            {**tag, "PropagateAtLaunch": True}
            for tag in [*owned, {"Key": f"kubernetes.io/cluster/{CLUSTER}", "Value": "owned"}]
        ],
    )


def build_eks_node_group(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ec2 = client(session, "ec2")
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][:2]
    ctx["subnets"] = [s["SubnetId"] for s in subnets]
    cluster_role = _role(session, state, "sweep-eks-ng-cluster-role", "eks.amazonaws.com")
    ctx["node_role"] = _role(session, state, "sweep-eks-ng-node-role", "ec2.amazonaws.com")
    # The cluster as the EKS cluster case declares one: private endpoint, audit logs.
    cluster = client(session, "eks").create_cluster(
        name=CLUSTER,
        version="1.29",
        roleArn=cluster_role,
        resourcesVpcConfig={
            "subnetIds": ctx["subnets"],
            "endpointPublicAccess": False,
            "endpointPrivateAccess": True,
        },
        logging={"clusterLogging": [{"types": ["audit"], "enabled": True}]},
        tags={"Team": "platform"},
    )["cluster"]
    state.add("aws_eks_cluster", "sweep_eks_ng", eks_cluster_attributes(cluster, subnets[0]["VpcId"]))
    group = _create_node_group(session, ctx, NODE_GROUP)
    ctx["node_group_id"] = f"{CLUSTER}:{NODE_GROUP}"
    state.add("aws_eks_node_group", "workers", eks_node_group_attributes(group))
    _what_eks_makes(session, ctx, group)


def _lower_the_ceiling(session: boto3.Session, ctx: Context) -> None:
    """The maximum cut from 6 to 3 in the console to save money: the autoscaler can no longer
    add the nodes a traffic peak needs."""
    client(session, "eks").update_nodegroup_config(
        clusterName=CLUSTER, nodegroupName=NODE_GROUP, scalingConfig={"maxSize": 3}
    )


def _adhoc_node_group(session: boto3.Session, ctx: Context) -> str:
    _create_node_group(session, ctx, "sweep-eks-ng-adhoc")
    return f"{CLUSTER}:sweep-eks-ng-adhoc"


CASES = [
    TypeCase(
        "aws_eks_node_group",
        build=build_eks_node_group,
        drift=_lower_the_ceiling,
        expected=Expected(
            "changed",
            "aws_eks_node_group",
            "node_group_id",
            "aws_eks_node_group.workers",
            paths=("scaling_config.max_size",),
        ),
        unmanaged=_adhoc_node_group,
        unmanaged_type="aws_eks_node_group",
    ),
]
