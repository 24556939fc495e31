"""EFS file systems: one paginated DescribeFileSystems per region (tags come inline), and
DescribeLifecycleConfiguration per file system (EFS has no batch call for it). The backup
policy (DescribeBackupPolicy) belongs to aws_efs_backup_policy and is not read here."""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents, edits
from guard.live.shape import declared_tags, tag_changes, tags
from guard.live.types import REGISTRY, Attrs, DetailCall, GraphHooks, ResourceType, writes
from guard.model import AwsCall, Change, Resource

# Terraform's lifecycle_policy keys and the EFS LifecyclePolicies keys they stand for.
_TRANSITIONS = {
    "transition_to_ia": "TransitionToIA",
    "transition_to_primary_storage_class": "TransitionToPrimaryStorageClass",
    "transition_to_archive": "TransitionToArchive",
}


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _merge_lifecycle(item: Attrs, answer: Attrs) -> None:
    item["LifecyclePolicies"] = answer.get("LifecyclePolicies") or []


def _lifecycle(entries: Any, keys: dict[str, str]) -> dict[str, str | None]:
    """One map for state's blocks (one transition each, the others "") and AWS's list;
    a map already in that shape (attributes normalised once) is kept."""
    if isinstance(entries, dict):
        entries = [entries]
    merged: dict[str, str | None] = dict.fromkeys(_TRANSITIONS)
    for entry in entries:
        for attr, key in keys.items():
            if _text(entry.get(key)):
                merged[attr] = str(entry[key])
    return merged


def _shape(mode: Any, throughput: Any, encrypted: Any, kms: Any, lifecycle: dict[str, str | None]) -> Attrs:
    throughput_mode = str(mode or "bursting")
    return {
        "throughput_mode": throughput_mode,
        # Only a provisioned file system has a throughput of its own; state holds 0 otherwise.
        "provisioned_throughput_in_mibps": (
            float(throughput or 0) if throughput_mode == "provisioned" else None
        ),
        "encrypted": bool(encrypted),
        "kms_key_id": _text(kms),
        "lifecycle_policy": lifecycle,
    }


def _file_system_attrs(item: Attrs) -> Attrs:
    return {
        "creation_token": item.get("CreationToken"),
        "performance_mode": item.get("PerformanceMode") or "generalPurpose",
        **_shape(
            item.get("ThroughputMode"),
            item.get("ProvisionedThroughputInMibps"),
            item.get("Encrypted"),
            item.get("KmsKeyId"),
            _lifecycle(item.get("LifecyclePolicies") or [], _TRANSITIONS),
        ),
        "tags": tags(item),
    }


def _file_system_desired(attrs: Attrs) -> Attrs:
    return {
        "creation_token": attrs.get("creation_token"),
        "performance_mode": attrs.get("performance_mode") or "generalPurpose",
        **_shape(
            attrs.get("throughput_mode"),
            attrs.get("provisioned_throughput_in_mibps"),
            attrs.get("encrypted"),
            attrs.get("kms_key_id"),
            _lifecycle(attrs.get("lifecycle_policy") or [], {k: k for k in _TRANSITIONS}),
        ),
        "tags": declared_tags(attrs),
    }


@writes("update_file_system", "put_lifecycle_configuration", "tag_resource", "untag_resource")
def _file_system_restore(
    resource: Resource, _: Resource | None, changes: tuple[Change, ...]
) -> list[AwsCall]:
    declared = _file_system_desired(resource.attrs)
    paths = {change.path.split(".", 1)[0] for change in changes}
    calls = []
    if paths & {"throughput_mode", "provisioned_throughput_in_mibps"}:
        request: dict[str, Any] = {"FileSystemId": resource.id, "ThroughputMode": declared["throughput_mode"]}
        if declared["provisioned_throughput_in_mibps"] is not None:
            request["ProvisionedThroughputInMibps"] = declared["provisioned_throughput_in_mibps"]
        calls.append(AwsCall("efs", "update_file_system", request, resource.region))
    if "lifecycle_policy" in paths:
        # The whole configuration is replaced: one entry per transition, none clears it.
        policies = [{key: declared["lifecycle_policy"][attr]} for attr, key in _TRANSITIONS.items()]
        request = {"FileSystemId": resource.id, "LifecyclePolicies": [p for p in policies if all(p.values())]}
        calls.append(AwsCall("efs", "put_lifecycle_configuration", request, resource.region))
    restore, remove = tag_changes(changes)
    if restore:
        request = {"ResourceId": resource.id, "Tags": [{"Key": k, "Value": v} for k, v in restore.items()]}
        calls.append(AwsCall("efs", "tag_resource", request, resource.region))
    if remove:
        request = {"ResourceId": resource.id, "TagKeys": remove}
        calls.append(AwsCall("efs", "untag_resource", request, resource.region))
    return calls


_SOURCE = "elasticfilesystem.amazonaws.com"
_FS_ID = "requestParameters.fileSystemId"
_FS_PATHS = {
    "throughput_mode": ("UpdateFileSystem",),
    "provisioned_throughput_in_mibps": ("UpdateFileSystem",),
    "lifecycle_policy": ("PutLifecycleConfiguration",),
    "tags": ("TagResource", "UntagResource"),
}
_FS_EVENTS = TypeEvents(
    id_prefix="fs-",
    missing=("DeleteFileSystem",),
    unmanaged=("CreateFileSystem",),
    changed=edits(_FS_PATHS),
    by_path=_FS_PATHS,
    touched_by={
        "CreateFileSystem": "responseElements.fileSystemId",
        **dict.fromkeys(("DeleteFileSystem", "UpdateFileSystem", "PutLifecycleConfiguration"), _FS_ID),
        **dict.fromkeys(_FS_PATHS["tags"], "requestParameters.resourceId"),
    },
    source=_SOURCE,
)


def _name(attrs: Attrs) -> str:
    named = attrs.get("name") or (attrs.get("tags") or {}).get("Name")
    return str(named or attrs.get("creation_token") or "EFS")


REGISTRY.register(
    ResourceType(
        name="aws_efs_file_system",
        service="efs",
        list_call="describe_file_systems",
        items_path="FileSystems",
        id_key="FileSystemId",
        details=(
            DetailCall(
                operation="describe_lifecycle_configuration",
                param="FileSystemId",
                items_path="@",
                answer_key="",
                merge=_merge_lifecycle,
            ),
        ),
        keep_item=lambda item: item.get("LifeCycleState") not in ("deleting", "deleted"),
        to_attrs=_file_system_attrs,
        normalise_desired=_file_system_desired,
        compared=(
            "creation_token",
            "performance_mode",
            "throughput_mode",
            "provisioned_throughput_in_mibps",
            "encrypted",
            "kms_key_id",
            "lifecycle_policy",
            "tags",
        ),
        ignored={
            "arn": "computed from the id",
            "id": "the file system id",
            "availability_zone_id": "One Zone file systems: fixed at creation",
            "availability_zone_name": "One Zone file systems: fixed at creation",
            "dns_name": "computed",
            "name": "computed from the Name tag (compared there)",
            "number_of_mount_targets": "computed; the mount targets are aws_efs_mount_target",
            "owner_id": "computed",
            "size_in_bytes": "metered usage, not configuration",
            "protection": "replication overwrite protection: not compared yet",
        },
        restore_calls=_file_system_restore,
        # Encryption, its key and the performance mode are fixed at creation: IaC replaces.
        restorable=("throughput_mode", "provisioned_throughput_in_mibps", "lifecycle_policy", "tags"),
        delete_calls=writes("delete_file_system")(
            lambda live: [AwsCall("efs", "delete_file_system", {"FileSystemId": live.id}, live.region)]
        ),
        describe=lambda resource: f"EFS file system {_name(resource.attrs)} ({resource.id})",
        events=_FS_EVENTS,
        pulumi_tokens=("aws:efs/fileSystem:FileSystem",),
        protected="deleting a file system deletes the files on it",
        graph=GraphHooks(forward=("kms_key_id",), name=_name),
    )
)
