"""The network types' particular promises, beyond what the type sweep proves for all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from guard.demo.state import TerraformState
from tests.cases.network import REGION, _disassociate, build_associated_eip


def _scan(guard: Any, path: Path) -> dict[str, Any]:
    result = guard("scan", "--state", path, "--region", REGION, "--format", "json")
    assert result.code in (0, 2), result.err
    return dict(result.json())


def test_a_disassociated_eip_is_put_back_by_associate_address(aws, guard, tmp_path):
    """Found on an estate: the way back was `manual`; AWS has the call that reverses it."""
    state, ctx = TerraformState(), {}
    build_associated_eip(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    _disassociate(aws, ctx)

    [finding] = _scan(guard, path)["findings"]
    [step] = [step for step in finding["rollback"] if step["kind"] == "aws"]
    assert step["cli"].startswith("aws ec2 associate-address")
    assert f"--instance-id {ctx['instance_id']}" in step["cli"]
    assert "manual" not in {s["kind"] for s in finding["rollback"]}

    result = guard("rollback", "--state", path, "--region", REGION, "--apply", "--yes", "--format", "json")
    assert result.code == 0, (result.out, result.err)
    address = aws.client("ec2", region_name=REGION).describe_addresses(AllocationIds=[ctx["allocation_id"]])
    assert address["Addresses"][0]["InstanceId"] == ctx["instance_id"]
    assert _scan(guard, path)["findings"] == []
