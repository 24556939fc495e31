"""Many accounts from one guard.toml: STS AssumeRole on moto with IAM enforced, one account denied."""

from __future__ import annotations

import io
import json
from pathlib import Path

import boto3
import pytest
from moto import settings as moto_settings
from moto.apigateway.responses import APIGatewayResponse
from moto.apigatewayv2.responses import ApiGatewayV2Response
from moto.awslambda.responses import LambdaResponse
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.authorization import ActionAuthenticatorMixin
from moto.iam.access_control import IAMRequest
from moto.route53.responses import Route53

from guard.demo import DEFAULT_TAGS, build_web_estate, delete_https_rule
from guard.pipeline.accounts import Progress
from tests.support.services import iam_inline_policy_attributes, iam_role_attributes

REGION = "us-east-1"
PROD, STAGING, DENIED = "111111111111", "222222222222", "333333333333"
DOCS = Path(__file__).parent.parent / "docs" / "accounts.md"


def documented_read_only_policy() -> dict:
    """The narrow read-only policy docs/accounts.md tells users to attach: the role has exactly it."""
    text = DOCS.read_text().split("<!-- guard-readonly-policy -->", 1)[1]
    return json.loads(text.split("```json", 1)[1].split("```", 1)[0])


READ_ONLY = documented_read_only_policy()
# moto checks a CloudWatch call as monitoring:<Action> (the API's signing name); real IAM, and
# the documented policy, say cloudwatch:<Action>. The same actions under moto's name:
READ_ONLY["Statement"].append(
    {
        "Effect": "Allow",
        "Action": [
            a.replace("cloudwatch:", "monitoring:")
            for a in READ_ONLY["Statement"][0]["Action"]
            if a.startswith("cloudwatch:")
        ],
        "Resource": "*",
    }
)

# moto 5.2.6 checks S3's ListBuckets as s3:ListBuckets (the API's name); real IAM, and the
# documented policy, say s3:ListAllMyBuckets. moto 5.2.5 and earlier used IAM's name.
READ_ONLY["Statement"].append({"Effect": "Allow", "Action": ["s3:ListBuckets"], "Resource": "*"})


_CHECK_SIGNATURE = IAMRequest.check_signature


def _check_signature_but_bodyless_gets(request: IAMRequest) -> None:
    """GuardDuty's, EKS's and EFS's reads are REST GETs with neither query nor body. For such a
    request moto fills its parsed parameters with the headers (moto/core/responses.py, setup_class) and
    hashes those as the payload (moto/iam/access_control.py signs `body or data`), so the
    signature never matches, whatever the policy grants. Only that check is skipped: the
    action moto derives from the route (guardduty:ListDetectors, guardduty:GetDetector, the
    names real IAM uses) is still checked against the documented policy."""
    if request._service in ("guardduty", "eks", "elasticfilesystem") and not request._body:
        return
    _CHECK_SIGNATURE(request)


def _session(credentials: dict) -> boto3.Session:
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=REGION,
    )


@pytest.fixture
def three_accounts(aws, tmp_path, monkeypatch):
    """Two accounts with a web estate and a read-only role for guard; a third guard may not assume."""
    runner_account = aws.client("sts").get_caller_identity()["Account"]
    estates = {}
    for account in (PROD, STAGING):
        admin = _session(
            aws.client("sts").assume_role(
                RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="setup"
            )["Credentials"]
        )
        iam = admin.client("iam")
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{runner_account}:user/guard-runner"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"sts:ExternalId": "acme-guard"}},
                }
            ],
        }
        role = iam.create_role(
            RoleName="guard-readonly",
            AssumeRolePolicyDocument=json.dumps(trust),
            Tags=[{"Key": k, "Value": v} for k, v in DEFAULT_TAGS.items()],  # the provider's default_tags
        )["Role"]
        iam.put_role_policy(
            RoleName="guard-readonly", PolicyName="read-only", PolicyDocument=json.dumps(READ_ONLY)
        )
        estate = build_web_estate(admin, REGION)
        # guard's role is infrastructure like any other: declared in the account's state,
        # or guard reports it (and its policy) as unmanaged.
        estate.state.add("aws_iam_role", "guard_readonly", iam_role_attributes(role, trust))
        estate.state.add(
            "aws_iam_role_policy",
            "guard_readonly",
            iam_inline_policy_attributes("role", "guard-readonly", "read-only", READ_ONLY),
        )
        estates[account] = (admin, estate)
        estates[account][1].state.write(tmp_path / f"{account}.tfstate")

    # The runner may assume guard-readonly in prod and staging only.
    iam = aws.client("iam")
    iam.create_user(UserName="guard-runner")
    iam.put_user_policy(
        UserName="guard-runner",
        PolicyName="assume-guard",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Resource": [
                            f"arn:aws:iam::{PROD}:role/guard-readonly",
                            f"arn:aws:iam::{STAGING}:role/guard-readonly",
                        ],
                    }
                ],
            }
        ),
    )
    key = iam.create_access_key(UserName="guard-runner")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    (tmp_path / f"{DENIED}.tfstate").write_text(
        json.dumps({"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "x", "resources": []})
    )
    config = tmp_path / "guard.toml"
    config.write_text(
        f"""
[defaults]
regions = ["{REGION}"]
role = "guard-readonly"
external_id = "acme-guard"
max_workers = 2

[[accounts]]
id = "{PROD}"
name = "prod"
states = ["{tmp_path / f"{PROD}.tfstate"}"]
slack_channel = "#prod-drift"

[[accounts]]
id = "{STAGING}"
name = "staging"
states = ["{tmp_path / f"{STAGING}.tfstate"}"]

[[accounts]]
id = "{DENIED}"
name = "sandbox"
states = ["{tmp_path / f"{DENIED}.tfstate"}"]
"""
    )
    # From here on moto checks every request against IAM, as AWS does. Except Lambda,
    # Route 53, API Gateway and CloudFront: moto 5 cannot verify SigV4 on their REST paths
    # (SignatureDoesNotMatch, or an empty error, even for a principal allowed "*").
    for response in (LambdaResponse, Route53, APIGatewayResponse, ApiGatewayV2Response, CloudFrontResponse):
        monkeypatch.setattr(response, "_authenticate_and_authorize_normal_action", lambda self, *a: None)
    monkeypatch.setattr(IAMRequest, "check_signature", _check_signature_but_bodyless_gets)
    monkeypatch.setattr(moto_settings, "INITIAL_NO_AUTH_ACTION_COUNT", 0)
    monkeypatch.setattr(ActionAuthenticatorMixin, "request_count", 0)
    return config, estates


def test_two_accounts_scanned_one_denied_exit_3(guard, three_accounts):
    config, _ = three_accounts
    result = guard("scan", "--config", config, "--format", "json", "--no-progress")
    assert result.code == 3, result.err
    report = result.json()
    assert report["accounts"] == [PROD, STAGING]
    assert report["findings"] == []
    assert report["summary"]["not_checked"] == []  # both accounts read in full through their role
    (denied,) = report["summary"]["unreadable"]
    assert denied["what"] == "account" and denied["name"] == f"{DENIED} (sandbox)"
    assert f"arn:aws:iam::{DENIED}:role/guard-readonly" in denied["reason"]
    assert "AccessDenied" in denied["reason"]
    # In each scanned account: the web estate's eight resources, guard's role and its policy.
    assert report["summary"]["coverage"]["managed"] == 20
    lines = [line for line in result.err.splitlines() if line.startswith("guard: account")]
    assert len(lines) == 3 and any("NOT SCANNED" in line and DENIED in line for line in lines)


def test_drift_in_one_account_is_found_and_named(guard, three_accounts):
    config, estates = three_accounts
    # The console edit happens with the staging admin's own credentials.
    session, estate = estates[STAGING]
    moto_settings.INITIAL_NO_AUTH_ACTION_COUNT = float("inf")  # let the admin through; monkeypatch restores
    delete_https_rule(session, estate.lb_group_id, REGION)
    moto_settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
    result = guard("scan", "--config", config, "--account", "staging", "--account", PROD, "--format", "json")
    assert result.code == 2, result.err
    (finding,) = result.json()["findings"]
    assert (finding["account"], finding["id"]) == (STAGING, estate.lb_group_id)


def test_denied_alone_is_incomplete_not_clean(guard, three_accounts):
    config, _ = three_accounts
    result = guard("scan", "--config", config, "--account", "sandbox")
    assert result.code == 3
    assert "INCOMPLETE" in result.out and f"account {DENIED} (sandbox)" in result.out
    assert "No drift" not in result.out


def test_accounts_from_flags_without_a_config(guard, three_accounts, tmp_path):
    result = guard(
        "scan",
        "--account",
        PROD,
        "--account",
        DENIED,
        "--role",
        "guard-readonly",
        "--external-id",
        "acme-guard",
        "--state",
        tmp_path / f"{PROD}.tfstate",
        "--region",
        REGION,
        "--format",
        "json",
    )
    assert result.code == 3, result.err
    assert result.json()["accounts"] == [PROD]


def test_progress_plain_lines_and_bar():
    plain = io.StringIO()
    with Progress(2, stream=plain) as progress:
        progress.done("111111111111 (prod)", "0 findings, complete")
    assert plain.getvalue() == "guard: account 111111111111 (prod): 0 findings, complete\n"
    terminal = io.StringIO()
    with Progress(1, stream=terminal, bar=True) as progress:
        progress.done("111111111111 (prod)", "0 findings, complete")
    assert "guard: account" not in terminal.getvalue()


def test_the_documented_policy_covers_every_read_of_every_supported_type():
    """docs/accounts.md's policy is written by hand (with wildcards): a new type's reads must
    reach it too, or a scan through it is incomplete for that type."""
    import fnmatch

    generated = json.loads((DOCS.parent / "iam-policy.json").read_text(encoding="utf-8"))
    (reads,) = [s for s in generated["Statement"] if s["Sid"] == "GuardReadOnly"]
    documented = [a for s in documented_read_only_policy()["Statement"] for a in s["Action"]]
    uncovered = [a for a in reads["Action"] if not any(fnmatch.fnmatchcase(a, p) for p in documented)]
    assert not uncovered, f"add these to the policy in docs/accounts.md: {uncovered}"
