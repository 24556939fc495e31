"""Policy documents compare by meaning; attributes owned by something else are never compared."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from guard.live import REGISTRY
from guard.live.policy import normalise_policy

STORED = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Principal": {"AWS": "111122223333"}},
        {"Effect": "Deny", "Action": ["s3:DeleteObject", "s3:PutObject"], "Resource": "*"},
    ],
}
SAME_MEANING = {
    "Statement": [
        {"Sid": "", "Resource": ["*"], "Action": ["s3:PutObject", "s3:DeleteObject"], "Effect": "Deny"},
        {
            "Principal": {"AWS": ["arn:aws:iam::111122223333:root"]},
            "Resource": "*",
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
        },
    ],
    "Version": "2012-10-17",
}


def test_equivalent_documents_normalise_to_one_string():
    url_encoded = urllib.parse.quote(json.dumps(STORED))
    pretty = json.dumps(SAME_MEANING, indent=4)
    assert normalise_policy(STORED) == normalise_policy(pretty) == normalise_policy(url_encoded)


def test_a_real_change_still_differs():
    wider = json.loads(json.dumps(STORED))
    wider["Statement"][0]["Action"] = "s3:*"
    assert normalise_policy(wider) != normalise_policy(STORED)


@pytest.mark.parametrize("empty", [None, "", "{}", {}])
def test_no_policy_is_none(empty):
    assert normalise_policy(empty) is None


def test_desired_capacity_is_ignored_with_its_reason():
    assert "desired_capacity" not in REGISTRY.get("aws_autoscaling_group").compared
    assert "scaling policies" in REGISTRY.get("aws_autoscaling_group").ignored["desired_capacity"]


def test_roles_aws_made_on_its_own_are_never_unmanaged(aws, guard, tmp_path):
    """Identity Center's permission-set roles and the role Organizations puts in every new
    account sit in every account of an organisation and in no state: only a role somebody
    made by hand is reported."""
    iam = aws.client("iam")
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"}
            ],
        }
    )
    admin = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    )
    read = iam.create_policy(PolicyName="read-all", PolicyDocument=admin)["Policy"]["Arn"]
    for name, path in (
        ("AWSReservedSSO_Admin_0123456789abcdef", "/aws-reserved/sso.amazonaws.com/"),
        ("OrganizationAccountAccessRole", "/"),
        ("made-by-hand", "/"),
    ):
        iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument=trust)
        iam.put_role_policy(RoleName=name, PolicyName="AdministratorAccess", PolicyDocument=admin)
        iam.attach_role_policy(RoleName=name, PolicyArn=read)
    state = tmp_path / "terraform.tfstate"
    state.write_text(
        json.dumps({"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "l", "resources": []})
    )
    result = guard("scan", "--state", state, "--region", "us-east-1", "--format", "json")
    findings = [f for f in result.json()["findings"] if f["type"].startswith("aws_iam_role")]
    assert [(f["kind"], f["type"], f["id"]) for f in findings] == [
        ("unmanaged", "aws_iam_role", "made-by-hand")
    ]
    # Without the rule for AWS's roles the other two would be reported the same way.
    listed = {r["RoleName"] for r in iam.list_roles()["Roles"]}
    assert {"AWSReservedSSO_Admin_0123456789abcdef", "OrganizationAccountAccessRole"} <= listed
