"""KMS grants beyond the sweep: a grant whose key_id the configuration wrote as the key's
ARN (the provider's id is then ARN:grant) matches the live grant by key id; the grant token
in state is never printed; and the grants AWS services make for themselves are recognised."""

from __future__ import annotations

import json

from guard.demo.state import TerraformState
from guard.live import REGISTRY
from guard.live.resources.kms import _made_by_a_service
from guard.state.pulumi import to_terraform_attrs
from tests.cases.kms_grant import build_kms_grant
from tests.cases.services import REGION, account, client

NARROW = ("--service", "kms", "--service", "iam")


def test_a_grant_declared_on_the_key_arn_matches_and_its_token_is_never_printed(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_kms_grant(aws, state, ctx)
    document = state.document()
    arn = f"arn:aws:kms:{REGION}:{account(aws)}:key/{ctx['key_id']}"
    [block] = [b for b in document["resources"] if b["type"] == "aws_kms_grant"]
    attributes = block["instances"][0]["attributes"]
    attributes.update(key_id=arn, id=f"{arn}:{ctx['grant_id']}")
    token = attributes["grant_token"]
    path = tmp_path / "terraform.tfstate"
    path.write_text(json.dumps(document), encoding="utf-8")
    scan = ["scan", "--state", path, "--region", REGION, "--format", "json", *NARROW]
    assert guard(*scan).json()["findings"] == []

    client(aws, "kms").revoke_grant(KeyId=ctx["key_id"], GrantId=ctx["grant_id"])
    result = guard(*scan)
    [finding] = result.json()["findings"]
    assert (finding["kind"], finding["id"]) == ("missing", f"{arn}:{ctx['grant_id']}")
    assert token not in result.out
    console = guard("scan", "--state", path, "--region", REGION, *NARROW)
    assert "KMS grant" in console.out and token not in console.out


def test_grants_services_make_for_themselves_are_theirs():
    role = "arn:aws:iam::123456789012:role/app"
    assert _made_by_a_service({"GranteePrincipal": "dynamodb.us-east-1.amazonaws.com"})
    assert _made_by_a_service({"GranteePrincipal": role, "RetiringPrincipal": "secretsmanager.amazonaws.com"})
    assert _made_by_a_service({"GranteeServicePrincipal": "logs.us-east-1.amazonaws.com"})
    assert _made_by_a_service(
        {"GranteePrincipal": "arn:aws:sts::123456789012:assumed-role/aws:ec2-infrastructure/i-0a1b2c3d"}
    )
    assert _made_by_a_service(
        {
            "GranteePrincipal": role,
            "Constraints": {"EncryptionContextEquals": {"aws:lambda:FunctionArn": "x"}},
        }
    )
    assert not _made_by_a_service(
        {"GranteePrincipal": role, "Constraints": {"EncryptionContextSubset": {"app": "orders"}}}
    )


def test_a_pulumi_grant_keeps_its_encryption_context_keys():
    outputs = {
        "keyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
        "grantId": "abc",
        "granteePrincipal": "arn:aws:iam::123456789012:role/app",
        "operations": ["Encrypt", "Decrypt"],
        "constraints": [{"encryptionContextSubset": {"Department": "IT"}}],
    }
    attrs, _, _ = to_terraform_attrs(outputs, "aws_kms_grant")
    shaped = REGISTRY.get("aws_kms_grant").normalise_desired(attrs)
    assert shaped["constraints"] == {
        "encryption_context_equals": {},
        "encryption_context_subset": {"Department": "IT"},
    }
    assert shaped["operations"] == ["Decrypt", "Encrypt"]
