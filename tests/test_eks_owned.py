"""What EKS makes on its own in the account (the cluster security group, a managed node
group's Auto Scaling group and launch template) is never reported unmanaged."""

from __future__ import annotations

from guard.demo.state import TerraformState
from tests.cases.services import client


def test_what_eks_made_for_a_cluster_and_its_node_group_is_never_unmanaged(aws, guard, tmp_path):
    ec2 = client(aws, "ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnet = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]
    # EKS's cluster security group, as EKS names and tags it.
    ec2.create_security_group(
        GroupName="eks-cluster-sg-sweep-eks-1234567890",
        Description="EKS created security group applied to ENI that is attached to EKS Control Plane "
        "master nodes, as well as any managed workloads.",
        VpcId=vpc,
        TagSpecifications=[
            {
                "ResourceType": "security-group",
                "Tags": [
                    {"Key": "Name", "Value": "eks-cluster-sg-sweep-eks-1234567890"},
                    {"Key": "aws:eks:cluster-name", "Value": "sweep-eks"},
                    {"Key": "kubernetes.io/cluster/sweep-eks", "Value": "owned"},
                ],
            }
        ],
    )
    node_tags = [
        {"Key": "eks:cluster-name", "Value": "sweep-eks"},
        {"Key": "eks:nodegroup-name", "Value": "workers"},
    ]
    template = ec2.create_launch_template(
        LaunchTemplateName="eks-0ac8d4a2-workers",
        LaunchTemplateData={"InstanceType": "t3.medium"},
        TagSpecifications=[{"ResourceType": "launch-template", "Tags": node_tags}],
    )["LaunchTemplate"]
    client(aws, "autoscaling").create_auto_scaling_group(
        AutoScalingGroupName="eks-workers-0ac8d4a2",
        LaunchTemplate={"LaunchTemplateId": template["LaunchTemplateId"], "Version": "1"},
        MinSize=0,
        MaxSize=3,
        DesiredCapacity=0,
        VPCZoneIdentifier=subnet["SubnetId"],
        Tags=[{**tag, "PropagateAtLaunch": True} for tag in node_tags],
    )
    path = TerraformState().write(tmp_path / "terraform.tfstate")
    result = guard("scan", "--state", path, "--region", "us-east-1", "--format", "json")
    assert result.code == 0, result.err
    assert result.json()["findings"] == []


def test_a_group_someone_made_by_hand_is_still_unmanaged(aws, guard, tmp_path):
    vpc = client(aws, "ec2").describe_vpcs()["Vpcs"][0]["VpcId"]
    group = client(aws, "ec2").create_security_group(GroupName="sweep-eks-adhoc", Description="x", VpcId=vpc)
    path = TerraformState().write(tmp_path / "terraform.tfstate")
    result = guard("scan", "--state", path, "--region", "us-east-1", "--format", "json")
    assert [(f["kind"], f["id"]) for f in result.json()["findings"]] == [("unmanaged", group["GroupId"])]
