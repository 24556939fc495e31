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
from tests.support.services import autoscaling_group_attributes, launch_configuration_attributes


def _default_subnet(session: boto3.Session) -> str:
    subnets = client(session, "ec2").describe_subnets(
        Filters=[{"Name": "default-for-az", "Values": ["true"]}]
    )
    return str(subnets["Subnets"][0]["SubnetId"])


def declare_launch_configuration(session: boto3.Session, state: TerraformState, name: str) -> str:
    """A group's launch configuration, declared too (else it is an unmanaged one)."""
    autoscaling = client(session, "autoscaling")
    image = machine_image(client(session, "ec2"))
    autoscaling.create_launch_configuration(
        LaunchConfigurationName=name,
        ImageId=image,
        InstanceType="t3.micro",
        InstanceMonitoring={"Enabled": True},
    )
    [configuration] = autoscaling.describe_launch_configurations(LaunchConfigurationNames=[name])[
        "LaunchConfigurations"
    ]
    state.add(
        "aws_launch_configuration", name.replace("-", "_"), launch_configuration_attributes(configuration)
    )
    return name


def _create_group(session: boto3.Session, name: str, subnet: str, launch_configuration: str) -> None:
    autoscaling = client(session, "autoscaling")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        LaunchConfigurationName=launch_configuration,
        MinSize=1,
        MaxSize=4,
        DesiredCapacity=1,
        VPCZoneIdentifier=subnet,
        Tags=[{"Key": "Team", "Value": "web", "PropagateAtLaunch": True}],
    )


def build_group(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ctx["subnet"] = _default_subnet(session)
    ctx["launch_configuration"] = declare_launch_configuration(session, state, "web-lc")
    _create_group(session, "web", ctx["subnet"], ctx["launch_configuration"])
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
    _create_group(session, "adhoc", ctx["subnet"], ctx["launch_configuration"])
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
