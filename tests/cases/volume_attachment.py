"""Case for aws_volume_attachment: a data volume attached to an instance after launch, both
declared; the instance's root volume (attached by launching it) is the instance's own."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.emulator import machine_image
from guard.demo.state import TerraformState, instance_attributes
from guard.live.resources.ec2 import volume_attachment_id
from tests.cases import Context, Expected, TypeCase
from tests.cases.autoscaling import _default_subnet
from tests.cases.services import REGION, account, client
from tests.support.network import ebs_volume_attributes


def volume_attachment_attributes(device: str, instance_id: str, volume_id: str) -> dict[str, Any]:
    return {
        "device_name": device,
        "force_detach": None,
        "id": volume_attachment_id(device, instance_id, volume_id),
        "instance_id": instance_id,
        "skip_destroy": None,
        "stop_instance_before_detaching": None,
        "timeouts": None,
        "volume_id": volume_id,
    }


def _volume(session: boto3.Session, state: TerraformState, zone: str, name: str) -> str:
    ec2 = client(session, "ec2")
    volume = ec2.create_volume(
        AvailabilityZone=zone,
        Size=10,
        VolumeType="gp3",
        TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": name}]}],
    )
    live = ec2.describe_volumes(VolumeIds=[volume["VolumeId"]])["Volumes"][0]
    state.add("aws_ebs_volume", name.replace("-", "_"), ebs_volume_attributes(live, account(session), REGION))
    return str(volume["VolumeId"])


def build_attachment(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ec2 = client(session, "ec2")
    instance = ec2.run_instances(
        ImageId=machine_image(ec2),
        InstanceType="t3.micro",
        MinCount=1,
        MaxCount=1,
        SubnetId=_default_subnet(session),
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "sweep-vai-db"}]}],
    )["Instances"][0]
    instance_id = instance["InstanceId"]
    zone = instance["Placement"]["AvailabilityZone"]
    live = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    state.add("aws_instance", "sweep_vai_db", instance_attributes(live, account(session), REGION))
    data = _volume(session, state, zone, "sweep-vai-data")
    ctx["spare_volume"] = _volume(session, state, zone, "sweep-vai-spare")
    ec2.attach_volume(Device="/dev/sdf", InstanceId=instance_id, VolumeId=data)
    ctx.update(
        instance=instance_id, volume=data, attachment=volume_attachment_id("/dev/sdf", instance_id, data)
    )
    state.add("aws_volume_attachment", "data", volume_attachment_attributes("/dev/sdf", instance_id, data))


def _attached(session: boto3.Session, ctx: Context) -> str:
    client(session, "ec2").attach_volume(
        Device="/dev/sdg", InstanceId=ctx["instance"], VolumeId=ctx["spare_volume"]
    )
    return volume_attachment_id("/dev/sdg", ctx["instance"], ctx["spare_volume"])


CASES = [
    TypeCase(
        "aws_volume_attachment",
        build=build_attachment,
        drift=lambda s, c: client(s, "ec2").detach_volume(VolumeId=c["volume"], InstanceId=c["instance"]),
        expected=Expected("missing", "aws_volume_attachment", "attachment", "aws_volume_attachment.data"),
        unmanaged=_attached,
        unmanaged_type="aws_volume_attachment",
    ),
]
