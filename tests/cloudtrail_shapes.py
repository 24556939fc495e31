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
# terraform-provider-aws v5 (aws-sdk-go-v2); v4 ended in `aws-sdk-go/1.44.261 (go1.19.9; linux; amd64)`.
TERRAFORM_AGENT = (
    "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.40.0 "
    "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.3 os/linux "
    "lang/go#1.21.8 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.150.0"
)
PULUMI_AGENT = (
    "APN/1.0 Pulumi/1.0 Pulumi-Aws/6.22.0 (+https://www.pulumi.com) aws-sdk-go-v2/1.24.1 os/linux "
    "lang/go#1.21.6 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.142.0"
)
# OpenTofu names itself only in its S3 backend; its AWS provider sends Terraform/<tofu version>.
OPENTOFU_AGENT = (
    "aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.22.12 md/GOOS#linux md/GOARCH#amd64 "
    "api/s3#1.79.2 m/Z,e APN/1.0 OpenTofu-S3-Backend/1.0 OpenTofu/1.10.1"
)
BOTO3_AGENT = (
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213 md/arch#x86_64 lang/python#3.11.8 "
    "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69"
)
CONSOLE_AGENT = "AWS Internal"
CLOUDFORMATION = "cloudformation.amazonaws.com"
GITHUB_OIDC = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"


def sso_console_identity(user: str = "alice@example.com", mfa: bool = False) -> dict[str, Any]:
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
            "attributes": {"creationDate": "2024-05-02T09:58:11Z", "mfaAuthenticated": str(mfa).lower()},
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


def ci_role_identity(role: str = "gha-terraform-deploy", session: str = "GitHubActions") -> dict[str, Any]:
    """A GitHub Actions runner's session: AssumeRoleWithWebIdentity through the OIDC provider."""
    return {
        "type": "AssumedRole",
        "principalId": f"AROA3EXAMPLECIROLE12:{session}",
        "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}",
        "accountId": ACCOUNT,
        "accessKeyId": "ASIA3EXAMPLECIKEY678",
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": "AROA3EXAMPLECIROLE12",
                "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}",
                "accountId": ACCOUNT,
                "userName": role,
            },
            "webIdFederationData": {
                "federatedProvider": GITHUB_OIDC,
                "attributes": {},
            },
            "attributes": {"creationDate": "2024-05-02T10:01:40Z", "mfaAuthenticated": "false"},
        },
    }


def cloudformation_role_identity(role: str = "cfn-stack-exec") -> dict[str, Any]:
    """A stack's service role, assumed by CloudFormation to make the calls of an update."""
    return {
        "type": "AssumedRole",
        "principalId": "AROA3EXAMPLECFNROLE1:AWSCloudFormation",
        "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/AWSCloudFormation",
        "accountId": ACCOUNT,
        "accessKeyId": "ASIA3EXAMPLECFNKEY90",
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": "AROA3EXAMPLECFNROLE1",
                "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}",
                "accountId": ACCOUNT,
                "userName": role,
            },
            "webIdFederationData": {},
            "attributes": {"creationDate": "2024-05-02T10:12:30Z", "mfaAuthenticated": "false"},
        },
        "invokedBy": CLOUDFORMATION,
    }


def root_identity(mfa: bool = True) -> dict[str, Any]:
    """The account's root user, signed in to the console."""
    return {
        "type": "Root",
        "principalId": ACCOUNT,
        "arn": f"arn:aws:iam::{ACCOUNT}:root",
        "accountId": ACCOUNT,
        "accessKeyId": "ASIA3EXAMPLEROOTKEY1",
        "sessionContext": {
            "sessionIssuer": {},
            "webIdFederationData": {},
            "attributes": {"creationDate": "2024-05-02T09:40:02Z", "mfaAuthenticated": str(mfa).lower()},
        },
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
