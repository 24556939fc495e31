"""Cases for the network types of guard/live/resources/network.py, and the elastic IP's
association (disassociated in the console, put back by associate-address)."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.ec2 import build_instance
from tests.support.network import eip_attributes

REGION = "us-east-1"


def _ec2(session: boto3.Session) -> Any:
    return session.client("ec2", region_name=REGION)


def _account(session: boto3.Session) -> str:
    return str(session.client("sts", region_name=REGION).get_caller_identity()["Account"])


def build_associated_eip(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """An instance and the elastic IP associated with it (aws_eip's `instance`)."""
    build_instance(session, state, ctx)
    ec2 = _ec2(session)
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ctx["allocation_id"] = allocation
    ctx["association_id"] = ec2.associate_address(AllocationId=allocation, InstanceId=ctx["instance_id"])[
        "AssociationId"
    ]
    address = ec2.describe_addresses(AllocationIds=[allocation])["Addresses"][0]
    state.add("aws_eip", "worker", eip_attributes(address, _account(session), REGION))


def _disassociate(session: boto3.Session, ctx: Context) -> None:
    ec2 = _ec2(session)
    address = ec2.describe_addresses(AllocationIds=[ctx["allocation_id"]])["Addresses"][0]
    ec2.disassociate_address(AssociationId=address["AssociationId"])


CASES = [
    TypeCase(
        "aws_eip",
        build=build_associated_eip,
        drift=_disassociate,
        expected=Expected(
            "changed", "aws_eip", "allocation_id", "aws_eip.worker", paths=("instance", "network_interface")
        ),
    ),
]
