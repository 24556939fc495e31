"""Sample CloudTrail records for the WAFv2 types (IP sets, web ACLs)."""

from __future__ import annotations

from tests.event_samples import Sample

ACCOUNT = "123456789012"
IP_SET_ID = "a195b091-44f5-4e01-8d27-d2df80246612"
IP_SET_ARN = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/ipset/sweep-wafv2-ipset-office/{IP_SET_ID}"
EDGE_SET_ID = "0f2c9d1e-7b3a-4c55-9e61-2a8b7c6d5e4f"
EDGE_SET_ARN = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/ipset/sweep-wafv2-ipset-edge/{EDGE_SET_ID}"

ACL_ID = "5c1b7c2e-0d3f-4a8e-9b6a-3f2e1d0c9b8a"
ACL_ARN = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/webacl/sweep-wafv2-acl-app/{ACL_ID}"
EDGE_ACL_ID = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
EDGE_ACL_ARN = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/sweep-wafv2-acl-edge/{EDGE_ACL_ID}"

SAMPLES: list[Sample] = [
    (
        "wafv2",
        "UpdateWebACL DeleteWebACL",
        {"name": "sweep-wafv2-acl-app", "scope": "REGIONAL", "id": ACL_ID, "lockToken": "7da454e1"},
        None,
        None,
        [("aws_wafv2_web_acl", ACL_ID)],
    ),
    (
        "wafv2",
        "CreateWebACL",
        {"name": "sweep-wafv2-acl-app", "scope": "REGIONAL", "defaultAction": {"allow": {}}},
        {"summary": {"name": "sweep-wafv2-acl-app", "id": ACL_ID, "aRN": ACL_ARN, "lockToken": "7da454e1"}},
        None,
        [("aws_wafv2_web_acl", ACL_ID)],
    ),
    (
        "wafv2",
        "TagResource UntagResource",
        {"resourceARN": EDGE_ACL_ARN, "tagKeys": ["Name"]},
        None,
        None,
        [("aws_wafv2_web_acl", EDGE_ACL_ID)],
    ),
    (
        "wafv2",
        "UpdateIPSet DeleteIPSet",
        {"name": "sweep-wafv2-ipset-office", "scope": "REGIONAL", "id": IP_SET_ID, "lockToken": "f0ce82"},
        None,
        None,
        [("aws_wafv2_ip_set", IP_SET_ID)],
    ),
    (
        "wafv2",
        "CreateIPSet",
        {"name": "sweep-wafv2-ipset-office", "scope": "REGIONAL", "iPAddressVersion": "IPV4"},
        {"summary": {"name": "sweep-wafv2-ipset-office", "id": IP_SET_ID, "aRN": IP_SET_ARN}},
        None,
        [("aws_wafv2_ip_set", IP_SET_ID)],
    ),
    (
        "wafv2",
        "TagResource UntagResource",
        {"resourceARN": IP_SET_ARN, "tagKeys": ["Name"]},
        None,
        None,
        [("aws_wafv2_ip_set", IP_SET_ID)],
    ),
    (
        "wafv2",
        "TagResource",
        {"resourceARN": EDGE_SET_ARN, "tagList": [{"key": "Name", "value": "edge"}]},
        None,
        None,
        [("aws_wafv2_ip_set", EDGE_SET_ID)],
    ),
]
