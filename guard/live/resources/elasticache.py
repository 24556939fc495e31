"""ElastiCache: cache subnet groups (DescribeCacheSubnetGroups) and replication groups
(DescribeReplicationGroups), one paginated list per region each. The describe answers carry
no tags and ElastiCache has no batch tag call: one ListTagsForResource per ARN. What a
replication group's answer leaves out (engine version, maintenance window, subnet, security
and parameter groups) is its member clusters', read by one paginated DescribeCacheClusters
per region, as the provider reads it. Cache clusters (DescribeCacheClusters) are the
standalone ones: a replication group's members are that group's."""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents, edits, named
from guard.live.shape import changed_settings, declared_tags, tag_changes, tags
from guard.live.types import REGISTRY, Attrs, GraphHooks, KnownType, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

_TAG_EVENTS = ("AddTagsToResource", "RemoveTagsFromResource")


@reads("list_tags_for_resource")
def _with_tags(clients: Any, region: str, item: dict[str, Any]) -> dict[str, Any]:
    answer = clients.client("elasticache", region).list_tags_for_resource(ResourceName=item["ARN"])
    return {**item, "Tags": answer.get("TagList") or []}


@writes("add_tags_to_resource", "remove_tags_from_resource")
def _tag_calls(resource: Resource, changes: tuple[Change, ...]) -> list[AwsCall]:
    """Tags put back on an ElastiCache resource, named by its ARN (the state's `arn`)."""
    restore, remove = tag_changes(changes)
    arn = resource.attrs.get("arn")
    calls = []
    if restore and arn:
        tagged = {"ResourceName": arn, "Tags": [{"Key": k, "Value": v} for k, v in restore.items()]}
        calls.append(AwsCall("elasticache", "add_tags_to_resource", tagged, resource.region))
    if remove and arn:
        request = {"ResourceName": arn, "TagKeys": remove}
        calls.append(AwsCall("elasticache", "remove_tags_from_resource", request, resource.region))
    return calls


def _subnet_group_shape(values: Attrs) -> Attrs:
    return {
        "name": values.get("name"),
        "description": values.get("description") or None,
        "subnet_ids": sorted(values.get("subnet_ids") or []),
    }


@writes("modify_cache_subnet_group", _tag_calls)
def _subnet_group_restore(
    resource: Resource, _: Resource | None, changes: tuple[Change, ...]
) -> list[AwsCall]:
    declared = _subnet_group_shape(resource.attrs)
    calls = []
    if any(change.path in ("description", "subnet_ids") for change in changes):
        request: dict[str, Any] = {
            "CacheSubnetGroupName": declared["name"] or resource.id,
            "SubnetIds": declared["subnet_ids"],
        }
        if declared["description"]:
            request["CacheSubnetGroupDescription"] = declared["description"]
        calls.append(AwsCall("elasticache", "modify_cache_subnet_group", request, resource.region))
    return calls + _tag_calls(resource, changes)


_SUBNET_GROUP_BY_PATH = {
    "description": ("ModifyCacheSubnetGroup",),
    "subnet_ids": ("ModifyCacheSubnetGroup",),
    "tags": _TAG_EVENTS,
}

REGISTRY.register(
    ResourceType(
        name="aws_elasticache_subnet_group",
        events=TypeEvents(
            missing=("DeleteCacheSubnetGroup",),
            unmanaged=("CreateCacheSubnetGroup",),
            changed=edits(_SUBNET_GROUP_BY_PATH),
            by_path=_SUBNET_GROUP_BY_PATH,
            touched_by={
                **dict.fromkeys(
                    ("CreateCacheSubnetGroup", "ModifyCacheSubnetGroup", "DeleteCacheSubnetGroup"),
                    "requestParameters.cacheSubnetGroupName",
                ),
                **dict.fromkeys(_TAG_EVENTS, "requestParameters.resourceName"),
            },
            ids=named("elasticache", "subnetgroup:", r"[\w.-]+", "a cache subnet group name, or its ARN"),
        ),
        service="elasticache",
        list_call="describe_cache_subnet_groups",
        items_path="CacheSubnetGroups",
        id_key="CacheSubnetGroupName",
        per_item=_with_tags,
        to_attrs=lambda item: {
            **_subnet_group_shape(
                {
                    "name": item["CacheSubnetGroupName"],
                    "description": item.get("CacheSubnetGroupDescription"),
                    "subnet_ids": [s["SubnetIdentifier"] for s in item.get("Subnets") or []],
                }
            ),
            "tags": tags(item),
            "arn": item.get("ARN"),
        },
        # arn is carried for the tag calls, never compared.
        normalise_desired=lambda attrs: {
            **_subnet_group_shape(attrs),
            "tags": declared_tags(attrs),
            "arn": attrs.get("arn"),
        },
        compared=("name", "description", "subnet_ids", "tags"),
        ignored={
            "arn": "computed",
            "id": "the name, compared as name",
            "tags_all": "tags with the provider's default_tags, compared as tags",
            "vpc_id": "follows from subnet_ids",
        },
        # ElastiCache makes "default" (the default VPC's subnets) itself.
        aws_default=lambda item: item.get("CacheSubnetGroupName") == "default",
        read_params=lambda resource: {"CacheSubnetGroupName": resource.id},
        restore_calls=_subnet_group_restore,
        restorable=("description", "subnet_ids", "tags"),
        describe=lambda resource: f"cache subnet group {resource.attrs.get('name') or resource.id}",
        pulumi_tokens=("aws:elasticache/subnetGroup:SubnetGroup",),
    )
)


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _major_minor(version: Any) -> str | None:
    """The provider pins a Redis 6+ group to major.minor ("7.1", or "6.x" for 6) and AWS
    applies patch versions itself: "7.1" and "7.1.0" are one version."""
    parts = str(version or "").split(".")
    return ".".join(parts[:2]) if parts[0] else None


def _group_shape(values: Attrs) -> Attrs:
    """One shape for state and AWS; Optional+Computed settings are in the state as AWS chose them."""
    cluster_mode = bool(values.get("cluster_enabled"))
    return {
        "replication_group_id": values.get("replication_group_id"),
        "description": _text(values.get("description")),
        "engine": values.get("engine") or "redis",
        "engine_version": _major_minor(values.get("engine_version_actual") or values.get("engine_version")),
        "node_type": values.get("node_type"),
        "num_cache_clusters": None if cluster_mode else int(values.get("num_cache_clusters") or 0) or None,
        "automatic_failover_enabled": bool(values.get("automatic_failover_enabled")),
        "multi_az_enabled": bool(values.get("multi_az_enabled")),
        "snapshot_retention_limit": int(values.get("snapshot_retention_limit") or 0),
        "snapshot_window": _text(values.get("snapshot_window")),
        "maintenance_window": _text(str(values.get("maintenance_window") or "").lower()),
        "transit_encryption_enabled": bool(values.get("transit_encryption_enabled")),
        "at_rest_encryption_enabled": bool(values.get("at_rest_encryption_enabled")),
        "subnet_group_name": _text(values.get("subnet_group_name")),
        "security_group_ids": sorted(values.get("security_group_ids") or []),
        "parameter_group_name": _text(values.get("parameter_group_name")),
        "port": int(values["port"]) if values.get("port") else None,
    }


def _member_settings(groups: list[Attrs], clusters: list[Attrs]) -> None:
    """A replication group's settings that only its member clusters report: the first member's."""
    by_id = {cluster.get("CacheClusterId"): cluster for cluster in clusters}
    for group in groups:
        members = [by_id[m] for m in group.get("MemberClusters") or [] if m in by_id]
        group["Member"] = members[0] if members else {}


def _endpoint_port(item: Attrs) -> Any:
    endpoint = item.get("ConfigurationEndpoint") or next(
        (g.get("PrimaryEndpoint") for g in item.get("NodeGroups") or [] if g.get("PrimaryEndpoint")), None
    )
    return (endpoint or {}).get("Port")


def _group_attrs(item: Attrs) -> Attrs:
    member = item.get("Member") or {}
    shaped = _group_shape(
        {
            "replication_group_id": item.get("ReplicationGroupId"),
            "description": item.get("Description"),
            "engine": item.get("Engine") or member.get("Engine"),
            "engine_version": member.get("EngineVersion"),
            "node_type": item.get("CacheNodeType"),
            "cluster_enabled": item.get("ClusterEnabled"),
            "num_cache_clusters": len(item.get("MemberClusters") or []),
            # "enabling" and "disabling" are on their way to what was asked.
            "automatic_failover_enabled": item.get("AutomaticFailover") in ("enabled", "enabling"),
            "multi_az_enabled": item.get("MultiAZ") == "enabled",
            "snapshot_retention_limit": item.get("SnapshotRetentionLimit"),
            "snapshot_window": item.get("SnapshotWindow"),
            "maintenance_window": member.get("PreferredMaintenanceWindow"),
            "transit_encryption_enabled": item.get("TransitEncryptionEnabled"),
            "at_rest_encryption_enabled": item.get("AtRestEncryptionEnabled"),
            "subnet_group_name": member.get("CacheSubnetGroupName"),
            "security_group_ids": [g["SecurityGroupId"] for g in member.get("SecurityGroups") or []],
            "parameter_group_name": (member.get("CacheParameterGroup") or {}).get("CacheParameterGroupName"),
            "port": _endpoint_port(item),
        }
    )
    return {**shaped, "tags": tags(item), "arn": item.get("ARN")}


# Settings ModifyReplicationGroup puts back in place: attribute -> request parameter.
_GROUP_MODIFIABLE = {
    "description": "ReplicationGroupDescription",
    "node_type": "CacheNodeType",
    "automatic_failover_enabled": "AutomaticFailoverEnabled",
    "multi_az_enabled": "MultiAZEnabled",
    "snapshot_retention_limit": "SnapshotRetentionLimit",
    "snapshot_window": "SnapshotWindow",
    "maintenance_window": "PreferredMaintenanceWindow",
    "security_group_ids": "SecurityGroupIds",
    "parameter_group_name": "CacheParameterGroupName",
}


@writes("modify_replication_group", _tag_calls)
def _group_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _group_shape(resource.attrs)
    params = changed_settings(declared, changes, _GROUP_MODIFIABLE)
    calls = []
    if params:
        request = {"ReplicationGroupId": declared["replication_group_id"], **params, "ApplyImmediately": True}
        calls.append(AwsCall("elasticache", "modify_replication_group", request, resource.region))
    return calls + _tag_calls(resource, changes)


_GROUP_BY_PATH = {
    **dict.fromkeys(
        (*_GROUP_MODIFIABLE, "engine_version", "transit_encryption_enabled"), ("ModifyReplicationGroup",)
    ),
    "num_cache_clusters": ("IncreaseReplicaCount", "DecreaseReplicaCount"),
    "tags": _TAG_EVENTS,
}
_GROUP_EDITS = ("ModifyReplicationGroup", "IncreaseReplicaCount", "DecreaseReplicaCount")

REGISTRY.register(
    ResourceType(
        name="aws_elasticache_replication_group",
        events=TypeEvents(
            missing=("DeleteReplicationGroup",),
            unmanaged=("CreateReplicationGroup",),
            changed=edits(_GROUP_BY_PATH),
            by_path=_GROUP_BY_PATH,
            touched_by={
                **dict.fromkeys(
                    ("CreateReplicationGroup", *_GROUP_EDITS, "DeleteReplicationGroup"),
                    "requestParameters.replicationGroupId",
                ),
                **dict.fromkeys(_TAG_EVENTS, "requestParameters.resourceName"),
            },
            ids=named("elasticache", "replicationgroup:", r"[\w-]+", "a replication group id, or its ARN"),
        ),
        service="elasticache",
        list_call="describe_replication_groups",
        items_path="ReplicationGroups",
        id_key="ReplicationGroupId",
        per_item=_with_tags,
        companion_call=("describe_cache_clusters", "CacheClusters"),
        merge_companion=_member_settings,
        to_attrs=_group_attrs,
        normalise_desired=lambda attrs: {
            **_group_shape(attrs),
            "tags": declared_tags(attrs),
            "arn": attrs.get("arn"),
        },
        compared=(*_group_shape({}), "tags"),
        ignored={
            "apply_immediately": "Terraform-only setting",
            "arn": "computed",
            "auth_token": "a secret: never readable from AWS, never read or printed",
            "auth_token_update_strategy": "Terraform-only, sent with a new auth_token",
            "auto_minor_version_upgrade": "not in every DescribeReplicationGroups answer; not compared yet",
            "cluster_enabled": "computed: follows the parameter group (cluster mode)",
            "cluster_mode": "applied at creation, changed only through a migration; not compared yet",
            "configuration_endpoint_address": "computed",
            "data_tiering_enabled": "applied at creation only",
            "engine_version_actual": "computed; its major.minor is compared as engine_version",
            "final_snapshot_identifier": "applies when the group is deleted",
            "global_replication_group_id": "global datastores only; not compared yet",
            "id": "the replication group id, compared as replication_group_id",
            "ip_discovery": "not compared yet",
            "kms_key_id": "applied at creation only (follows at_rest_encryption_enabled)",
            "log_delivery_configuration": "not compared yet",
            "member_clusters": "computed: the members AWS made, counted as num_cache_clusters",
            "network_type": "follows the subnet group",
            "notification_topic_arn": "not in DescribeReplicationGroups' answer; not compared yet",
            "num_node_groups": "cluster mode only; not compared yet",
            "preferred_cache_cluster_azs": "applied at creation only",
            "primary_endpoint_address": "computed",
            "reader_endpoint_address": "computed",
            "replicas_per_node_group": "cluster mode only; not compared yet",
            "security_group_names": "EC2-Classic only",
            "snapshot_arns": "applied at creation only",
            "snapshot_name": "applied at creation only",
            "tags_all": "tags with the provider's default_tags, compared as tags",
            "timeouts": "Terraform-only setting",
            "transit_encryption_mode": "not compared yet (transit_encryption_enabled is)",
            "user_group_ids": "managed by aws_elasticache_user_group_association too; not compared yet",
        },
        keep_item=lambda item: item.get("Status") not in ("deleting", "deleted"),
        read_params=lambda resource: {"ReplicationGroupId": resource.id},
        restore_calls=_group_restore,
        restorable=(*_GROUP_MODIFIABLE, "tags"),
        delete_calls=writes("delete_replication_group")(
            lambda live: [
                AwsCall(
                    "elasticache", "delete_replication_group", {"ReplicationGroupId": live.id}, live.region
                )
            ]
        ),
        describe=lambda resource: (
            f"replication group {resource.attrs.get('replication_group_id') or resource.id}"
        ),
        protected="data a re-create does not bring back (snapshots are not restored by a re-create)",
        pulumi_tokens=("aws:elasticache/replicationGroup:ReplicationGroup",),
        graph=GraphHooks(name=lambda attrs: str(attrs.get("replication_group_id") or "replication group")),
    )
)


@reads("list_tags_for_resource")
def _cluster_with_tags(clients: Any, region: str, item: dict[str, Any]) -> dict[str, Any]:
    if item.get("ReplicationGroupId"):
        return item  # a replication group's member: not this type, not worth a call
    return _with_tags(clients, region, item)


def _cluster_shape(values: Attrs) -> Attrs:
    engine = values.get("engine") or None
    version = values.get("engine_version_actual") or values.get("engine_version")
    redis = engine in ("redis", "valkey")
    return {
        "cluster_id": values.get("cluster_id"),
        "engine": engine,
        # Redis 6+ is pinned to major.minor and patched by AWS; Memcached to a full version.
        "engine_version": _major_minor(version) if redis else _text(version),
        "node_type": values.get("node_type"),
        "num_cache_nodes": int(values.get("num_cache_nodes") or 0) or None,
        "port": int(values["port"]) if values.get("port") else None,
        "maintenance_window": _text(str(values.get("maintenance_window") or "").lower()),
        # Snapshots are Redis's; a Memcached cluster has none.
        "snapshot_retention_limit": int(values.get("snapshot_retention_limit") or 0) if redis else None,
        "snapshot_window": _text(values.get("snapshot_window")) if redis else None,
        "subnet_group_name": _text(values.get("subnet_group_name")),
        "security_group_ids": sorted(values.get("security_group_ids") or []),
        "parameter_group_name": _text(values.get("parameter_group_name")),
        "notification_topic_arn": _text(values.get("notification_topic_arn")),
        "transit_encryption_enabled": bool(values.get("transit_encryption_enabled")),
    }


def _cluster_attrs(item: Attrs) -> Attrs:
    endpoint = item.get("ConfigurationEndpoint") or next(
        (n.get("Endpoint") for n in item.get("CacheNodes") or [] if n.get("Endpoint")), None
    )
    shaped = _cluster_shape(
        {
            "cluster_id": item.get("CacheClusterId"),
            "engine": item.get("Engine"),
            "engine_version": item.get("EngineVersion"),
            "node_type": item.get("CacheNodeType"),
            "num_cache_nodes": item.get("NumCacheNodes"),
            "port": (endpoint or {}).get("Port"),
            "maintenance_window": item.get("PreferredMaintenanceWindow"),
            "snapshot_retention_limit": item.get("SnapshotRetentionLimit"),
            "snapshot_window": item.get("SnapshotWindow"),
            "subnet_group_name": item.get("CacheSubnetGroupName"),
            "security_group_ids": [g["SecurityGroupId"] for g in item.get("SecurityGroups") or []],
            "parameter_group_name": (item.get("CacheParameterGroup") or {}).get("CacheParameterGroupName"),
            "notification_topic_arn": (item.get("NotificationConfiguration") or {}).get("TopicArn"),
            "transit_encryption_enabled": item.get("TransitEncryptionEnabled"),
        }
    )
    return {**shaped, "tags": tags(item), "arn": item.get("ARN")}


def _cluster_desired(attrs: Attrs) -> Attrs:
    return {**_cluster_shape(attrs), "tags": declared_tags(attrs), "arn": attrs.get("arn")}


# Settings ModifyCacheCluster puts back in place: attribute -> request parameter.
_CLUSTER_MODIFIABLE = {
    "node_type": "CacheNodeType",
    "num_cache_nodes": "NumCacheNodes",
    "maintenance_window": "PreferredMaintenanceWindow",
    "snapshot_retention_limit": "SnapshotRetentionLimit",
    "snapshot_window": "SnapshotWindow",
    "security_group_ids": "SecurityGroupIds",
    "parameter_group_name": "CacheParameterGroupName",
    "notification_topic_arn": "NotificationTopicArn",
}


@writes("modify_cache_cluster", _tag_calls)
def _cluster_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _cluster_shape(resource.attrs)
    params = changed_settings(declared, changes, _CLUSTER_MODIFIABLE)
    calls = []
    if params:
        request = {"CacheClusterId": declared["cluster_id"], **params, "ApplyImmediately": True}
        calls.append(AwsCall("elasticache", "modify_cache_cluster", request, resource.region))
    return calls + _tag_calls(resource, changes)


_CACHE_CLUSTER_BY_PATH = {
    **dict.fromkeys((*_CLUSTER_MODIFIABLE, "engine_version"), ("ModifyCacheCluster",)),
    "tags": _TAG_EVENTS,
}

REGISTRY.register(
    ResourceType(
        name="aws_elasticache_cluster",
        events=TypeEvents(
            missing=("DeleteCacheCluster",),
            unmanaged=("CreateCacheCluster",),
            changed=edits(_CACHE_CLUSTER_BY_PATH),
            by_path=_CACHE_CLUSTER_BY_PATH,
            touched_by={
                # A member added to a replication group is that group's, not this type's.
                **dict.fromkeys(
                    ("CreateCacheCluster", "ModifyCacheCluster", "DeleteCacheCluster"),
                    "!(responseElements.replicationGroupId) && requestParameters.cacheClusterId",
                ),
                **dict.fromkeys(_TAG_EVENTS, "requestParameters.resourceName"),
            },
            ids=named("elasticache", "cluster:", r"[\w-]+", "a cache cluster id, or its cluster: ARN"),
        ),
        service="elasticache",
        list_call="describe_cache_clusters",
        # The nodes' endpoints carry a Redis cluster's port.
        list_params={"ShowCacheNodeInfo": True},
        items_path="CacheClusters",
        id_key="CacheClusterId",
        per_item=_cluster_with_tags,
        to_attrs=_cluster_attrs,
        normalise_desired=_cluster_desired,
        compared=(*_cluster_shape({}), "tags"),
        ignored={
            "apply_immediately": "Terraform-only setting",
            "arn": "computed",
            "auto_minor_version_upgrade": "not in every DescribeCacheClusters answer; not compared yet",
            "availability_zone": "applied at creation only",
            "az_mode": "applied at creation; not in DescribeCacheClusters' answer",
            "cache_nodes": "computed",
            "cluster_address": "computed",
            "configuration_endpoint": "computed",
            "engine_version_actual": "computed; compared as engine_version (major.minor for Redis)",
            "final_snapshot_identifier": "applies when the cluster is deleted",
            "id": "the cluster id, compared as cluster_id",
            "ip_discovery": "not compared yet",
            "log_delivery_configuration": "not compared yet",
            "network_type": "follows the subnet group",
            "outpost_mode": "Outposts only",
            "preferred_availability_zones": "applied when nodes are added",
            "preferred_outpost_arn": "Outposts only",
            "replication_group_id": "a member of a replication group is that group's (read as it)",
            "snapshot_arns": "applied at creation only",
            "snapshot_name": "applied at creation only",
            "tags_all": "tags with the provider's default_tags, compared as tags",
            "timeouts": "Terraform-only setting",
        },
        # A replication group's members are aws_elasticache_replication_group's.
        keep_item=lambda item: (
            not item.get("ReplicationGroupId")
            and item.get("CacheClusterStatus") not in ("deleting", "deleted")
        ),
        read_params=lambda resource: {"CacheClusterId": resource.id},
        restore_calls=_cluster_restore,
        restorable=(*_CLUSTER_MODIFIABLE, "tags"),
        delete_calls=writes("delete_cache_cluster")(
            lambda live: [
                AwsCall("elasticache", "delete_cache_cluster", {"CacheClusterId": live.id}, live.region)
            ]
        ),
        describe=lambda resource: f"cache cluster {resource.attrs.get('cluster_id') or resource.id}",
        pulumi_tokens=("aws:elasticache/cluster:Cluster",),
        graph=GraphHooks(name=lambda attrs: str(attrs.get("cluster_id") or "cache cluster")),
    )
)

REGISTRY.know(KnownType("aws_elasticache_parameter_group", pulumi_blocks={"parameters": "parameter"}))
