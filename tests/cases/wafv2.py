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


ACL_NAME = "sweep-wafv2-acl-app"
_STATEMENTS = (
    "and_statement",
    "byte_match_statement",
    "geo_match_statement",
    "ip_set_reference_statement",
    "label_match_statement",
    "managed_rule_group_statement",
    "not_statement",
    "or_statement",
    "rate_based_statement",
    "regex_match_statement",
    "regex_pattern_set_reference_statement",
    "rule_group_reference_statement",
    "size_constraint_statement",
    "sqli_match_statement",
    "xss_match_statement",
)


def _statement(kind: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """A rule's statement block as the provider stores it: every kind, all but one empty."""
    return [{name: ([body] if name == kind else []) for name in _STATEMENTS}]


def _visibility(metric: str) -> list[dict[str, Any]]:
    return [{"cloudwatch_metrics_enabled": True, "metric_name": metric, "sampled_requests_enabled": True}]


def _aws_visibility(metric: str) -> dict[str, Any]:
    return {"CloudWatchMetricsEnabled": True, "MetricName": metric, "SampledRequestsEnabled": True}


def build_web_acl(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """An ALB's ACL: a blocklist rule answering with a custom 403 body, AWS's common rule
    set, allow by default; the IP set it uses is declared too."""
    wafv2 = client(session, "wafv2")
    blocklist = wafv2.create_ip_set(
        Name="sweep-wafv2-acl-blocklist",
        Scope="REGIONAL",
        IPAddressVersion="IPV4",
        Addresses=["192.0.2.66/32"],
        Description="office egress",
    )["Summary"]
    state.add("aws_wafv2_ip_set", "blocklist", ip_set_attributes(blocklist, ["192.0.2.66/32"], {}))
    summary = wafv2.create_web_acl(
        Name=ACL_NAME,
        Scope="REGIONAL",
        Description="app front door",
        DefaultAction={"Allow": {}},
        Rules=[
            {
                "Name": "block-listed",
                "Priority": 1,
                "Action": {
                    "Block": {"CustomResponse": {"ResponseCode": 403, "CustomResponseBodyKey": "denied"}}
                },
                "Statement": {"IPSetReferenceStatement": {"ARN": blocklist["ARN"]}},
                "VisibilityConfig": _aws_visibility("block-listed"),
            },
            {
                "Name": "aws-common",
                "Priority": 2,
                "OverrideAction": {"None": {}},
                "Statement": {
                    "ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"}
                },
                "VisibilityConfig": _aws_visibility("aws-common"),
            },
        ],
        VisibilityConfig=_aws_visibility("app"),
        CustomResponseBodies={"denied": {"ContentType": "TEXT_PLAIN", "Content": "denied"}},
        Tags=[{"Key": "Name", "Value": "app"}],
    )["Summary"]
    ctx["web_acl_id"] = summary["Id"]
    ctx["web_acl_arn"] = summary["ARN"]
    empty_action = {"allow": [], "block": [], "captcha": [], "challenge": [], "count": []}
    rules = [
        {
            "action": [
                {
                    **empty_action,
                    "block": [
                        {
                            "custom_response": [
                                {
                                    "custom_response_body_key": "denied",
                                    "response_code": 403,
                                    "response_header": [],
                                }
                            ]
                        }
                    ],
                }
            ],
            "captcha_config": [],
            "name": "block-listed",
            "override_action": [],
            "priority": 1,
            "rule_label": [],
            "statement": _statement(
                "ip_set_reference_statement", {"arn": blocklist["ARN"], "ip_set_forwarded_ip_config": []}
            ),
            "visibility_config": _visibility("block-listed"),
        },
        {
            "action": [],
            "captcha_config": [],
            "name": "aws-common",
            "override_action": [{"count": [], "none": [{}]}],
            "priority": 2,
            "rule_label": [],
            "statement": _statement(
                "managed_rule_group_statement",
                {
                    "managed_rule_group_configs": [],
                    "name": "AWSManagedRulesCommonRuleSet",
                    "rule_action_override": [],
                    "scope_down_statement": [],
                    "vendor_name": "AWS",
                    "version": "",
                },
            ),
            "visibility_config": _visibility("aws-common"),
        },
    ]
    state.add(
        "aws_wafv2_web_acl",
        "app",
        {
            "application_integration_url": "",
            "arn": summary["ARN"],
            "association_config": [],
            "capacity": 701,
            "captcha_config": [],
            "challenge_config": [],
            "custom_response_body": [{"content": "denied", "content_type": "TEXT_PLAIN", "key": "denied"}],
            "default_action": [{"allow": [{"custom_request_handling": []}], "block": []}],
            "description": "app front door",
            "id": summary["Id"],
            "lock_token": summary["LockToken"],
            "name": ACL_NAME,
            "name_prefix": "",
            "rule": rules,
            "rule_json": None,
            "scope": "REGIONAL",
            "tags": {"Name": "app"},
            "tags_all": {"Name": "app"},
            "token_domains": [],
            "visibility_config": _visibility("app"),
        },
    )


def count_only(session: boto3.Session, ctx: Context) -> None:
    """The blocklist rule switched to Count in the console "to debug": it blocks nothing."""
    wafv2 = client(session, "wafv2")
    current = wafv2.get_web_acl(Name=ACL_NAME, Id=ctx["web_acl_id"], Scope="REGIONAL")
    acl = current["WebACL"]
    rules = [
        {**{k: v for k, v in rule.items() if k != "Action"}, "Action": {"Count": {}}}
        if rule["Name"] == "block-listed"
        else rule
        for rule in acl["Rules"]
    ]
    wafv2.update_web_acl(
        Name=ACL_NAME,
        Scope="REGIONAL",
        Id=ctx["web_acl_id"],
        DefaultAction=acl["DefaultAction"],
        Description=acl["Description"],
        Rules=rules,
        VisibilityConfig=acl["VisibilityConfig"],
        CustomResponseBodies=acl["CustomResponseBodies"],
        LockToken=current["LockToken"],
    )


CASES.append(
    TypeCase(
        "aws_wafv2_web_acl",
        build=build_web_acl,
        drift=count_only,
        expected=Expected(
            "changed",
            "aws_wafv2_web_acl",
            "web_acl_id",
            "aws_wafv2_web_acl.app",
            paths=("rule.block-listed",),
        ),
        unmanaged=lambda s, c: str(
            client(s, "wafv2").create_web_acl(
                Name="sweep-wafv2-acl-console",
                Scope="REGIONAL",
                DefaultAction={"Block": {}},
                VisibilityConfig=_aws_visibility("console"),
            )["Summary"]["Id"]
        ),
        unmanaged_type="aws_wafv2_web_acl",
    )
)
