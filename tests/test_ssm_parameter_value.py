"""An SSM parameter's value overwritten outside Terraform is found without guard reading it,
and no output prints either the declared or the new value."""

from __future__ import annotations

from guard.demo.state import TerraformState
from tests.cases.ssm import CASES, build_parameter

DECLARED = "correct-horse"  # inside the value tests/support/secrets.py writes into state
NEW = "hunter2"  # inside the value the case's edit puts in


def test_a_value_overwritten_is_found_by_version_and_never_printed(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_parameter(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    CASES[0].drift(aws, ctx)

    outputs = []
    for form in ("json", "console", "markdown"):
        result = guard("scan", "--state", path, "--region", "us-east-1", "--format", form)
        assert result.code == 2, result.err
        outputs.append(result.out + result.err)
    report = guard("scan", "--state", path, "--region", "us-east-1", "--format", "json").json()
    [finding] = report["findings"]
    assert [c["path"] for c in finding["changes"]] == ["value"]
    for text in outputs:
        assert DECLARED not in text and NEW not in text
    # What guard calls is held to docs/iam-policy.json (tests/test_promise_read_only.py): no value read.
