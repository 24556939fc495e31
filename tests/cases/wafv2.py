"""Cases for WAFv2 (IP sets of both scopes), in the AWS provider 5.x state shape."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client

NAME = "sweep-wafv2-ipset-office"
EDGE_NAME = "sweep-wafv2-ipset-edge"


def ip_set_attributes(
    summary: dict[str, Any], addresses: list[str], tags: dict[str, str], scope: str = "REGIONAL"
) -> dict[str, Any]:
    return {
        "addresses": list(addresses),
        "arn": summary["ARN"],
        "description": "office egress",
        "id": summary["Id"],
        "ip_address_version": "IPV4",
        "lock_token": summary["LockToken"],
        "name": summary["Name"],
        "name_prefix": "",
        "scope": scope,
        "tags": dict(tags),
        "tags_all": dict(tags),
    }


def build_ip_set(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """A regional set (for an ALB) and a CLOUDFRONT one (global, made through us-east-1):
    each is read by its own scope's list call, neither is missing."""
    addresses = ["203.0.113.0/24", "198.51.100.7/32"]
    for label, name, scope in (("office", NAME, "REGIONAL"), ("edge", EDGE_NAME, "CLOUDFRONT")):
        summary = client(session, "wafv2").create_ip_set(
            Name=name,
            Scope=scope,
            IPAddressVersion="IPV4",
            Addresses=addresses,
            Description="office egress",
            Tags=[{"Key": "Name", "Value": label}],
        )["Summary"]
        ctx[f"{label}_ip_set_id"] = summary["Id"]
        ctx[f"{label}_ip_set_name"] = summary["Name"]
        state.add("aws_wafv2_ip_set", label, ip_set_attributes(summary, addresses, {"Name": label}, scope))


def open_ip_set(session: boto3.Session, ctx: Context) -> None:
    """An address added in the console to the CloudFront allow list: it now lets in half
    the internet. The edit is found and put back with Scope=CLOUDFRONT."""
    wafv2 = client(session, "wafv2")
    name, set_id = ctx["edge_ip_set_name"], ctx["edge_ip_set_id"]
    current = wafv2.get_ip_set(Name=name, Id=set_id, Scope="CLOUDFRONT")
    wafv2.update_ip_set(
        Name=name,
        Scope="CLOUDFRONT",
        Id=set_id,
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
            "changed", "aws_wafv2_ip_set", "edge_ip_set_id", "aws_wafv2_ip_set.edge", paths=("addresses",)
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
