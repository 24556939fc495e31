"""What the data-store sweep cases cannot show on the emulator: the ways back moto does not
implement (ResetDBParameterGroup, ModifyCacheSubnetGroup), the 20-parameters-a-call limit,
and AWS's own groups."""

from __future__ import annotations

from typing import Any

import botocore.session
from botocore import xform_name
from botocore.validate import ParamValidator

from guard.aws import Clients
from guard.demo.state import TerraformState
from guard.live import REGISTRY
from guard.live.collector import collect
from guard.model import Change, Resource
from guard.state import read_state_file
from tests.cases.data import build_parameter_group
from tests.cases.efs import build_mount_target, make_file_system
from tests.cases.services import client


def _valid(operation: str, params: dict[str, Any], service: str = "rds") -> None:
    model = botocore.session.get_session().get_service_model(service)
    name = next(n for n in model.operation_names if xform_name(n) == operation)
    shape = model.operation_model(name)
    report = ParamValidator().validate(params, shape.input_shape)
    assert not report.has_errors(), report.generate_report()


def _group(
    type_name: str, parameters: list[dict[str, str]], static: tuple[str, ...] = ()
) -> tuple[Resource, Resource]:
    declaration = REGISTRY.get(type_name)
    state = {
        "name": "orders",
        "family": "postgres15",
        "description": "Managed by Terraform",
        "arn": "arn:aws:rds:us-east-1:123456789012:pg:orders",
        "parameter": parameters,
        "tags": {},
    }
    want = Resource(type_name, "orders", declaration.normalise_desired(state), address=f"{type_name}.orders")
    live = Resource(type_name, "orders", {"static_parameters": list(static)}, source="aws")
    return want, live


def test_a_parameter_set_out_of_band_is_reset_and_a_static_one_at_the_next_reboot():
    declaration = REGISTRY.get("aws_db_parameter_group")
    want, live = _group(
        "aws_db_parameter_group",
        [{"name": "work_mem", "value": "65536", "apply_method": "immediate"}],
        static=("shared_buffers",),
    )
    changes = (
        Change("parameter.shared_buffers", None, "131072"),
        Change("parameter.log_statement", None, "all"),
        Change("parameter.work_mem", "65536", "4096"),
    )

    calls = declaration.restore_calls(want, live, changes)

    assert [(c.operation, c.params["Parameters"]) for c in calls] == [
        (
            "modify_db_parameter_group",
            [{"ParameterName": "work_mem", "ParameterValue": "65536", "ApplyMethod": "immediate"}],
        ),
        (
            "reset_db_parameter_group",
            [
                {"ParameterName": "shared_buffers", "ApplyMethod": "pending-reboot"},
                {"ParameterName": "log_statement", "ApplyMethod": "immediate"},
            ],
        ),
    ]
    for call in calls:
        _valid(call.operation, call.params)


def test_more_than_twenty_parameters_go_back_twenty_a_call_as_the_api_allows():
    declaration = REGISTRY.get("aws_rds_cluster_parameter_group")
    declared = [{"name": f"p{n}", "value": str(n), "apply_method": "pending-reboot"} for n in range(45)]
    want, live = _group("aws_rds_cluster_parameter_group", declared)
    changes = tuple(Change(f"parameter.p{n}", str(n), "0") for n in range(45))

    calls = declaration.restore_calls(want, live, changes)

    assert [len(c.params["Parameters"]) for c in calls] == [20, 20, 5]
    assert {c.operation for c in calls} == {"modify_db_cluster_parameter_group"}
    assert all(p["ApplyMethod"] == "pending-reboot" for c in calls for p in c.params["Parameters"])
    for call in calls:
        _valid(call.operation, call.params)


def test_aws_default_parameter_groups_are_never_unmanaged(aws, guard, tmp_path):
    """A DB instance on the default group: AWS lists `default.postgres15`, which no state holds."""
    state, ctx = TerraformState(), {}
    build_parameter_group(aws, state, ctx)
    rds = client(aws, "rds")
    rds.create_db_instance(
        DBInstanceIdentifier="sweep-pg-default-user", Engine="postgres", DBInstanceClass="db.t3.micro"
    )
    rds.describe_db_instances(DBInstanceIdentifier="sweep-pg-default-user")
    names = [g["DBParameterGroupName"] for g in rds.describe_db_parameter_groups()["DBParameterGroups"]]
    assert any(name.startswith("default.") for name in names)
    path = state.write(tmp_path / "terraform.tfstate")

    result = guard("scan", "--state", path, "--region", "us-east-1", "--format", "json")

    found = [(f["kind"], f["type"], f["id"]) for f in result.json()["findings"]]
    assert [f for f in found if f[1] == "aws_db_parameter_group"] == []


def test_a_cache_subnet_group_edited_in_place_is_put_back_by_modify_cache_subnet_group():
    declaration = REGISTRY.get("aws_elasticache_subnet_group")
    state = {
        "name": "sessions",
        "description": "Managed by Terraform",
        "subnet_ids": ["subnet-b", "subnet-a"],
        "arn": "arn:aws:elasticache:us-east-1:123456789012:subnetgroup:sessions",
        "tags": {"Team": "data"},
    }
    want = Resource("aws_elasticache_subnet_group", "sessions", declaration.normalise_desired(state))
    changes = (Change("subnet_ids", ["subnet-a", "subnet-b"], ["subnet-a"]), Change("tags.Team", "data", "x"))

    calls = declaration.restore_calls(want, None, changes)

    assert [(c.operation, c.params) for c in calls] == [
        (
            "modify_cache_subnet_group",
            {
                "CacheSubnetGroupName": "sessions",
                "SubnetIds": ["subnet-a", "subnet-b"],
                "CacheSubnetGroupDescription": "Managed by Terraform",
            },
        ),
        ("add_tags_to_resource", {"ResourceName": state["arn"], "Tags": [{"Key": "Team", "Value": "data"}]}),
    ]
    for call in calls:
        _valid(call.operation, call.params, "elasticache")


def test_a_replication_group_pinned_to_major_minor_is_not_drift_when_aws_applies_a_patch():
    declaration = REGISTRY.get("aws_elasticache_replication_group")
    for declared, actual_then, actual_now in (("7.1", "7.1.0", "7.1.2"), ("6.x", "6.2.6", "6.2.14")):
        state = {
            "replication_group_id": "sessions",
            "engine_version": declared,
            "engine_version_actual": actual_then,
        }
        live = {"ReplicationGroupId": "sessions", "MemberClusters": ["sessions-001"]}
        live["Member"] = {"EngineVersion": actual_now}
        assert (
            declaration.normalise_desired(state)["engine_version"]
            == declaration.to_attrs(live)["engine_version"]
        )
    upgraded = {"ReplicationGroupId": "sessions", "Member": {"EngineVersion": "7.2.4"}}
    assert (
        declaration.to_attrs(upgraded)["engine_version"]
        != declaration.normalise_desired(state)["engine_version"]
    )


def test_a_cache_cluster_edited_in_place_is_put_back_by_modify_cache_cluster():
    declaration = REGISTRY.get("aws_elasticache_cluster")
    state = {
        "cluster_id": "memo",
        "engine": "memcached",
        "engine_version": "1.6.17",
        "node_type": "cache.t4g.micro",
        "num_cache_nodes": 2,
        "maintenance_window": "Sun:05:00-Sun:06:00",
        "arn": "arn:aws:elasticache:us-east-1:123456789012:cluster:memo",
    }
    want = Resource("aws_elasticache_cluster", "memo", declaration.normalise_desired(state))
    changes = (
        Change("num_cache_nodes", 2, 1),
        Change("maintenance_window", "sun:05:00-sun:06:00", "mon:01:00-mon:02:00"),
    )

    [call] = declaration.restore_calls(want, None, changes)

    assert (call.operation, call.params) == (
        "modify_cache_cluster",
        {
            "CacheClusterId": "memo",
            "NumCacheNodes": 2,
            "PreferredMaintenanceWindow": "sun:05:00-sun:06:00",
            "ApplyImmediately": True,
        },
    )
    _valid(call.operation, call.params, "elasticache")


def _listed_under(declared: list[Resource]) -> tuple[list[str], list[str]]:
    """(the file systems DescribeMountTargets was called for, the mount targets read)."""
    clients, asked = Clients(), []
    clients.client("efs", "us-east-1").meta.events.register(
        "before-parameter-build.efs.DescribeMountTargets",
        lambda params, **_: asked.append(params.get("FileSystemId")),
    )
    types = [REGISTRY.get("aws_efs_file_system"), REGISTRY.get("aws_efs_mount_target")]
    live = collect(clients, clients.account_id("us-east-1"), ("us-east-1",), types, declared=declared)
    assert ("aws_efs_mount_target", "us-east-1") in live.checked
    return sorted(asked), sorted(r.id for r in live.resources if r.type == "aws_efs_mount_target")


def test_mount_targets_are_listed_only_under_declared_file_systems(aws, guard, tmp_path):
    """DescribeMountTargets is one call per file system: it is made for the file systems the
    state declares, and for one a declared mount target names, never for one in no state,
    which is reported unmanaged itself (its mount targets with it)."""
    state, ctx = TerraformState(), {}
    build_mount_target(aws, state, ctx)
    stray = make_file_system(aws, "sweep-efs-stray", "sweep-efs-stray")["FileSystemId"]
    client(aws, "efs").create_mount_target(FileSystemId=stray, SubnetId=ctx["spare_subnet"])
    path = state.write(tmp_path / "terraform.tfstate")
    declared = read_state_file(path)

    assert _listed_under(declared) == ([ctx["file_system_id"]], [ctx["mount_target_id"]])
    # The file system declared elsewhere (another stack): its declared mount target is read.
    only_target = [r for r in declared if r.type == "aws_efs_mount_target"]
    assert _listed_under(only_target) == ([ctx["file_system_id"]], [ctx["mount_target_id"]])

    result = guard("scan", "--state", path, "--region", "us-east-1", "--service", "efs", "--format", "json")
    found = [(f["kind"], f["type"], f["id"]) for f in result.json()["findings"]]
    assert found == [("unmanaged", "aws_efs_file_system", stray)]
