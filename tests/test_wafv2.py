"""WAFv2 lists page by NextMarker (botocore has no paginator): every page is read."""

from __future__ import annotations

import dataclasses

import boto3

from guard.aws import Clients
from guard.live.collector import collect
from guard.live.types import REGISTRY
from tests.conftest import REGION


def test_ip_sets_are_read_across_next_marker_pages(aws: boto3.Session) -> None:
    wafv2 = aws.client("wafv2", region_name=REGION)
    made = {
        wafv2.create_ip_set(
            Name=f"sweep-wafv2-page-{n}",
            Scope="REGIONAL",
            IPAddressVersion="IPV4",
            Addresses=[f"10.0.{n}.0/24"],
        )["Summary"]["Id"]
        for n in range(3)
    }
    first = wafv2.list_ip_sets(Scope="REGIONAL", Limit=2)
    assert len(first["IPSets"]) == 2 and first.get("NextMarker")  # the emulator honours Limit: two pages
    declared = REGISTRY.get("aws_wafv2_ip_set")
    paged = dataclasses.replace(declared, list_params={"Scope": "REGIONAL", "Limit": 2})
    inventory = collect(Clients(aws), "123456789012", [REGION], [paged])
    assert not inventory.not_checked
    read = {r.id: r for r in inventory.resources}
    assert set(read) == made
    assert {tuple(r.attrs["addresses"]) for r in read.values()} == {(f"10.0.{n}.0/24",) for n in range(3)}
