"""CloudTrail records and EventBridge events in the shape AWS delivers them.

Field names, nesting and value formats follow real records (userIdentity with a
sessionContext, `readOnly` as a boolean in records and EventBridge, the request
parameters' `items` lists); only ids, times and addresses are made up.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

ACCOUNT = "123456789012"
SSO_ROLE = "AWSReservedSSO_AdministratorAccess_0123456789abcdef"
CLI_AGENT = (
    "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/macos#23.4.0 md/arch#arm64 lang/python#3.11.8 "
    "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off "
    "md/command#ec2.modify-instance-attribute"
)


def sso_console_identity(user: str = "alice@example.com") -> dict[str, Any]:
    return {
        "type": "AssumedRole",
        "principalId": f"AROA3EXAMPLEROLEID:{user}",
        "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{SSO_ROLE}/{user}",
        "accountId": ACCOUNT,
        "accessKeyId": "ASIA3EXAMPLEKEY12345",
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": "AROA3EXAMPLEROLEID",
                "arn": f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/{SSO_ROLE}",
                "accountId": ACCOUNT,
                "userName": SSO_ROLE,
            },
            "webIdFederationData": {},
            "attributes": {"creationDate": "2024-05-02T09:58:11Z", "mfaAuthenticated": "false"},
        },
    }


def iam_user_identity(user: str = "bob") -> dict[str, Any]:
    return {
        "type": "IAMUser",
        "principalId": "AIDA3EXAMPLEUSERID12",
        "arn": f"arn:aws:iam::{ACCOUNT}:user/{user}",
        "accountId": ACCOUNT,
        "accessKeyId": "AKIA3EXAMPLEKEY12345",
        "userName": user,
    }


def service_identity(service: str = "autoscaling.amazonaws.com") -> dict[str, Any]:
    return {"type": "AWSService", "invokedBy": service}


def record(
    event_name: str,
    identity: dict[str, Any],
    request: dict[str, Any] | None,
    response: dict[str, Any] | None = None,
    *,
    event_id: str,
    time: str = "2024-05-02T10:15:04Z",
    agent: str = "AWS Internal",
    source_ip: str = "203.0.113.7",
    read_only: bool = False,
    region: str = "us-east-1",
    console: bool = False,
    source: str = "ec2.amazonaws.com",
    resources: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": identity,
        "eventTime": time,
        "eventSource": source,
        "eventName": event_name,
        "awsRegion": region,
        "sourceIPAddress": source_ip,
        "userAgent": agent,
        "requestParameters": request,
        "responseElements": response,
        "requestID": "6b1f5c2a-63e4-4d1e-9a0b-2f3c4d5e6f70",
        "eventID": event_id,
        "readOnly": read_only,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management",
        "tlsDetails": {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": f"{source.split('.')[0]}.{region}.amazonaws.com",
        },
    }
    if resources is not None:
        body["resources"] = resources  # CloudTrail lists them for some services (KMS, S3)
    if console:
        body["sessionCredentialFromConsole"] = "true"
    return body


def eventbridge(detail: dict[str, Any]) -> dict[str, Any]:
    """The envelope EventBridge wraps a CloudTrail record in."""
    return {
        "version": "0",
        "id": "0c5a5d5f-1b8e-4e6c-8d8b-6f0a1e2b3c4d",
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws." + str(detail.get("eventSource") or "ec2.amazonaws.com").split(".")[0],
        "account": ACCOUNT,
        "time": detail["eventTime"],
        "region": detail["awsRegion"],
        "resources": [],
        "detail": detail,
    }


def revoke_ingress_by_rule_id(group_id: str, rule_id: str, **kwargs: Any) -> dict[str, Any]:
    """What today's console sends: the rule ids, not the permission."""
    return record(
        "RevokeSecurityGroupIngress",
        kwargs.pop("identity", sso_console_identity()),
        {"groupId": group_id, "securityGroupRuleIds": {"items": [{"securityGroupRuleId": rule_id}]}},
        {
            "requestId": "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9",
            "_return": True,
            "revokedSecurityGroupRuleSet": {
                "items": [
                    {
                        "groupOwnerId": ACCOUNT,
                        "isEgress": False,
                        "ipProtocol": "tcp",
                        "fromPort": 443,
                        "toPort": 443,
                        "cidrIpv4": "0.0.0.0/0",
                        "securityGroupRuleId": rule_id,
                        "groupId": group_id,
                    }
                ]
            },
        },
        **kwargs,
    )


def revoke_ingress_by_permission(group_id: str, port: int, cidr: str, **kwargs: Any) -> dict[str, Any]:
    """What `aws ec2 revoke-security-group-ingress --ip-permissions` sends."""
    return record(
        "RevokeSecurityGroupIngress",
        kwargs.pop("identity", iam_user_identity()),
        {
            "groupId": group_id,
            "ipPermissions": {
                "items": [
                    {
                        "ipProtocol": "tcp",
                        "fromPort": port,
                        "toPort": port,
                        "groups": {},
                        "ipRanges": {"items": [{"cidrIp": cidr}]},
                        "ipv6Ranges": {},
                        "prefixListIds": {},
                    }
                ]
            },
        },
        {"requestId": "2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a7b", "_return": True},
        agent=kwargs.pop(
            "agent", CLI_AGENT.replace("modify-instance-attribute", "revoke-security-group-ingress")
        ),
        **kwargs,
    )


def modify_instance_type(instance_id: str, instance_type: str, **kwargs: Any) -> dict[str, Any]:
    return record(
        "ModifyInstanceAttribute",
        kwargs.pop("identity", iam_user_identity()),
        {"instanceId": instance_id, "instanceType": {"value": instance_type}},
        {"requestId": "3b4c5d6e-7f80-4192-a3b4-c5d6e7f80912", "_return": True},
        agent=kwargs.pop("agent", CLI_AGENT),
        **kwargs,
    )


def describe_security_groups(group_id: str, **kwargs: Any) -> dict[str, Any]:
    return record(
        "DescribeSecurityGroups",
        kwargs.pop("identity", iam_user_identity()),
        {
            "securityGroupSet": {},
            "securityGroupIdSet": {"items": [{"groupId": group_id}]},
            "filterSet": {},
        },
        None,
        read_only=True,
        agent=CLI_AGENT,
        **kwargs,
    )


def lookup_item(detail: dict[str, Any], resources: list[tuple[str, str]]) -> dict[str, Any]:
    """A LookupEvents `Events[]` item: a few fields lifted out, the record as a JSON string."""
    identity = detail["userIdentity"]
    return {
        "EventId": detail["eventID"],
        "EventName": detail["eventName"],
        "ReadOnly": "true" if detail["readOnly"] else "false",
        "AccessKeyId": identity.get("accessKeyId", ""),
        "EventTime": datetime.fromisoformat(detail["eventTime"].replace("Z", "+00:00")),
        "EventSource": detail["eventSource"],
        "Username": identity.get("userName") or identity.get("arn", "").rsplit("/", 1)[-1],
        "Resources": [{"ResourceType": kind, "ResourceName": name} for kind, name in resources],
        "CloudTrailEvent": json.dumps(detail),
    }
