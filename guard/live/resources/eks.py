"""EKS clusters: one paginated ListClusters per region, then DescribeCluster per cluster
(EKS has no batch describe). The endpoint's public access and its CIDRs are the classic
console edit: compared, and put back by UpdateClusterConfig.

What EKS makes for a cluster on its own (the cluster security group, a managed node
group's Auto Scaling group and launch template) is owned elsewhere in those types'
declarations (vpc.py, autoscaling.py, ec2.py)."""

from __future__ import annotations

from typing import Any

from guard.live.events import IdForms, TypeEvents, edits, named
from guard.live.shape import declared_tags, first_block, tag_changes
from guard.live.types import REGISTRY, Attrs, DetailCall, GraphHooks, PerParent, ResourceType, writes
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


# --- managed node groups ------------------------------------------------------------------
#
# ListNodegroups (paginated) once per live cluster (PerParent: EKS has no account-wide list,
# and asks for a cluster that exists), then DescribeNodegroup per node group: EKS has no
# batch describe. Tags come in the describe. The provider's id is `cluster_name:node_group_name`.
# The Auto Scaling group, launch template and instances EKS makes for a node group carry
# eks:* and aws:autoscaling:* tags and are never unmanaged (autoscaling.py, ec2.py).

_TAINT_EFFECTS = ("NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE")


def _node_group_id(item: Attrs) -> list[Attrs]:
    return [{**item, "id": f"{item['clusterName']}:{item['nodegroupName']}"}]


def _scaling(min_size: Any, max_size: Any) -> Attrs:
    return {"min_size": min_size, "max_size": max_size}


def _taints(items: list[dict[str, Any]]) -> list[Attrs]:
    """A set in Terraform (key, value, effect); a taint without a value is "" in state."""
    shaped = [
        {"key": t.get("key"), "value": t.get("value") or "", "effect": t.get("effect")} for t in items or []
    ]
    return sorted(shaped, key=lambda t: (str(t["key"]), str(t["effect"]), str(t["value"])))


def _update_config(count: Any, percentage: Any) -> Attrs:
    """AWS's default when none is set is one node at a time (maxUnavailable 1); the provider
    keeps what AWS answers, 0 for the one not set."""
    count, percentage = count or None, percentage or None
    if count is None and percentage is None:
        count = 1
    return {"max_unavailable": count, "max_unavailable_percentage": percentage}


def _launch_template(template_id: Any, name: Any, version: Any) -> Attrs | None:
    if not (template_id or name):
        return None
    return {"id": template_id or None, "name": name or None, "version": str(version) if version else None}


def _node_group_attrs(item: Attrs) -> Attrs:
    scaling = item.get("scalingConfig") or {}
    update = item.get("updateConfig") or {}
    template = item.get("launchTemplate") or {}
    return {
        "cluster_name": item.get("clusterName"),
        "node_group_name": item.get("nodegroupName"),
        "arn": item.get("nodegroupArn"),
        "node_role_arn": item.get("nodeRole"),
        "subnet_ids": sorted(item.get("subnets") or []),
        "scaling_config": _scaling(scaling.get("minSize"), scaling.get("maxSize")),
        "desired_size": scaling.get("desiredSize"),  # not compared: for the restore's bounds
        "labels": dict(item.get("labels") or {}),
        "taint": _taints(item.get("taints") or []),
        # With a launch template naming the instance type, AWS answers none.
        "instance_types": sorted(item.get("instanceTypes") or []),
        "capacity_type": item.get("capacityType") or "ON_DEMAND",
        "ami_type": item.get("amiType"),
        "release_version": item.get("releaseVersion"),
        "version": item.get("version"),
        "update_config": _update_config(update.get("maxUnavailable"), update.get("maxUnavailablePercentage")),
        "launch_template": _launch_template(
            template.get("id"), template.get("name"), template.get("version")
        ),
        "tags": {k: v for k, v in (item.get("tags") or {}).items() if not k.startswith("aws:")},
    }


def _node_group_desired(attrs: Attrs) -> Attrs:
    scaling = first_block(attrs, "scaling_config")
    update = first_block(attrs, "update_config")
    template = first_block(attrs, "launch_template")
    return {
        "cluster_name": attrs.get("cluster_name"),
        "node_group_name": attrs.get("node_group_name"),
        "arn": attrs.get("arn"),
        "node_role_arn": attrs.get("node_role_arn"),
        "subnet_ids": sorted(attrs.get("subnet_ids") or []),
        "scaling_config": _scaling(scaling.get("min_size"), scaling.get("max_size")),
        "desired_size": scaling.get("desired_size"),
        "labels": dict(attrs.get("labels") or {}),
        "taint": _taints(attrs.get("taint") or []),
        "instance_types": sorted(attrs.get("instance_types") or []),
        "capacity_type": attrs.get("capacity_type") or "ON_DEMAND",
        "ami_type": attrs.get("ami_type"),
        "release_version": attrs.get("release_version"),
        "version": attrs.get("version"),
        "update_config": _update_config(
            update.get("max_unavailable"), update.get("max_unavailable_percentage")
        ),
        "launch_template": _launch_template(
            template.get("id"), template.get("name"), template.get("version")
        ),
        "tags": declared_tags(attrs),
    }


def _taint_request(taint: Attrs) -> Attrs:
    request = {"key": taint["key"], "effect": taint["effect"]}
    return {**request, "value": taint["value"]} if taint["value"] else request


def _config_update(declared: Attrs, live: Attrs, paths: set[str]) -> dict[str, Any]:
    """UpdateNodegroupConfig's request for what changed: labels and taints as additions and
    removals against the live ones, the sizes and the update settings as declared."""
    request: dict[str, Any] = {}
    if "scaling_config" in paths:
        scaling = declared["scaling_config"]
        sizes = {"minSize": scaling["min_size"], "maxSize": scaling["max_size"]}
        # AWS refuses bounds the current size lies outside: it is moved to the nearest bound.
        current = live.get("desired_size")
        if isinstance(current, int) and not scaling["min_size"] <= current <= scaling["max_size"]:
            sizes["desiredSize"] = min(max(current, scaling["min_size"]), scaling["max_size"])
        request["scalingConfig"] = sizes
    if "labels" in paths:
        want, have = declared["labels"], live.get("labels") or {}
        labels: dict[str, Any] = {}
        changed = {k: v for k, v in want.items() if have.get(k) != v}
        if changed:
            labels["addOrUpdateLabels"] = changed
        extra = sorted(set(have) - set(want))
        if extra:
            labels["removeLabels"] = extra
        request["labels"] = labels
    if "taint" in paths:
        want_taints, have_taints = declared["taint"], live.get("taint") or []
        taints: dict[str, Any] = {}
        missing = [_taint_request(t) for t in want_taints if t not in have_taints]
        if missing:
            taints["addOrUpdateTaints"] = missing
        declared_keys = {(t["key"], t["effect"]) for t in want_taints}
        extra_taints = [
            _taint_request(t) for t in have_taints if (t["key"], t["effect"]) not in declared_keys
        ]
        if extra_taints:
            taints["removeTaints"] = extra_taints
        request["taints"] = taints
    if "update_config" in paths:
        update = declared["update_config"]
        request["updateConfig"] = (
            {"maxUnavailablePercentage": update["max_unavailable_percentage"]}
            if update["max_unavailable_percentage"]
            else {"maxUnavailable": update["max_unavailable"]}
        )
    return request


@writes("update_nodegroup_config", "tag_resource", "untag_resource")
def _node_group_restore(
    resource: Resource, live: Resource | None, changes: tuple[Change, ...]
) -> list[AwsCall]:
    declared = _node_group_desired(resource.attrs)
    paths = {change.path.split(".", 1)[0] for change in changes}
    calls = []
    # One UpdateNodegroupConfig carries every kind of setting, as the provider sends it.
    update = _config_update(declared, live.attrs if live else {}, paths)
    if update:
        params = {
            "clusterName": declared["cluster_name"],
            "nodegroupName": declared["node_group_name"],
            **update,
        }
        calls.append(AwsCall("eks", "update_nodegroup_config", params, resource.region))
    arn = str((live.attrs.get("arn") if live else None) or resource.attrs.get("arn") or "")
    restore, remove = tag_changes(changes)
    if restore:
        calls.append(AwsCall("eks", "tag_resource", {"resourceArn": arn, "tags": restore}, resource.region))
    if remove:
        calls.append(
            AwsCall("eks", "untag_resource", {"resourceArn": arn, "tagKeys": remove}, resource.region)
        )
    return calls


@writes("delete_nodegroup")
def _node_group_delete(live: Resource) -> list[AwsCall]:
    params = {
        "clusterName": live.attrs.get("cluster_name"),
        "nodegroupName": live.attrs.get("node_group_name"),
    }
    return [AwsCall("eks", "delete_nodegroup", params, live.region)]


def _node_group_hcl(live: Resource) -> Attrs:
    """The live node group as `aws_eks_node_group` arguments: blocks are lists of one."""
    attrs = live.attrs
    scaling = {**attrs["scaling_config"], "desired_size": attrs.get("desired_size")}
    arguments = {
        name: attrs.get(name)
        for name in ("cluster_name", "node_group_name", "node_role_arn", "subnet_ids", "instance_types")
    }
    arguments.update(
        capacity_type=attrs.get("capacity_type"),
        ami_type=attrs.get("ami_type"),
        scaling_config=[scaling],
        labels=attrs.get("labels") or None,
        taint=attrs.get("taint") or None,
        tags=attrs.get("tags") or None,
    )
    return arguments


# The trailing [] drops a part a record lacks (join() fails on null): no id, nothing touched.
_NODE_GROUP_ID = "join(':', [requestParameters.name, requestParameters.nodegroupName][])"
_NODE_GROUP_BY_PATH = {
    **dict.fromkeys(("scaling_config", "labels", "taint", "update_config"), ("UpdateNodegroupConfig",)),
    **dict.fromkeys(("version", "release_version", "launch_template"), ("UpdateNodegroupVersion",)),
    "tags": ("TagResource", "UntagResource"),
}
_NODE_GROUP_EVENTS = TypeEvents(
    missing=("DeleteNodegroup",),
    unmanaged=("CreateNodegroup",),
    changed=edits(_NODE_GROUP_BY_PATH),
    by_path=_NODE_GROUP_BY_PATH,
    touched_by={
        "CreateNodegroup": "join(':', [responseElements.nodegroup.clusterName, "
        "responseElements.nodegroup.nodegroupName][])",
        **dict.fromkeys(
            ("DeleteNodegroup", "UpdateNodegroupConfig", "UpdateNodegroupVersion"), _NODE_GROUP_ID
        ),
        **dict.fromkeys(_NODE_GROUP_BY_PATH["tags"], "requestParameters.resourceArn"),
    },
    # cluster:name, or the node group's ARN (nodegroup/CLUSTER/NAME/UUID); a cluster's ARN is not one.
    ids=IdForms(
        (
            (
                r"arn:(?:aws|aws-cn|aws-us-gov):eks:[a-z0-9-]+:\d+:nodegroup/(?P<cluster>[\w-]+)/(?P<name>[\w-]+)/[\w-]+",
                "{cluster}:{name}",
            ),
            (r"[\w-]+:[\w-]+", "{value}"),
        ),
        "cluster:node-group, or the node group's ARN",
    ),
)


REGISTRY.register(
    ResourceType(
        name="aws_eks_node_group",
        service="eks",
        list_call="list_nodegroups",
        items_path="nodegroups[].{nodegroupName: @}",
        id_key="id",
        per_parent=PerParent("aws_eks_cluster", "clusterName"),
        parent=("cluster_name", "aws_eks_cluster"),
        split_item=_node_group_id,
        details=(
            DetailCall(
                operation="describe_nodegroup",
                param="nodegroupName",
                items_path="nodegroup",
                answer_key="",
                merge=_merge,
                by="clusterName",
                send="nodegroupName",
            ),
        ),
        keep_item=lambda item: item.get("status") != "DELETING",
        to_attrs=_node_group_attrs,
        normalise_desired=_node_group_desired,
        compared=(
            "node_role_arn",
            "subnet_ids",
            "scaling_config",
            "labels",
            "taint",
            "instance_types",
            "capacity_type",
            "ami_type",
            "release_version",
            "version",
            "update_config",
            "launch_template",
            "tags",
        ),
        ignored={
            "scaling_config.desired_size": (
                "moved all day by the cluster autoscaler (the provider's docs and the community EKS "
                "module put it in ignore_changes); min_size and max_size, which bound it, are compared"
            ),
            "id": "cluster_name:node_group_name",
            "cluster_name": "part of the id (a node group never moves between clusters)",
            "node_group_name": "part of the id",
            "node_group_name_prefix": "only shapes the name",
            "arn": "computed",
            "status": "the node group's lifecycle, not configuration",
            "resources": "computed (the Auto Scaling groups and remote-access group EKS made)",
            "disk_size": "fixed at creation (a change replaces the node group; a launch template's own)",
            "remote_access": "fixed at creation (a change replaces the node group)",
            "node_repair_config": "not compared yet",
            "force_update_version": "Terraform-only setting",
            "timeouts": "Terraform-only setting",
        },
        # Node groups an eksctl or CloudFormation stack made are the stack's (aws: tags).
        aws_default=lambda item: any(str(k).startswith("aws:") for k in item.get("tags") or {}),
        restore_calls=_node_group_restore,
        # A version, an AMI release or a template version is rolled out by UpdateNodegroupVersion
        # (a rolling replacement of every node): IaC. The rest a new node group: IaC.
        restorable=("scaling_config", "labels", "taint", "update_config", "tags"),
        delete_calls=_node_group_delete,
        hcl_arguments=_node_group_hcl,
        describe=lambda resource: (
            f"EKS node group {resource.attrs.get('node_group_name') or resource.id}"
            f" of cluster {resource.attrs.get('cluster_name') or '?'}"
        ),
        events=_NODE_GROUP_EVENTS,
        pulumi_tokens=("aws:eks/nodeGroup:NodeGroup",),
        pulumi_blocks={"taints": "taint"},
        graph=GraphHooks(
            forward=("cluster_name", "node_role_arn"),
            name=lambda attrs: str(attrs.get("node_group_name") or "EKS node group"),
        ),
    )
)
