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


_STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/orders"


def _stream(**attrs: Any) -> Resource:
    state = {
        "arn": _STREAM_ARN,
        "id": _STREAM_ARN,
        "name": "orders",
        "encryption_type": "KMS",
        "kms_key_id": "alias/aws/kinesis",
        "retention_period": 72,
        "shard_count": 2,
        "shard_level_metrics": ["IncomingBytes", "OutgoingBytes"],
        "stream_mode_details": [{"stream_mode": "PROVISIONED"}],
        "tags": {"team": "orders"},
        "tags_all": {"team": "orders"},
        **attrs,
    }
    return Resource(
        "aws_kinesis_stream", _STREAM_ARN, state, region="us-east-1", address="aws_kinesis_stream.orders"
    )


def _live_stream(**attrs: Any) -> Resource:
    want = _stream()
    shaped = {
        **REGISTRY.get("aws_kinesis_stream").normalise_desired(want.attrs),
        "open_shard_count": 2,
        **attrs,
    }
    return Resource("aws_kinesis_stream", _STREAM_ARN, shaped, region="us-east-1", source="aws")


def test_several_edits_to_a_stream_go_back_tags_first_then_mode_before_shards():
    """An on-demand switch, encryption stopped, a metric added and a tag removed: each has its
    own Kinesis call; tags go first (they do not put the stream in UPDATING)."""
    declaration = REGISTRY.get("aws_kinesis_stream")
    live = _live_stream(
        stream_mode_details={"stream_mode": "ON_DEMAND"},
        shard_count=None,
        open_shard_count=4,
        encryption_type="NONE",
        kms_key_id=None,
        shard_level_metrics=["IncomingBytes", "IteratorAgeMilliseconds"],
        tags={},
    )
    changes = (
        Change("stream_mode_details.stream_mode", "PROVISIONED", "ON_DEMAND"),
        Change("shard_count", 2, None),
        Change("encryption_type", "KMS", "NONE"),
        Change("kms_key_id", "alias/aws/kinesis", None),
        Change(
            "shard_level_metrics",
            ["IncomingBytes", "OutgoingBytes"],
            ["IncomingBytes", "IteratorAgeMilliseconds"],
        ),
        Change("tags.team", "orders", None),
    )

    calls = declaration.restore_calls(_stream(), live, changes)

    assert [(c.operation, {k: v for k, v in c.params.items() if k != "StreamARN"}) for c in calls] == [
        ("add_tags_to_stream", {"Tags": {"team": "orders"}}),
        ("update_stream_mode", {"StreamModeDetails": {"StreamMode": "PROVISIONED"}}),
        ("update_shard_count", {"TargetShardCount": 2, "ScalingType": "UNIFORM_SCALING"}),
        ("start_stream_encryption", {"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"}),
        ("disable_enhanced_monitoring", {"ShardLevelMetrics": ["IteratorAgeMilliseconds"]}),
        ("enable_enhanced_monitoring", {"ShardLevelMetrics": ["OutgoingBytes"]}),
    ]
    for call in calls:
        assert call.params["StreamARN"] == _STREAM_ARN
        _valid(call.operation, call.params, "kinesis")


def test_a_stream_encrypted_by_hand_is_decrypted_with_its_own_key_and_retention_goes_back_up():
    declaration = REGISTRY.get("aws_kinesis_stream")
    want = _stream(encryption_type="NONE", kms_key_id="")
    live = _live_stream(
        encryption_type="KMS", kms_key_id="arn:aws:kms:us-east-1:123456789012:key/k1", retention_period=24
    )
    changes = (
        Change("encryption_type", "NONE", "KMS"),
        Change("kms_key_id", None, "arn:aws:kms:us-east-1:123456789012:key/k1"),
        Change("retention_period", 72, 24),
    )

    calls = declaration.restore_calls(want, live, changes)

    assert [(c.operation, c.params.get("KeyId"), c.params.get("RetentionPeriodHours")) for c in calls] == [
        ("increase_stream_retention_period", None, 72),
        ("stop_stream_encryption", "arn:aws:kms:us-east-1:123456789012:key/k1", None),
    ]
    for call in calls:
        _valid(call.operation, call.params, "kinesis")


def test_a_stream_back_to_provisioned_at_its_declared_count_is_not_rescaled():
    """AWS keeps the shards an on-demand stream had when it goes back to provisioned; asking
    UpdateShardCount for the count it has already is refused, so it is not asked."""
    declaration = REGISTRY.get("aws_kinesis_stream")
    live = _live_stream(
        stream_mode_details={"stream_mode": "ON_DEMAND"}, shard_count=None, open_shard_count=2
    )
    changes = (
        Change("stream_mode_details.stream_mode", "PROVISIONED", "ON_DEMAND"),
        Change("shard_count", 2, None),
    )

    calls = declaration.restore_calls(_stream(), live, changes)

    assert [c.operation for c in calls] == ["update_stream_mode"]


def test_an_on_demand_stream_is_not_drift_for_the_shards_aws_scales_and_all_metrics_are_named():
    declaration = REGISTRY.get("aws_kinesis_stream")
    state = {"name": "clicks", "shard_count": 0, "stream_mode_details": [{"stream_mode": "ON_DEMAND"}]}
    item = {
        "StreamName": "clicks",
        "StreamModeDetails": {"StreamMode": "ON_DEMAND"},
        "OpenShardCount": 6,
        "RetentionPeriodHours": 24,
        "EncryptionType": "NONE",
        "EnhancedMonitoring": [{"ShardLevelMetrics": []}],
        "Tags": [{"Key": "aws:cloudformation:stack-name", "Value": "x"}],
    }
    live = {k: v for k, v in declaration.to_attrs(item).items() if k in declaration.compared}
    assert live == declaration.normalise_desired(state)
    assert declaration.aws_default(item)  # a stack's own stream
    all_metrics = declaration.normalise_desired({"shard_level_metrics": ["ALL"]})["shard_level_metrics"]
    assert len(all_metrics) == 7 and "ALL" not in all_metrics


def test_an_unmanaged_stream_is_imported_by_name_as_the_provider_takes_it():
    from guard.remedy.plan import import_hcl

    declaration = REGISTRY.get("aws_kinesis_stream")
    live = _live_stream()

    text = import_hcl(live, declaration)

    assert 'id = "orders"' in text and _STREAM_ARN not in text
    assert "stream_mode_details {" in text and 'stream_mode = "PROVISIONED"' in text


def test_a_tag_call_on_a_stream_consumer_touches_no_stream():
    """TagResource takes any Kinesis resource's ARN; a consumer's names its stream but is not it."""
    from guard.live.events import touched
    from tests.cloudtrail_shapes import iam_user_identity, record

    consumer = f"{_STREAM_ARN}/consumer/app:1700000000"
    tagged = record(
        "TagResource",
        iam_user_identity(),
        {"resourceARN": consumer},
        event_id="ev-consumer",
        source="kinesis.amazonaws.com",
    )
    assert touched(tagged, REGISTRY) == []
