"""Routes declared inline, the regions of an account, and what a scan says it did not check."""

from __future__ import annotations

from guard.demo.state import TerraformState
from tests.cases.vpc import REGION, _ec2, build_route_table


def _scan(guard, state: TerraformState, tmp_path, *args: str):
    path = state.write(tmp_path / "terraform.tfstate")
    return guard("scan", "--state", path, *args)


def test_inline_route_deleted_is_owned_by_the_route_table(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_route_table(aws, state, ctx)
    _ec2(aws).delete_route(RouteTableId=ctx["route_table_id"], DestinationCidrBlock="0.0.0.0/0")
    result = _scan(guard, state, tmp_path, "--region", REGION, "--format", "json")
    assert result.code == 2, result.err
    [finding] = result.json()["findings"]
    assert (finding["kind"], finding["type"], finding["id"]) == (
        "missing",
        "aws_route_table",
        ctx["route_id"],
    )
    assert finding["address"] == "aws_route_table.public"
    assert f"route 0.0.0.0/0 via {ctx['igw_id']} was deleted" in finding["title"]
    assert any("create-route" in (step["cli"] or "") for step in finding["rollback"])


def test_inline_route_pointed_elsewhere_is_one_change(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_route_table(aws, state, ctx)
    ec2 = _ec2(aws)
    other = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    # Someone points the default route at another gateway.
    ec2.replace_route(RouteTableId=ctx["route_table_id"], DestinationCidrBlock="0.0.0.0/0", GatewayId=other)
    result = _scan(guard, state, tmp_path, "--region", REGION, "--format", "json")
    kinds = [(f["kind"], f["type"], f["id"]) for f in result.json()["findings"]]
    assert ("changed", "aws_route_table", ctx["route_id"]) in kinds
    changed = next(f for f in result.json()["findings"] if f["kind"] == "changed")
    assert changed["changes"] == [{"path": "gateway_id", "expected": ctx["igw_id"], "actual": other}]
    # The new gateway itself is in no state: that is the only other finding.
    assert sorted(kinds) == sorted(
        [("changed", "aws_route_table", ctx["route_id"]), ("unmanaged", "aws_internet_gateway", other)]
    )


def test_all_regions_reads_every_enabled_region(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_route_table(aws, state, ctx)
    # moto ignores the opt-in-status filter and returns every region with its status, so
    # guard also checks OptInStatus itself; AWS applies the filter.
    everything = _ec2(aws).describe_regions(AllRegions=True)["Regions"]
    enabled = sorted(
        r["RegionName"] for r in everything if r.get("OptInStatus") in ("opt-in-not-required", "opted-in")
    )
    assert len(enabled) < len(everything), "some regions are not opted in"
    result = _scan(guard, state, tmp_path, "--all-regions", "--format", "json")
    assert result.code == 0, result.err
    report = result.json()
    assert report["regions"] == enabled and len(enabled) > 1
    assert report["findings"] == []


def test_all_regions_and_region_together_is_a_usage_error(aws, guard, tmp_path):
    state = TerraformState()
    result = _scan(guard, state, tmp_path, "--all-regions", "--region", REGION)
    assert result.code == 1
    assert "--all-regions and --region cannot be used together" in result.err


def test_unsupported_types_and_coverage_are_reported(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_route_table(aws, state, ctx)
    state.add("aws_sfn_activity", "api", {"id": "arn:aws:states:us-east-1:123456789012:activity:api"})
    state.add("aws_sfn_activity", "worker", {"id": "arn:aws:states:us-east-1:123456789012:activity:worker"})
    declared = sum(len(block["instances"]) for block in state.document()["resources"])
    report = _scan(guard, state, tmp_path, "--region", REGION, "--format", "json").json()
    assert report["summary"]["unsupported_types"] == {"aws_sfn_activity": 2}
    assert report["summary"]["coverage"] == {"managed": declared, "checked": declared - 2}
    console = _scan(guard, state, tmp_path, "--region", REGION)
    assert f"{declared - 2} of {declared} declared resources checked" in console.out
    assert "aws_sfn_activity (2)" in console.out
