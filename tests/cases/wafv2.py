"""Case for a regional WAFv2 IP set, in the AWS provider 5.x state shape."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client

NAME = "sweep-wafv2-ipset-office"


def ip_set_attributes(summary: dict[str, Any], addresses: list[str], tags: dict[str, str]) -> dict[str, Any]:
    return {
        "addresses": list(addresses),
        "arn": summary["ARN"],
        "description": "office egress",
        "id": summary["Id"],
        "ip_address_version": "IPV4",
        "lock_token": summary["LockToken"],
        "name": summary["Name"],
        "name_prefix": "",
        "scope": "REGIONAL",
        "tags": dict(tags),
        "tags_all": dict(tags),
    }


def build_ip_set(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    addresses = ["203.0.113.0/24", "198.51.100.7/32"]
    summary = client(session, "wafv2").create_ip_set(
        Name=NAME,
        Scope="REGIONAL",
        IPAddressVersion="IPV4",
        Addresses=addresses,
        Description="office egress",
        Tags=[{"Key": "Name", "Value": "office"}],
    )["Summary"]
    ctx["ip_set_id"] = summary["Id"]
    ctx["ip_set_name"] = summary["Name"]
    state.add("aws_wafv2_ip_set", "office", ip_set_attributes(summary, addresses, {"Name": "office"}))


def open_ip_set(session: boto3.Session, ctx: Context) -> None:
    """An address added in the console: the allow list now lets in the whole internet."""
    wafv2 = client(session, "wafv2")
    current = wafv2.get_ip_set(Name=ctx["ip_set_name"], Id=ctx["ip_set_id"], Scope="REGIONAL")
    wafv2.update_ip_set(
        Name=ctx["ip_set_name"],
        Scope="REGIONAL",
        Id=ctx["ip_set_id"],
        Addresses=[*current["IPSet"]["Addresses"], "0.0.0.0/1"],
        Description="office egress",
        LockToken=current["LockToken"],
    )


CASES = [
    TypeCase(
        "aws_wafv2_ip_set",
        build=build_ip_set,
        drift=open_ip_set,
        expected=Expected(
            "changed", "aws_wafv2_ip_set", "ip_set_id", "aws_wafv2_ip_set.office", paths=("addresses",)
        ),
        unmanaged=lambda s, c: str(
            client(s, "wafv2").create_ip_set(
                Name="sweep-wafv2-ipset-console",
                Scope="REGIONAL",
                IPAddressVersion="IPV4",
                Addresses=["192.0.2.0/24"],
            )["Summary"]["Id"]
        ),
        unmanaged_type="aws_wafv2_ip_set",
    ),
]
