"""ECS clusters: one paginated ListClusters per region, then DescribeClusters a hundred at
a time (the API's limit) with their tags, settings and configuration.

A deleted cluster stays describable as INACTIVE for a while: it is gone. The `default`
cluster is the one ECS makes for itself (the first task run without a cluster, the
console's first run): compared when declared, never unmanaged.
"""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents, arn_id, edits
from guard.live.shape import declared_tags, first_block, tag_changes
from guard.live.types import REGISTRY, Attrs, DetailCall, GraphHooks, KnownType, ResourceType, writes
from guard.model import AwsCall, Change, Resource

REGISTRY.know(
    KnownType(
        "aws_ecs_service",
        pulumi_blocks={"load_balancers": "load_balancer", "service_registries": "service_registries"},
    )
)


def _ecs_tags(items: list[dict[str, Any]] | None) -> dict[str, str]:
    """ECS tags are lower-case `key`/`value`; `aws:` ones belong to AWS."""
    return {t["key"]: t.get("value", "") for t in items or [] if not str(t["key"]).startswith("aws:")}


def _merge_cluster(item: Attrs, answer: Attrs) -> None:
    item.update(answer)


# What AWS reports for a cluster whose Container Insights was never set (the account
# default, off unless the account setting says otherwise; Terraform then stores it too).
_SETTING_DEFAULTS = {"containerInsights": "disabled"}


def _settings(pairs: list[dict[str, Any]]) -> list[dict[str, str]]:
    values = {**_SETTING_DEFAULTS, **{str(p["name"]): str(p.get("value") or "") for p in pairs}}
    return [{"name": name, "value": value} for name, value in sorted(values.items())]


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _exec_shape(kms_key_id: Any, logging: Any, log: dict[str, Any]) -> Attrs | None:
    """execute_command_configuration in one shape; None when nothing is set (logging DEFAULT)."""
    shaped = {
        "kms_key_id": _text(kms_key_id),
        "logging": _text(logging) or "DEFAULT",
        "cloud_watch_encryption_enabled": bool(log.get("cloud_watch_encryption_enabled")),
        "cloud_watch_log_group_name": _text(log.get("cloud_watch_log_group_name")),
        "s3_bucket_encryption_enabled": bool(log.get("s3_bucket_encryption_enabled")),
        "s3_bucket_name": _text(log.get("s3_bucket_name")),
        "s3_key_prefix": _text(log.get("s3_key_prefix")),
    }
    empty = {
        "logging": "DEFAULT",
        "cloud_watch_encryption_enabled": False,
        "s3_bucket_encryption_enabled": False,
    }
    return None if all(shaped[k] == empty.get(k) for k in shaped) else shaped


def _cluster_attrs(item: Attrs) -> Attrs:
    execute = (item.get("configuration") or {}).get("executeCommandConfiguration") or {}
    log = execute.get("logConfiguration") or {}
    return {
        "name": item.get("clusterName"),
        "setting": _settings(item.get("settings") or []),
        "execute_command_configuration": _exec_shape(
            execute.get("kmsKeyId"),
            execute.get("logging"),
            {
                "cloud_watch_encryption_enabled": log.get("cloudWatchEncryptionEnabled"),
                "cloud_watch_log_group_name": log.get("cloudWatchLogGroupName"),
                "s3_bucket_encryption_enabled": log.get("s3EncryptionEnabled"),
                "s3_bucket_name": log.get("s3BucketName"),
                "s3_key_prefix": log.get("s3KeyPrefix"),
            },
        ),
        "service_connect_defaults": _text((item.get("serviceConnectDefaults") or {}).get("namespace")),
        "tags": _ecs_tags(item.get("tags")),
    }


def _cluster_desired(attrs: Attrs) -> Attrs:
    execute = first_block(first_block(attrs, "configuration"), "execute_command_configuration")
    return {
        "name": attrs.get("name"),
        "setting": _settings(attrs.get("setting") or []),
        "execute_command_configuration": _exec_shape(
            execute.get("kms_key_id"), execute.get("logging"), first_block(execute, "log_configuration")
        ),
        "service_connect_defaults": _text(first_block(attrs, "service_connect_defaults").get("namespace")),
        "tags": declared_tags(attrs),
    }


def _configuration_request(shaped: Attrs | None) -> dict[str, Any]:
    if shaped is None:
        return {"executeCommandConfiguration": {"logging": "DEFAULT"}}
    execute: dict[str, Any] = {"logging": shaped["logging"]}
    if shaped["kms_key_id"]:
        execute["kmsKeyId"] = shaped["kms_key_id"]
    if shaped["logging"] == "OVERRIDE":
        log: dict[str, Any] = {
            "cloudWatchEncryptionEnabled": shaped["cloud_watch_encryption_enabled"],
            "s3EncryptionEnabled": shaped["s3_bucket_encryption_enabled"],
        }
        for key, name in (
            ("cloud_watch_log_group_name", "cloudWatchLogGroupName"),
            ("s3_bucket_name", "s3BucketName"),
            ("s3_key_prefix", "s3KeyPrefix"),
        ):
            if shaped[key]:
                log[name] = shaped[key]
        execute["logConfiguration"] = log
    return {"executeCommandConfiguration": execute}


@writes("update_cluster", "tag_resource", "untag_resource")
def _cluster_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _cluster_desired(resource.attrs)
    paths = {change.path.split(".", 1)[0] for change in changes}
    params: dict[str, Any] = {}
    if "setting" in paths:
        params["settings"] = declared["setting"]
    if "execute_command_configuration" in paths:
        params["configuration"] = _configuration_request(declared["execute_command_configuration"])
    if "service_connect_defaults" in paths and declared["service_connect_defaults"]:
        params["serviceConnectDefaults"] = {"namespace": declared["service_connect_defaults"]}
    calls = []
    if params:
        calls.append(AwsCall("ecs", "update_cluster", {"cluster": resource.id, **params}, resource.region))
    restore, remove = tag_changes(changes)
    if restore:
        tags = [{"key": k, "value": v} for k, v in restore.items()]
        calls.append(
            AwsCall("ecs", "tag_resource", {"resourceArn": resource.id, "tags": tags}, resource.region)
        )
    if remove:
        calls.append(
            AwsCall("ecs", "untag_resource", {"resourceArn": resource.id, "tagKeys": remove}, resource.region)
        )
    return calls


_CLUSTER = "requestParameters.cluster"
_CLUSTER_BY_PATH = {
    "setting": ("UpdateCluster", "UpdateClusterSettings"),
    "execute_command_configuration": ("UpdateCluster",),
    "service_connect_defaults": ("UpdateCluster",),
    "tags": ("TagResource", "UntagResource"),
}
_CLUSTER_EVENTS = TypeEvents(
    missing=("DeleteCluster",),
    unmanaged=("CreateCluster",),
    changed=edits(_CLUSTER_BY_PATH),
    by_path=_CLUSTER_BY_PATH,
    touched_by={
        "CreateCluster": "responseElements.cluster.clusterArn",
        **dict.fromkeys(("DeleteCluster", "UpdateCluster", "UpdateClusterSettings"), _CLUSTER),
        **dict.fromkeys(_CLUSTER_BY_PATH["tags"], "requestParameters.resourceArn"),
    },
    # Calls name a cluster by name or ARN (state's id is the ARN); a service's or task's
    # ARN in TagResource is not a cluster's.
    ids=arn_id("ecs", r"cluster/[\w-]+", build="arn:{partition}:ecs:{region}:{account}:cluster/{value}"),
)


REGISTRY.register(
    ResourceType(
        name="aws_ecs_cluster",
        service="ecs",
        list_call="list_clusters",
        items_path="clusterArns[].{clusterArn: @}",
        id_key="clusterArn",
        details=(
            DetailCall(
                operation="describe_clusters",
                param="clusters",
                items_path="clusters",
                answer_key="clusterArn",
                merge=_merge_cluster,
                batch=100,  # the API's limit
                params={"include": ["TAGS", "SETTINGS", "CONFIGURATIONS"]},
            ),
        ),
        keep_item=lambda item: item.get("status") not in ("INACTIVE", "DEPROVISIONING"),
        to_attrs=_cluster_attrs,
        normalise_desired=_cluster_desired,
        compared=("name", "setting", "execute_command_configuration", "service_connect_defaults", "tags"),
        ignored={
            "configuration": "compared as execute_command_configuration, its only setting besides "
            "managed_storage_configuration",
            "managed_storage_configuration": "Fargate ephemeral storage keys; not compared yet",
            "arn": "the id",
        },
        aws_default=lambda item: item.get("clusterName") == "default",
        restore_calls=_cluster_restore,
        restorable=("setting", "execute_command_configuration", "service_connect_defaults", "tags"),
        delete_calls=writes("delete_cluster")(
            lambda live: [AwsCall("ecs", "delete_cluster", {"cluster": live.id}, live.region)]
        ),
        describe=lambda resource: f"ECS cluster {resource.attrs.get('name') or resource.id}",
        events=_CLUSTER_EVENTS,
        pulumi_tokens=("aws:ecs/cluster:Cluster",),
        graph=GraphHooks(name=lambda attrs: str(attrs.get("name") or "ECS cluster")),
    )
)
