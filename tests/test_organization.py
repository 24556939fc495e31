"""[organization]: accounts found through AWS Organizations on moto, scanned through a role each.

moto answers AssumeRole for any role, so the account guard may not enter is refused the way
tests/test_accounts.py does it: moto's IAM enforcement is switched on and the runner's own
policy allows sts:AssumeRole on every account's guard-readonly role except one.
"""

from __future__ import annotations

import json

import boto3
import pytest
from moto import settings as moto_settings
from moto.apigateway.responses import APIGatewayResponse
from moto.apigatewayv2.responses import ApiGatewayV2Response
from moto.awslambda.responses import LambdaResponse
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.authorization import ActionAuthenticatorMixin
from moto.route53.responses import Route53

from guard.config import OrganizationConfig
from guard.demo import build_web_estate, delete_https_rule
from guard.pipeline.organization import OrgAccount, OrgUnit, in_ou, state_urls
from tests.cloudtrail_shapes import eventbridge, revoke_ingress_by_permission
from tests.test_accounts import READ_ONLY

REGION = "us-east-1"
EMPTY_STATE = {"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "x", "resources": []}


@pytest.fixture
def organisation(aws, tmp_path, monkeypatch):
    """Root > Prod > Web, Root > Sandbox; five accounts: web (env=prod), api (env=prod, in Prod),
    old (env=prod, SUSPENDED), play (Sandbox), locked (env=prod, its role may not be assumed)."""
    runner = aws.client("sts").get_caller_identity()["Account"]
    org = aws.client("organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    prod = org.create_organizational_unit(ParentId=root, Name="Prod")["OrganizationalUnit"]["Id"]
    web_ou = org.create_organizational_unit(ParentId=prod, Name="Web")["OrganizationalUnit"]["Id"]
    sandbox = org.create_organizational_unit(ParentId=root, Name="Sandbox")["OrganizationalUnit"]["Id"]
    ids = {}
    for name, parent, tags in (
        ("web", web_ou, {"env": "prod"}),
        ("api", prod, {"env": "prod"}),
        ("old", prod, {"env": "prod"}),
        ("play", sandbox, {"env": "dev"}),
        ("locked", prod, {"env": "prod"}),
    ):
        status = org.create_account(
            Email=f"{name}@example.com",
            AccountName=name,
            Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
        )["CreateAccountStatus"]
        ids[name] = status["AccountId"]
        org.move_account(AccountId=ids[name], SourceParentId=root, DestinationParentId=parent)
    org.close_account(AccountId=ids["old"])
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{runner}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    for name in ("web", "api", "play", "locked"):
        credentials = aws.client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{ids[name]}:role/OrganizationAccountAccessRole", RoleSessionName="setup"
        )["Credentials"]
        admin = boto3.Session(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
            region_name=REGION,
        )
        admin.client("iam").create_role(RoleName="guard-readonly", AssumeRolePolicyDocument=json.dumps(trust))
        admin.client("iam").put_role_policy(
            RoleName="guard-readonly", PolicyName="read-only", PolicyDocument=json.dumps(READ_ONLY)
        )
        (tmp_path / f"{ids[name]}-{REGION}.tfstate").write_text(json.dumps(EMPTY_STATE))
    iam = aws.client("iam")
    iam.create_user(UserName="guard-runner")
    allowed = [f"arn:aws:iam::{ids[n]}:role/guard-readonly" for n in ("web", "api", "play")]
    iam.put_user_policy(
        UserName="guard-runner",
        PolicyName="runner",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": allowed},
                    {"Effect": "Allow", "Action": ["organizations:List*"], "Resource": "*"},
                ],
            }
        ),
    )
    key = iam.create_access_key(UserName="guard-runner")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    # moto 5 cannot verify SigV4 on these REST paths (as in tests/test_accounts.py).
    for response in (LambdaResponse, Route53, APIGatewayResponse, ApiGatewayV2Response, CloudFrontResponse):
        monkeypatch.setattr(response, "_authenticate_and_authorize_normal_action", lambda self, *a: None)
    monkeypatch.setattr(moto_settings, "INITIAL_NO_AUTH_ACTION_COUNT", 0)
    monkeypatch.setattr(ActionAuthenticatorMixin, "request_count", 0)
    return ids, tmp_path


def _config(tmp_path, body: str):
    path = tmp_path / "guard.toml"
    path.write_text(
        f"""
[organization]
role = "guard-readonly"
regions = ["{REGION}"]
states = ["{tmp_path}/{{account_id}}-{{region}}.tfstate"]
workers = 2
calls_per_second = 50
{body}
"""
    )
    return path


def test_prod_ou_by_tag_scanned_suspended_skipped_locked_reported(guard, organisation):
    ids, tmp_path = organisation
    config = _config(tmp_path, 'include_ous = ["Prod"]\ninclude_tags = { env = "prod" }')
    result = guard("scan", "--config", config, "--format", "json", "--no-progress")
    assert result.code == 3, result.err
    report = result.json()
    # web is in Prod's child OU Web: children count. play is outside Prod.
    assert report["accounts"] == sorted([ids["web"], ids["api"]])
    (locked,) = report["summary"]["unreadable"]
    assert locked["what"] == "account" and locked["name"] == f"{ids['locked']} (locked)"
    assert f"arn:aws:iam::{ids['locked']}:role/guard-readonly" in locked["reason"]
    assert "AccessDenied" in locked["reason"]
    assert any(f"{ids['old']} (old) skipped" in note and "SUSPENDED" in note for note in report["notes"])
    assert ids["play"] not in result.out


def test_ou_path_and_tag_exclusion_and_a_new_account_without_config_change(guard, organisation):
    ids, tmp_path = organisation
    config = _config(tmp_path, 'include_ous = ["Root/Sandbox"]\nexclude_tags = { env = "prod" }')
    result = guard("scan", "--config", config, "--format", "json", "--no-progress")
    report = result.json()
    assert report["accounts"] == [ids["play"]]
    assert report["summary"]["unreadable"] == []
    # A new account in Sandbox is found by the next run; its role is not there yet, so it is
    # reported (its state is not either), never passed over.
    moto_settings.INITIAL_NO_AUTH_ACTION_COUNT = float("inf")  # the admin's own call; monkeypatch restores
    org = boto3.Session(region_name=REGION).client("organizations")
    new = org.create_account(Email="new@example.com", AccountName="new")["CreateAccountStatus"]["AccountId"]
    root = org.list_roots()["Roots"][0]["Id"]
    sandbox = org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]
    sandbox_id = next(u["Id"] for u in sandbox if u["Name"] == "Sandbox")
    org.move_account(AccountId=new, SourceParentId=root, DestinationParentId=sandbox_id)
    moto_settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
    result = guard("scan", "--config", config, "--format", "json", "--no-progress")
    assert result.code == 3
    (missing,) = result.json()["summary"]["unreadable"]
    assert missing["name"] == f"{new} (new)"


def test_no_account_selected_is_one_line_exit_1(guard, organisation):
    _, tmp_path = organisation
    config = _config(tmp_path, 'include_tags = { env = "nowhere" }')
    result = guard("scan", "--config", config)
    assert result.code == 1
    (line,) = result.err.strip().splitlines()
    assert "selects no ACTIVE account" in line and "Traceback" not in result.err


def _account(*units: tuple[str, str, str]) -> OrgAccount:
    return OrgAccount("123456789012", "web", "ACTIVE", tuple(OrgUnit(*u) for u in units))


def test_ou_match_by_id_and_path_with_children_and_state_patterns():
    account = _account(
        ("r-ab12", "Root", ""), ("ou-ab12-11111111", "Prod", "Prod"), ("ou-ab12-22222222", "Web", "Prod/Web")
    )
    assert in_ou(account, "ou-ab12-11111111") and in_ou(account, "Prod") and in_ou(account, "/Root/Prod/Web")
    assert in_ou(account, "r-ab12") and in_ou(account, "Root")
    assert not in_ou(account, "Pro") and not in_ou(account, "ou-ab12-33333333") and not in_ou(account, "Web")
    settings = OrganizationConfig(
        role="guard-readonly",
        states=["s3://tf-{account_id}/{region}/terraform.tfstate"],  # type: ignore[arg-type]
        ou_states=(("Prod", ("s3://central/{ou}/{account_name}.tfstate",)),),
    )
    assert state_urls(account, settings, ("us-east-1", "eu-west-1")) == [
        "s3://tf-123456789012/us-east-1/terraform.tfstate",
        "s3://tf-123456789012/eu-west-1/terraform.tfstate",
        "s3://central/Web/web.tfstate",
    ]


def _event_from(account: str, detail: dict[str, object]) -> dict[str, object]:
    """An EventBridge event as the central bus receives it from a member account."""
    detail = {**detail, "recipientAccountId": account}
    return {**eventbridge(detail), "account": account}


def test_an_event_from_a_member_account_is_checked_in_that_account_and_one_outside_is_not(
    guard, organisation
):
    """on-event resolves accounts the way scan does: the event's account is found through
    Organizations and checked with its own role and states; an account the selection leaves
    out is answered without any read."""
    ids, tmp_path = organisation
    moto_settings.INITIAL_NO_AUTH_ACTION_COUNT = float("inf")  # building the estate as its admin
    credentials = (
        boto3.Session(region_name=REGION)
        .client("sts")
        .assume_role(
            RoleArn=f"arn:aws:iam::{ids['web']}:role/OrganizationAccountAccessRole", RoleSessionName="setup"
        )["Credentials"]
    )
    admin = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=REGION,
    )
    built = build_web_estate(admin, REGION)
    built.state.write(tmp_path / f"{ids['web']}-{REGION}.tfstate")
    delete_https_rule(admin, built.lb_group_id, REGION)
    moto_settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
    config = _config(tmp_path, 'include_ous = ["Prod"]\ninclude_tags = { env = "prod" }')
    revoked = revoke_ingress_by_permission(built.lb_group_id, 443, "0.0.0.0/0", event_id="ev-web-1")
    event = tmp_path / "event.json"

    event.write_text(json.dumps(_event_from(ids["web"], revoked)))
    result = guard("on-event", "--config", config, "--event", event, "--format", "json")
    assert result.code == 2, result.err
    [outcome] = result.json()["events"]
    [finding] = outcome["report"]["findings"]
    assert (finding["kind"], finding["account"]) == ("missing", ids["web"])
    assert "ingress tcp/443 from 0.0.0.0/0 was deleted" in finding["title"]

    event.write_text(json.dumps(_event_from(ids["play"], {**revoked, "eventID": "ev-play-1"})))
    result = guard("on-event", "--config", config, "--event", event, "--format", "json")
    assert result.code == 0, result.err
    [outcome] = result.json()["events"]
    assert outcome["status"] == "ignored"
    assert f"account {ids['play']} is not one this run checks" in outcome["reason"]
