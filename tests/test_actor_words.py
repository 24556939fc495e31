"""Who did it, in the words a person recognises: SSO user and permission set, IAM user and key,
a CI runner's role session, CloudFormation, root; the channel and MFA. Real record shapes."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from guard.enrich.attribution import actor_from_record, channel, client_of, describe_actor
from guard.enrich.finish import finish_report
from guard.model import Actor, Drift, DriftKind, Report
from guard.render.json import report_to_dict
from tests.cloudtrail_shapes import (
    ACCOUNT,
    BOTO3_AGENT,
    CLI_AGENT,
    CLOUDFORMATION,
    CONSOLE_AGENT,
    OPENTOFU_AGENT,
    PULUMI_AGENT,
    SSO_ROLE,
    TERRAFORM_AGENT,
    ci_role_identity,
    cloudformation_role_identity,
    iam_user_identity,
    modify_instance_type,
    record,
    revoke_ingress_by_permission,
    revoke_ingress_by_rule_id,
    root_identity,
    sso_console_identity,
)

GROUP = "sg-0a1b2c3d4e5f60718"
INSTANCE = "i-0f1e2d3c4b5a69788"
ACTOR_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "actor.schema.json").read_text())
DOCS = Path(__file__).resolve().parent.parent / "docs"


def sso_console_with_mfa() -> dict[str, Any]:
    return revoke_ingress_by_rule_id(
        GROUP,
        "sgr-0123456789abcdef0",
        identity=sso_console_identity(mfa=True),
        event_id="ev-sso",
        console=True,
    )


def iam_user_with_cli() -> dict[str, Any]:
    return modify_instance_type(INSTANCE, "t3.large", event_id="ev-cli", time="2024-05-01T08:00:00Z")


def ci_runner_with_terraform() -> dict[str, Any]:
    return revoke_ingress_by_permission(
        GROUP,
        443,
        "0.0.0.0/0",
        identity=ci_role_identity(),
        agent=TERRAFORM_AGENT,
        source_ip="192.0.2.44",
        event_id="ev-ci",
        time="2024-05-02T10:02:10Z",
    )


def cloudformation_stack_update() -> dict[str, Any]:
    return record(
        "AuthorizeSecurityGroupIngress",
        cloudformation_role_identity(),
        {"groupId": GROUP, "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22}]}},
        {"_return": True},
        agent=CLOUDFORMATION,
        source_ip=CLOUDFORMATION,
        event_id="ev-cfn",
        time="2024-05-02T10:13:00Z",
    )


def root_in_the_console() -> dict[str, Any]:
    return record(
        "DeleteSecurityGroup",
        root_identity(mfa=True),
        {"groupId": GROUP},
        {"_return": True},
        agent=CONSOLE_AGENT,
        source_ip="198.51.100.23",
        event_id="ev-root",
        time="2024-05-02T09:41:00Z",
        console=True,
    )


def test_an_sso_console_session_names_the_user_and_permission_set_with_mfa():
    actor = actor_from_record(sso_console_with_mfa())
    assert (actor.person, actor.email, actor.permission_set) == (
        "alice@example.com",
        "alice@example.com",
        "AdministratorAccess",
    )
    assert (actor.role_name, actor.session_name, actor.mfa, actor.via) == (
        SSO_ROLE,
        "alice@example.com",
        True,
        "console",
    )
    assert describe_actor(actor) == (
        "alice@example.com via SSO permission set AdministratorAccess, in the AWS console with MFA, "
        "from 203.0.113.7 at 2024-05-02T10:15:04Z: RevokeSecurityGroupIngress (event ev-sso)"
    )


def test_a_permission_set_name_with_underscores_keeps_them():
    identity = sso_console_identity("dana")
    role = "AWSReservedSSO_Platform_Admin_v2_8f3c2a1b0e9d7c6a"
    identity["arn"] = f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/dana"
    identity["sessionContext"]["sessionIssuer"]["userName"] = role
    actor = actor_from_record(revoke_ingress_by_rule_id(GROUP, "sgr-1", identity=identity, event_id="e"))
    assert (actor.person, actor.email, actor.permission_set) == ("dana", None, "Platform_Admin_v2")


def test_an_iam_user_with_an_access_key_shows_only_its_last_four_characters():
    rec = iam_user_with_cli()
    actor = actor_from_record(rec)
    assert (actor.person, actor.access_key, actor.mfa, actor.client) == (
        "bob",
        "AKIA…2345",
        False,  # a long-term key signs without MFA
        "aws-cli 2.15.30",
    )
    assert describe_actor(actor) == (
        "IAM user bob (access key AKIA…2345), with the AWS CLI 2.15.30 without MFA, "
        "from 203.0.113.7 at 2024-05-01T08:00:00Z: ModifyInstanceAttribute (event ev-cli)"
    )
    whole_key = rec["userIdentity"]["accessKeyId"]
    assert whole_key not in json.dumps(asdict(actor))


def test_a_ci_runners_role_session_with_terraform_names_role_and_session():
    actor = actor_from_record(ci_runner_with_terraform())
    assert (actor.person, actor.email, actor.role_name, actor.session_name) == (
        None,
        None,
        "gha-terraform-deploy",
        "GitHubActions",
    )
    assert (actor.via, actor.client, actor.mfa) == ("terraform", "Terraform 1.7.5", False)
    assert describe_actor(actor) == (  # MFA is a person's matter: not said for automation
        "role gha-terraform-deploy (session GitHubActions), with Terraform 1.7.5, "
        "from 192.0.2.44 at 2024-05-02T10:02:10Z: RevokeSecurityGroupIngress (event ev-ci)"
    )


def test_a_call_cloudformation_made_for_a_stack_says_so():
    actor = actor_from_record(cloudformation_stack_update())
    assert (actor.via, actor.invoked_by, actor.role_name) == (
        "cloudformation",
        CLOUDFORMATION,
        "cfn-stack-exec",
    )
    assert describe_actor(actor) == (
        "role cfn-stack-exec (session AWSCloudFormation), through CloudFormation "
        "at 2024-05-02T10:13:00Z: AuthorizeSecurityGroupIngress (event ev-cfn)"
    )


def test_the_root_user_is_said_loudly():
    actor = actor_from_record(root_in_the_console())
    assert actor.identity_type == "Root" and actor.person is None and actor.mfa is True
    assert actor.who == f"the root user of account {ACCOUNT}"
    assert describe_actor(actor) == (
        f"the ROOT USER of account {ACCOUNT}, in the AWS console with MFA, "
        "from 198.51.100.23 at 2024-05-02T09:41:00Z: DeleteSecurityGroup (event ev-root)"
    )


def test_an_sso_user_from_the_cli_without_mfa():
    rec = revoke_ingress_by_rule_id(
        GROUP, "sgr-1", identity=sso_console_identity("carol@example.com"), agent=CLI_AGENT, event_id="e"
    )
    assert describe_actor(actor_from_record(rec)).startswith(
        "carol@example.com via SSO permission set AdministratorAccess, with the AWS CLI 2.15.30 without MFA, "
    )


def test_a_federated_console_role_session_names_the_person_and_the_role():
    identity = ci_role_identity(role="Admin", session="erin@example.com")
    rec = revoke_ingress_by_rule_id(GROUP, "sgr-1", identity=identity, event_id="e", console=True)
    actor = actor_from_record(rec)
    assert actor.email == "erin@example.com" and actor.permission_set is None
    assert describe_actor(actor).startswith(
        "erin@example.com with role Admin, in the AWS console without MFA, "
    )


TERRAFORM_V4_AGENT = (
    "APN/1.0 HashiCorp/1.0 Terraform/1.3.7 (+https://www.terraform.io) terraform-provider-aws/4.67.0 "
    "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go/1.44.261 (go1.19.9; linux; amd64)"
)
# A provider that could not learn the version from Terraform core (seen from bridged providers too).
TERRAFORM_NO_VERSION_AGENT = "aws-sdk-go/1.44.12 (go1.19.1; darwin; amd64) APN/1.0 HashiCorp/1.0 Terraform/ (+https://www.terraform.io/)"
JAVA_AGENT = "aws-sdk-java/1.12.600 Linux/5.10.201 OpenJDK_64-Bit_Server_VM/17.0.9+9-LTS java/17.0.9"
GO_V2_AGENT = "aws-sdk-go-v2/1.24.1 os/linux lang/go#1.21.6 md/GOOS#linux md/GOARCH#amd64"


@pytest.mark.parametrize(
    ("agent", "via", "client"),
    [
        (TERRAFORM_AGENT, "terraform", "Terraform 1.7.5"),
        (TERRAFORM_V4_AGENT, "terraform", "Terraform 1.3.7"),
        (TERRAFORM_NO_VERSION_AGENT, "terraform", "Terraform"),
        (PULUMI_AGENT, "pulumi", "pulumi-aws 6.22.0"),
        (OPENTOFU_AGENT, "opentofu", "OpenTofu 1.10.1"),
        (CLI_AGENT, "cli", "aws-cli 2.15.30"),
        ("aws-cli/1.32.0 Python/3.11.6 Linux/6.1.61 botocore/1.34.0", "cli", "aws-cli 1.32.0"),
        (BOTO3_AGENT, "sdk", "Boto3 1.34.69"),
        (JAVA_AGENT, "sdk", "aws-sdk-java 1.12.600"),
        (GO_V2_AGENT, "sdk", "aws-sdk-go-v2 1.24.1"),
        (CONSOLE_AGENT, "console", None),
        ("console.ec2.amazonaws.com", "console", None),
        ("signin.amazonaws.com", "console", None),
        ("[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10.217]", "console", None),
        (CLOUDFORMATION, "cloudformation", None),
        ("elasticloadbalancing.amazonaws.com", "aws-service", None),
        ("curl/8.4.0", "unknown", None),
    ],
)
def test_the_channel_and_tool_from_the_user_agent(agent, via, client):
    rec = record("CreateTags", iam_user_identity(), {}, event_id="e", agent=agent)
    assert channel(rec) == via
    assert client_of(agent, via) == client


def test_json_carries_every_resolved_field_and_matches_the_schema():
    records = [
        sso_console_with_mfa(),
        iam_user_with_cli(),
        ci_runner_with_terraform(),
        cloudformation_stack_update(),
        root_in_the_console(),
    ]
    findings = tuple(
        Drift(
            DriftKind.MISSING,
            "aws_security_group",
            GROUP,
            "aws_security_group.lb",
            ACCOUNT,
            "us-east-1",
            "gone",
            actor=actor_from_record(r),
        )
        for r in records
    )
    report = finish_report(Report(ACCOUNT, ("us-east-1",), ("terraform.tfstate",), findings))
    actors = [finding["actor"] for finding in report_to_dict(report)["findings"]]
    for actor in actors:
        jsonschema.validate(actor, ACTOR_SCHEMA)
    sso, iam, ci, cfn, root = actors
    assert sso["email"] == "alice@example.com" and sso["permission_set"] == "AdministratorAccess"
    assert sso["mfa"] is True and sso["text"].startswith("alice@example.com via SSO permission set")
    assert iam["access_key"] == "AKIA…2345" and iam["client"] == "aws-cli 2.15.30"
    assert ci["session_name"] == "GitHubActions" and ci["person"] is None
    assert cfn["invoked_by"] == CLOUDFORMATION and cfn["via"] == "cloudformation"
    assert root["identity_type"] == "Root" and root["text"].startswith("the ROOT USER")


def test_the_schema_and_the_json_doc_list_every_actor_field():
    fields = set(Actor.__dataclass_fields__) - {"described"} | {"text"}
    assert set(ACTOR_SCHEMA["properties"]) == fields
    assert set(ACTOR_SCHEMA["required"]) == fields
    doc = (DOCS / "json-schema.md").read_text().split("## The actor", 1)[1]
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", doc, re.MULTILINE))
    assert documented == fields


def test_an_sso_session_is_always_its_user_even_when_the_name_looks_like_a_machines():
    actor = actor_from_record(
        revoke_ingress_by_rule_id(GROUP, "sgr-1", identity=sso_console_identity("100234"), event_id="e")
    )
    assert (actor.person, actor.permission_set) == ("100234", "AdministratorAccess")


def test_a_federated_user_is_named_as_one():
    identity = {
        "type": "FederatedUser",
        "principalId": f"{ACCOUNT}:frank",
        "arn": f"arn:aws:sts::{ACCOUNT}:federated-user/frank",
        "accountId": ACCOUNT,
        "accessKeyId": "ASIA3EXAMPLEFEDKEY12",
        "sessionContext": {
            "sessionIssuer": {
                "type": "IAMUser",
                "principalId": "AIDA3EXAMPLEBROKER1",
                "arn": f"arn:aws:iam::{ACCOUNT}:user/sso-broker",
                "accountId": ACCOUNT,
                "userName": "sso-broker",
            },
            "attributes": {"creationDate": "2024-05-02T08:00:00Z", "mfaAuthenticated": "false"},
        },
    }
    actor = actor_from_record(record("CreateTags", identity, {}, event_id="e", agent=BOTO3_AGENT))
    assert describe_actor(actor).startswith(
        "federated user frank, with an AWS SDK (Boto3 1.34.69) without MFA, "
    )
