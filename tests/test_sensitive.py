"""Values Terraform marks sensitive never reach any output, nor a command line."""

from __future__ import annotations

from guard.demo.state import TerraformState
from tests.cases.ec2 import build_vpc

CANARY = "canary-7f3a9c-secret"


def test_sensitive_tag_change_is_masked_everywhere(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_vpc(aws, state, ctx)
    ec2 = aws.client("ec2", region_name="us-east-1")
    ec2.create_tags(Resources=[ctx["vpc_id"]], Tags=[{"Key": "Token", "Value": CANARY}])
    document = state.document()
    instance = document["resources"][0]["instances"][0]
    instance["attributes"]["tags"]["Token"] = CANARY
    instance["attributes"]["tags_all"]["Token"] = CANARY
    # Tags set from a sensitive variable are marked sensitive in state.
    instance["sensitive_attributes"] = [[{"type": "get_attr", "value": "tags"}]]
    path = tmp_path / "terraform.tfstate"
    path.write_text(__import__("json").dumps(document))

    ec2.create_tags(Resources=[ctx["vpc_id"]], Tags=[{"Key": "Token", "Value": CANARY + "-rotated"}])
    as_json = guard("scan", "--state", path, "--region", "us-east-1", "--format", "json")
    console = guard("scan", "--state", path, "--region", "us-east-1")
    assert as_json.code == console.code == 2
    for output in (as_json.out, as_json.err, console.out, console.err):
        assert CANARY not in output
    finding = as_json.json()["findings"][0]
    assert finding["changes"] == [{"path": "tags.Token", "expected": "(sensitive)", "actual": "(sensitive)"}]
    assert [step["kind"] for step in finding["rollback"]] == ["manual", "iac"]
