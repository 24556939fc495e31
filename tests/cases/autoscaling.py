"""Case for Auto Scaling: a group in the default VPC's subnets (AWS's own, never unmanaged).

The drift also moves desired_capacity, as a scaling policy would all day: only the
max_size edit may be reported. The group's instances are owned by the group.
"""

from __future__ import annotations

import boto3

from guard.demo.emulator import machine_image
from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client
from tests.support.services import autoscaling_group_attributes


def _default_subnet(session: boto3.Session) -> str:
    subnets = client(session, "ec2").describe_subnets(
        Filters=[{"Name": "default-for-az", "Values": ["true"]}]
    )
    return str(subnets["Subnets"][0]["SubnetId"])


def _create_group(session: boto3.Session, name: str, subnet: str) -> None:
    autoscaling = client(session, "autoscaling")
    image = machine_image(client(session, "ec2"))
    autoscaling.create_launch_configuration(
        LaunchConfigurationName=f"{name}-lc", ImageId=image, InstanceType="t3.micro"
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        LaunchConfigurationName=f"{name}-lc",
        MinSize=1,
        MaxSize=4,
        DesiredCapacity=1,
        VPCZoneIdentifier=subnet,
        Tags=[{"Key": "Team", "Value": "web", "PropagateAtLaunch": True}],
    )


def build_group(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ctx["subnet"] = _default_subnet(session)
    _create_group(session, "web", ctx["subnet"])
    group = client(session, "autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=["web"])[
        "AutoScalingGroups"
    ][0]
    ctx["group"] = "web"
    state.add("aws_autoscaling_group", "web", autoscaling_group_attributes(group))


def _resize(session: boto3.Session, ctx: Context) -> None:
    client(session, "autoscaling").update_auto_scaling_group(
        AutoScalingGroupName="web", MaxSize=8, DesiredCapacity=3
    )


def _new_group(session: boto3.Session, ctx: Context) -> str:
    _create_group(session, "adhoc", ctx["subnet"])
    return "adhoc"


CASES = [
    TypeCase(
        "aws_autoscaling_group",
        build=build_group,
        drift=_resize,
        expected=Expected(
            "changed", "aws_autoscaling_group", "group", "aws_autoscaling_group.web", paths=("max_size",)
        ),
        unmanaged=_new_group,
        unmanaged_type="aws_autoscaling_group",
    ),
]
