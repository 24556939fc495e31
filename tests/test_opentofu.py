"""States written by OpenTofu read like Terraform's; an encrypted one is refused in one line."""

from __future__ import annotations

import json

from guard.demo import build_web_estate, delete_https_rule

REGION = "us-east-1"
TOFU_AWS = 'provider["registry.opentofu.org/hashicorp/aws"]'


def _as_opentofu(document):
    """What `tofu apply` (1.8.3) writes for the same estate: its version and its registry."""
    document = json.loads(json.dumps(document))
    document["terraform_version"] = "1.8.3"
    for block in document["resources"]:
        block["provider"] = block["provider"].replace("registry.terraform.io", "registry.opentofu.org")
    return document


def test_an_opentofu_state_scans_clean_then_finds_the_deleted_rule(guard, aws, tmp_path):
    estate = build_web_estate(aws, REGION)
    state = tmp_path / "terraform.tfstate"
    document = _as_opentofu(estate.state.document())
    assert {block["provider"] for block in document["resources"]} == {TOFU_AWS}
    state.write_text(json.dumps(document))
    clean = guard("scan", "--state", state, "--region", REGION, "--format", "json")
    assert clean.code == 0, clean.err
    assert clean.json()["summary"]["coverage"]["managed"] > 0
    delete_https_rule(aws, estate.lb_group_id, REGION)
    drifted = guard("scan", "--state", state, "--region", REGION, "--format", "json")
    assert drifted.code == 2
    assert [(f["kind"], f["id"]) for f in drifted.json()["findings"]] == [("missing", estate.lb_group_id)]


# OpenTofu 1.7+ with `terraform { encryption { ... state { method = ... } } }` writes this.
ENCRYPTED = {
    "serial": 7,
    "lineage": "3f0e0b7c-5d0a-c8f6-0e59-2b2d1c4a9e21",
    "meta": {"key_provider.pbkdf2.state": "eyJzYWx0IjoiL3Fab0p0aXNmSGR3PT0iLCJpdGVyYXRpb25zIjo2MDAwMDB9"},
    "encrypted_data": "Jn2m6hV1bX0yZkV3c0hQUjRXcW9kTzBnc2JwS2J2d2pNc1NlcGc9PQ==",
    "encryption_version": "v0",
}


def test_an_encrypted_opentofu_state_is_refused_in_one_line(guard, tmp_path):
    state = tmp_path / "terraform.tfstate"
    state.write_text(json.dumps(ENCRYPTED, indent=2))
    result = guard("scan", "--state", state, "--region", REGION)
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert f"{state}: is encrypted by OpenTofu's state encryption" in lines[0]
    assert "tofu state pull" in lines[0]
    assert "Traceback" not in result.err


def test_an_encrypted_state_from_a_backend_names_its_address():
    import pytest

    from guard.errors import InputError
    from guard.state.terraform import parse_state

    with pytest.raises(InputError) as caught:
        parse_state(json.dumps(ENCRYPTED), "s3://acme-tf-state/network/terraform.tfstate")
    assert caught.value.source == "s3://acme-tf-state/network/terraform.tfstate"
    assert "encrypted by OpenTofu" in caught.value.problem
