"""What the identity types promise beyond the sweep: an access key's secret is never read
nor printed, and an inactive key nobody declared is no finding."""

from __future__ import annotations

from tests.cases.identity import AK_USER, build_access_key


def _scan(guard, state, tmp_path):
    path = state.write(tmp_path / "terraform.tfstate")
    result = guard("scan", "--state", path, "--region", "us-east-1", "--format", "json")
    assert result.code in (0, 2), result.err
    return result


def test_an_inactive_key_nobody_declared_is_no_finding_an_active_one_is(aws, guard, tmp_path):
    from guard.demo.state import TerraformState

    state, ctx = TerraformState(), {}
    build_access_key(aws, state, ctx)
    iam = aws.client("iam")
    spare = iam.create_access_key(UserName=AK_USER)["AccessKey"]["AccessKeyId"]
    iam.update_access_key(UserName=AK_USER, AccessKeyId=spare, Status="Inactive")
    assert _scan(guard, state, tmp_path).json()["findings"] == []

    iam.update_access_key(UserName=AK_USER, AccessKeyId=spare, Status="Active")
    found = [(f["kind"], f["id"]) for f in _scan(guard, state, tmp_path).json()["findings"]]
    assert found == [("unmanaged", spare)]


def test_the_secret_in_state_is_never_printed(aws, guard, tmp_path):
    from guard.demo.state import TerraformState

    state, ctx = TerraformState(), {}
    build_access_key(aws, state, ctx)
    aws.client("iam").update_access_key(UserName=AK_USER, AccessKeyId=ctx["access_key_id"], Status="Inactive")
    for output in ("json", "console", "markdown", "sarif"):
        path = state.write(tmp_path / "terraform.tfstate")
        result = guard("scan", "--state", path, "--region", "us-east-1", "--format", output)
        assert result.code == 2, result.err
        assert ctx["secret"] not in result.out + result.err
        assert "BEXAMPLESMTPPASSWORD" not in result.out + result.err
