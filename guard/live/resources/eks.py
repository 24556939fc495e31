"""EKS clusters: one paginated ListClusters per region, then DescribeCluster per cluster
(EKS has no batch describe). The endpoint's public access and its CIDRs are the classic
console edit: compared, and put back by UpdateClusterConfig.

What EKS makes for a cluster on its own (the cluster security group, a managed node
group's Auto Scaling group and launch template) is owned elsewhere in those types'
declarations (vpc.py, autoscaling.py, ec2.py)."""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents, edits, named
from guard.live.shape import declared_tags, first_block, tag_changes
from guard.live.types import REGISTRY, Attrs, DetailCall, GraphHooks, ResourceType, writes
from guard.model import AwsCall, Change, Resource

LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
_EVERYWHERE = ["0.0.0.0/0"]


def _merge(item: Attrs, answer: Attrs) -> None:
    item.update(answer)


def _vpc_shape(public: Any, private: Any, cidrs: Any, groups: Any, subnets: Any) -> Attrs:
    """AWS's defaults where a value is not set: a public endpoint open to 0.0.0.0/0, no
    private endpoint. The CIDRs only matter while the endpoint is public."""
    public = True if public is None else bool(public)
    return {
        "endpoint_public_access": public,
        "endpoint_private_access": bool(private),
        "public_access_cidrs": sorted(cidrs or _EVERYWHERE) if public else None,
        "security_group_ids": sorted(groups or []),
        "subnet_ids": sorted(subnets or []),
    }


def _enabled_logs(items: list[dict[str, Any]]) -> list[str]:
    return sorted({kind for entry in items if entry.get("enabled") for kind in entry.get("types") or []})


def _cluster_attrs(item: Attrs) -> Attrs:
    vpc = item.get("resourcesVpcConfig") or {}
    return {
        "name": item.get("name"),
        "arn": item.get("arn"),
        "version": item.get("version"),
        "role_arn": item.get("roleArn"),
        "vpc_config": _vpc_shape(
            vpc.get("endpointPublicAccess"),
            vpc.get("endpointPrivateAccess"),
            vpc.get("publicAccessCidrs"),
            vpc.get("securityGroupIds"),
            vpc.get("subnetIds"),
        ),
        "enabled_cluster_log_types": _enabled_logs((item.get("logging") or {}).get("clusterLogging") or []),
        "tags": {k: v for k, v in (item.get("tags") or {}).items() if not k.startswith("aws:")},
    }


def _cluster_desired(attrs: Attrs) -> Attrs:
    vpc = first_block(attrs, "vpc_config")
    return {
        "name": attrs.get("name"),
        "arn": attrs.get("arn"),
        "version": attrs.get("version"),
        "role_arn": attrs.get("role_arn"),
        "vpc_config": _vpc_shape(
            vpc.get("endpoint_public_access"),
            vpc.get("endpoint_private_access"),
            vpc.get("public_access_cidrs"),
            vpc.get("security_group_ids"),
            vpc.get("subnet_ids"),
        ),
        "enabled_cluster_log_types": sorted(attrs.get("enabled_cluster_log_types") or []),
        "tags": declared_tags(attrs),
    }


@writes("update_cluster_config", "tag_resource", "untag_resource")
def _cluster_restore(resource: Resource, live: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _cluster_desired(resource.attrs)
    paths = {change.path.split(".", 1)[0] for change in changes}
    calls = []
    # UpdateClusterConfig takes one kind of update a call: the endpoint, then the logging.
    if "vpc_config" in paths:
        vpc = declared["vpc_config"]
        request: dict[str, Any] = {
            "endpointPublicAccess": vpc["endpoint_public_access"],
            "endpointPrivateAccess": vpc["endpoint_private_access"],
        }
        if vpc["public_access_cidrs"]:
            request["publicAccessCidrs"] = vpc["public_access_cidrs"]
        params = {"name": resource.id, "resourcesVpcConfig": request}
        calls.append(AwsCall("eks", "update_cluster_config", params, resource.region))
    if "enabled_cluster_log_types" in paths:
        enabled = declared["enabled_cluster_log_types"]
        off = [kind for kind in LOG_TYPES if kind not in enabled]
        logging = [
            entry
            for entry in ({"types": enabled, "enabled": True}, {"types": off, "enabled": False})
            if entry["types"]
        ]
        params = {"name": resource.id, "logging": {"clusterLogging": logging}}
        calls.append(AwsCall("eks", "update_cluster_config", params, resource.region))
    arn = str((live.attrs.get("arn") if live else None) or resource.attrs.get("arn") or "")
    restore, remove = tag_changes(changes)
    if restore:
        calls.append(AwsCall("eks", "tag_resource", {"resourceArn": arn, "tags": restore}, resource.region))
    if remove:
        calls.append(
            AwsCall("eks", "untag_resource", {"resourceArn": arn, "tagKeys": remove}, resource.region)
        )
    return calls


_NAME = "requestParameters.name"
_BY_PATH = {
    "vpc_config": ("UpdateClusterConfig",),
    "enabled_cluster_log_types": ("UpdateClusterConfig",),
    "version": ("UpdateClusterVersion",),
    "tags": ("TagResource", "UntagResource"),
}
_EVENTS = TypeEvents(
    missing=("DeleteCluster",),
    unmanaged=("CreateCluster",),
    changed=edits(_BY_PATH),
    by_path=_BY_PATH,
    touched_by={
        "CreateCluster": "responseElements.cluster.name",
        **dict.fromkeys(("DeleteCluster", "UpdateClusterConfig", "UpdateClusterVersion"), _NAME),
        **dict.fromkeys(_BY_PATH["tags"], "requestParameters.resourceArn"),
    },
    # A cluster by name, or the name in its ARN; a node group's ARN is not a cluster's.
    ids=named("eks", "cluster/", name=r"[\w-]+", what="a cluster name, or the name in its ARN"),
)


REGISTRY.register(
    ResourceType(
        name="aws_eks_cluster",
        service="eks",
        list_call="list_clusters",
        items_path="clusters[].{name: @}",
        id_key="name",
        details=(
            DetailCall(
                operation="describe_cluster",
                param="name",
                items_path="cluster",
                answer_key="name",
                merge=_merge,
            ),
        ),
        keep_item=lambda item: item.get("status") not in ("DELETING", "FAILED"),
        to_attrs=_cluster_attrs,
        normalise_desired=_cluster_desired,
        compared=("name", "version", "role_arn", "vpc_config", "enabled_cluster_log_types", "tags"),
        ignored={
            "arn": "computed from the name",
            "id": "the name",
            "cluster_id": "Outposts clusters only: computed",
            "created_at": "computed",
            "endpoint": "computed",
            "certificate_authority": "computed",
            "identity": "computed (the OIDC issuer)",
            "platform_version": "set by EKS's own platform updates",
            "status": "the cluster's lifecycle, not configuration",
            "access_config": "not compared yet",
            "encryption_config": "not compared yet (can be added, never removed)",
            "kubernetes_network_config": "fixed at creation",
            "outpost_config": "fixed at creation",
            "upgrade_policy": "not compared yet",
            "zonal_shift_config": "not compared yet",
            "compute_config": "not compared yet",
            "storage_config": "not compared yet",
            "remote_network_config": "fixed at creation",
            "bootstrap_self_managed_addons": "applied at creation only",
            "default_addons_to_remove": "Terraform-only setting",
            "force_update_version": "Terraform-only setting",
            "timeouts": "Terraform-only setting",
        },
        restore_calls=_cluster_restore,
        # A version is never downgraded: a newer one is put back by IaC, not by a call.
        restorable=("vpc_config", "enabled_cluster_log_types", "tags"),
        delete_calls=writes("delete_cluster")(
            lambda live: [AwsCall("eks", "delete_cluster", {"name": live.id}, live.region)]
        ),
        describe=lambda resource: f"EKS cluster {resource.attrs.get('name') or resource.id}",
        events=_EVENTS,
        pulumi_tokens=("aws:eks/cluster:Cluster",),
        protected="deleting a cluster deletes every workload running in it",
        graph=GraphHooks(forward=("role_arn",), name=lambda attrs: str(attrs.get("name") or "EKS cluster")),
    )
)
