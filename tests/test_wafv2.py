"""WAFv2 lists page by NextMarker (botocore has no paginator): every page is read."""

from __future__ import annotations

import dataclasses

import boto3
from botocore.exceptions import ClientError

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


def test_cloudfront_sets_are_read_once_in_us_east_1_and_a_failed_read_leaves_it_unchecked(
    aws: boto3.Session,
) -> None:
    wafv2 = aws.client("wafv2", region_name=REGION)
    edge = wafv2.create_ip_set(
        Name="sweep-wafv2-scope-edge", Scope="CLOUDFRONT", IPAddressVersion="IPV4", Addresses=["10.1.0.0/24"]
    )["Summary"]["Id"]
    declared = REGISTRY.get("aws_wafv2_ip_set")
    here = collect(Clients(aws), "123456789012", [REGION], [declared])
    read = {r.id: r for r in here.resources}
    assert read[edge].attrs["scope"] == "CLOUDFRONT" and read[edge].region == REGION
    assert (declared.name, REGION) in here.checked
    # The emulator answers Scope=CLOUDFRONT in any region (AWS only in us-east-1): not asked there.
    elsewhere = collect(Clients(aws), "123456789012", ["eu-west-1"], [declared])
    assert edge not in {r.id for r in elsewhere.resources} and not elsewhere.not_checked

    def refuse(params: dict[str, object], **_: object) -> None:
        if params.get("Scope") == "CLOUDFRONT":
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "ListIPSets")

    failing = Clients(aws)
    failing.client("wafv2", REGION).meta.events.register("provide-client-params.wafv2.ListIPSets", refuse)
    partial = collect(failing, "123456789012", [REGION], [declared])
    # The REGIONAL list was read, the CLOUDFRONT one was not: nothing there can be called missing.
    assert (declared.name, REGION) not in partial.checked
    assert [n.type for n in partial.not_checked] == ["aws_wafv2_ip_set"]
