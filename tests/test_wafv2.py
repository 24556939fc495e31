"""WAFv2 lists page by NextMarker (botocore has no paginator): every page is read."""

from __future__ import annotations

import dataclasses

import boto3
from botocore.exceptions import ClientError
from deepdiff import DeepDiff

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


def _empty_statement(**set_: object) -> list[dict[str, object]]:
    kinds = (
        "and_statement",
        "byte_match_statement",
        "geo_match_statement",
        "not_statement",
        "rate_based_statement",
    )
    return [{kind: set_.get(kind, []) for kind in kinds}]


def test_a_web_acl_rule_in_the_provider_state_shape_compares_equal_to_get_web_acl() -> None:
    """Nested blocks (lists of one, unset ones empty, singular names for repeated blocks,
    `cloudwatch_metrics_enabled`) and GetWebACL's JSON (a blob SearchString) meet in one shape;
    a changed nested value does not."""
    from guard.live.resources.wafv2_acl import _web_acl_attrs, _web_acl_desired

    byte_match = {
        "field_to_match": [{"single_header": [{"name": "user-agent"}], "uri_path": [], "body": []}],
        "positional_constraint": "CONTAINS",
        "search_string": "sqlmap",
        "text_transformation": [{"priority": 0, "type": "LOWERCASE"}, {"priority": 1, "type": "URL_DECODE"}],
    }
    geo = {"country_codes": ["KP"], "forwarded_ip_config": []}
    state_rule = {
        "action": [{"allow": [], "block": [{"custom_response": []}], "captcha": [], "count": []}],
        "captcha_config": [],
        "name": "bad-bots",
        "override_action": [],
        "priority": 3,
        "rule_label": [{"name": "bad:bot"}],
        "statement": _empty_statement(
            and_statement=[
                {
                    "statement": [
                        _empty_statement(byte_match_statement=[byte_match])[0],
                        _empty_statement(
                            not_statement=[{"statement": _empty_statement(geo_match_statement=[geo])}]
                        )[0],
                    ]
                }
            ]
        ),
        "visibility_config": [
            {"cloudwatch_metrics_enabled": False, "metric_name": "bad-bots", "sampled_requests_enabled": True}
        ],
    }
    api_rule = {
        "Name": "bad-bots",
        "Priority": 3,
        "Action": {"Block": {}},
        "RuleLabels": [{"Name": "bad:bot"}],
        "Statement": {
            "AndStatement": {
                "Statements": [
                    {
                        "ByteMatchStatement": {
                            "SearchString": b"sqlmap",
                            "FieldToMatch": {"SingleHeader": {"Name": "user-agent"}},
                            "TextTransformations": [
                                {"Priority": 1, "Type": "URL_DECODE"},
                                {"Priority": 0, "Type": "LOWERCASE"},
                            ],
                            "PositionalConstraint": "CONTAINS",
                        }
                    },
                    {"NotStatement": {"Statement": {"GeoMatchStatement": {"CountryCodes": ["KP"]}}}},
                ]
            }
        },
        "VisibilityConfig": {
            "SampledRequestsEnabled": True,
            "CloudWatchMetricsEnabled": False,
            "MetricName": "bad-bots",
        },
    }
    state = {
        "name": "edge",
        "rule": [state_rule],
        "default_action": [{"allow": [], "block": [{"custom_response": []}]}],
    }
    desired = _web_acl_desired(state)
    live = _web_acl_attrs({"Name": "edge", "Rules": [api_rule], "DefaultAction": {"Block": {}}})
    assert desired["default_action"] == live["default_action"] == [{"Block": {}}]
    assert not DeepDiff(desired["rule"], live["rule"], ignore_order=True)
    assert _web_acl_desired(desired) == desired  # rollback's declared side is normalised already
    api_rule["Statement"]["AndStatement"]["Statements"][1]["NotStatement"]["Statement"]["GeoMatchStatement"][
        "CountryCodes"
    ] = ["KP", "IR"]
    edited = _web_acl_attrs({"Name": "edge", "Rules": [api_rule], "DefaultAction": {"Block": {}}})
    assert DeepDiff(desired["rule"], edited["rule"], ignore_order=True)
