"""ECS clusters: one paginated ListClusters per region, then DescribeClusters a hundred at
a time (the API's limit) with their tags, settings and configuration. Services: one
paginated ListServices per cluster (AWS has no call across clusters), then DescribeServices
ten at a time (the API's limit) within each cluster, tags included.

A deleted cluster stays describable as INACTIVE for a while: it is gone. The `default`
cluster is the one ECS makes for itself (the first task run without a cluster, the
console's first run): compared when declared, never unmanaged.
"""

from __future__ import annotations

import json
import re
from typing import Any

from guard.live.events import IdForms, TypeEvents, arn_id, edits
from guard.live.shape import declared_tags, first_block, tag_changes
from guard.live.types import REGISTRY, Attrs, DetailCall, GraphHooks, PerParent, ResourceType, writes
from guard.model import AwsCall, Change, Resource


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


# --- services -------------------------------------------------------------------------

_TASK_DEFINITION = re.compile(r"^arn:[^:]+:ecs:[^:]*:\d*:task-definition/")


def _family_revision(value: Any) -> str | None:
    """A task definition as `family:revision`: state holds what was written (an ARN or
    family:revision), AWS answers with the ARN."""
    return _TASK_DEFINITION.sub("", str(value)) if value else None


def _deployment_defaults(strategy: str) -> tuple[int, int]:
    """(maximum, minimum healthy) percent AWS sets when none is given: a daemon stops a task
    before it starts the next one."""
    return (100, 0) if strategy == "DAEMON" else (200, 100)


def _balancers(items: list[dict[str, Any]], keys: tuple[str, str, str, str]) -> list[Attrs]:
    group, elb, name, port = keys
    return sorted(
        (
            {
                "target_group_arn": _text(b.get(group)),
                "elb_name": _text(b.get(elb)),
                "container_name": _text(b.get(name)),
                "container_port": int(b[port]) if b.get(port) is not None else None,
            }
            for b in items
        ),
        key=lambda b: (str(b["target_group_arn"]), str(b["elb_name"]), str(b["container_name"])),
    )


def _network(subnets: Any, groups: Any, public: Any) -> Attrs | None:
    if not subnets and not groups:
        return None
    return {
        "subnets": sorted(subnets or []),
        "security_groups": sorted(groups or []),
        "assign_public_ip": bool(public),
    }


def _service_shape(values: Attrs) -> Attrs:
    strategy = str(values.get("scheduling_strategy") or "REPLICA")
    most, least = _deployment_defaults(strategy)
    return {
        "name": values.get("name"),
        "task_definition": _family_revision(values.get("task_definition")),
        "launch_type": _text(values.get("launch_type")),
        "platform_version": _text(values.get("platform_version"))
        if values.get("launch_type") == "FARGATE"
        else None,
        "scheduling_strategy": strategy,
        "deployment_maximum_percent": int(values.get("deployment_maximum_percent") or most),
        "deployment_minimum_healthy_percent": int(
            values["deployment_minimum_healthy_percent"]
            if values.get("deployment_minimum_healthy_percent") is not None
            else least
        ),
        "enable_execute_command": bool(values.get("enable_execute_command")),
        "enable_ecs_managed_tags": bool(values.get("enable_ecs_managed_tags")),
        "propagate_tags": _text(values.get("propagate_tags")) or "NONE",
        "health_check_grace_period_seconds": int(values.get("health_check_grace_period_seconds") or 0),
        "load_balancer": values.get("load_balancer") or [],
        "network_configuration": values.get("network_configuration"),
        "service_registries": sorted(values.get("service_registries") or []),
    }


def _service_attrs(item: Attrs) -> Attrs:
    deployment = item.get("deploymentConfiguration") or {}
    vpc = (item.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
    shaped = _service_shape(
        {
            "name": item.get("serviceName"),
            "task_definition": item.get("taskDefinition"),
            "launch_type": item.get("launchType"),
            "platform_version": item.get("platformVersion") or "LATEST",
            "scheduling_strategy": item.get("schedulingStrategy"),
            "deployment_maximum_percent": deployment.get("maximumPercent"),
            "deployment_minimum_healthy_percent": deployment.get("minimumHealthyPercent"),
            "enable_execute_command": item.get("enableExecuteCommand"),
            "enable_ecs_managed_tags": item.get("enableECSManagedTags"),
            "propagate_tags": item.get("propagateTags"),
            "health_check_grace_period_seconds": item.get("healthCheckGracePeriodSeconds"),
            "load_balancer": _balancers(
                item.get("loadBalancers") or [],
                ("targetGroupArn", "loadBalancerName", "containerName", "containerPort"),
            ),
            "network_configuration": _network(
                vpc.get("subnets"), vpc.get("securityGroups"), vpc.get("assignPublicIp") == "ENABLED"
            ),
            "service_registries": [r["registryArn"] for r in item.get("serviceRegistries") or []],
        }
    )
    return {
        **shaped,
        "cluster": item.get("clusterArn") or item.get("cluster"),
        "tags": _ecs_tags(item.get("tags")),
    }


def _service_desired(attrs: Attrs) -> Attrs:
    network = first_block(attrs, "network_configuration")
    shaped = _service_shape(
        {
            **{
                k: attrs.get(k)
                for k in (
                    "name",
                    "task_definition",
                    "launch_type",
                    "scheduling_strategy",
                    "deployment_maximum_percent",
                    "deployment_minimum_healthy_percent",
                    "enable_execute_command",
                    "enable_ecs_managed_tags",
                    "propagate_tags",
                    "health_check_grace_period_seconds",
                )
            },
            "platform_version": attrs.get("platform_version") or "LATEST",
            "load_balancer": _balancers(
                attrs.get("load_balancer") or [],
                ("target_group_arn", "elb_name", "container_name", "container_port"),
            ),
            "network_configuration": _network(
                network.get("subnets"), network.get("security_groups"), network.get("assign_public_ip")
            ),
            "service_registries": [r["registry_arn"] for r in attrs.get("service_registries") or []],
        }
    )
    return {**shaped, "cluster": attrs.get("cluster"), "tags": declared_tags(attrs)}


def _service_request(declared: Attrs, paths: set[str]) -> dict[str, Any]:
    """UpdateService parameters that put the declared values back (ECS starts a deployment)."""
    params: dict[str, Any] = {}
    if "task_definition" in paths:
        params["taskDefinition"] = declared["task_definition"]
    if "platform_version" in paths and declared["platform_version"]:
        params["platformVersion"] = declared["platform_version"]
    if paths & {"deployment_maximum_percent", "deployment_minimum_healthy_percent"}:
        params["deploymentConfiguration"] = {
            "maximumPercent": declared["deployment_maximum_percent"],
            "minimumHealthyPercent": declared["deployment_minimum_healthy_percent"],
        }
    if "enable_execute_command" in paths:
        params["enableExecuteCommand"] = declared["enable_execute_command"]
    if "enable_ecs_managed_tags" in paths:
        params["enableECSManagedTags"] = declared["enable_ecs_managed_tags"]
    if "propagate_tags" in paths:
        params["propagateTags"] = declared["propagate_tags"]
    if "health_check_grace_period_seconds" in paths:
        params["healthCheckGracePeriodSeconds"] = declared["health_check_grace_period_seconds"]
    if "network_configuration" in paths and declared["network_configuration"]:
        network = declared["network_configuration"]
        params["networkConfiguration"] = {
            "awsvpcConfiguration": {
                "subnets": network["subnets"],
                "securityGroups": network["security_groups"],
                "assignPublicIp": "ENABLED" if network["assign_public_ip"] else "DISABLED",
            }
        }
    if "load_balancer" in paths:
        params["loadBalancers"] = [
            {
                **({"targetGroupArn": b["target_group_arn"]} if b["target_group_arn"] else {}),
                **({"loadBalancerName": b["elb_name"]} if b["elb_name"] else {}),
                "containerName": b["container_name"],
                "containerPort": b["container_port"],
            }
            for b in declared["load_balancer"]
        ]
    if "service_registries" in paths:
        params["serviceRegistries"] = [{"registryArn": arn} for arn in declared["service_registries"]]
    return params


_SERVICE_SETTABLE = (
    "task_definition",
    "platform_version",
    "deployment_maximum_percent",
    "deployment_minimum_healthy_percent",
    "enable_execute_command",
    "enable_ecs_managed_tags",
    "propagate_tags",
    "health_check_grace_period_seconds",
    "network_configuration",
    "load_balancer",
    "service_registries",
)


@writes("update_service", "tag_resource", "untag_resource")
def _service_restore(resource: Resource, live: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _service_desired(resource.attrs)
    params = _service_request(declared, {change.path.split(".", 1)[0] for change in changes})
    cluster = (live.attrs.get("cluster") if live else None) or declared["cluster"]
    calls = []
    if params:
        request = {"cluster": cluster, "service": resource.id, **params}
        calls.append(AwsCall("ecs", "update_service", request, resource.region))
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


@writes("delete_service")
def _service_delete(live: Resource) -> list[AwsCall]:
    # force: a service still running tasks is scaled to zero by ECS, then deleted.
    request = {"cluster": live.attrs.get("cluster"), "service": live.id, "force": True}
    return [AwsCall("ecs", "delete_service", request, live.region)]


def _made_by_a_service(item: Attrs) -> bool:
    """Services another AWS service made for itself: Elastic Beanstalk's and
    CloudFormation's are tagged so; a service-linked role creating it says the same."""
    keys = [str(t.get("key")) for t in item.get("tags") or []]
    if any(k.startswith(("aws:", "elasticbeanstalk:")) for k in keys):
        return True
    return "/aws-service-role/" in str(item.get("createdBy") or "")


_SERVICE_UPDATE = ("UpdateService",)
_SERVICE_NAMED = (
    "[requestParameters.service, "
    "join('/', [requestParameters.cluster || 'default', requestParameters.service])]"
)
_SERVICE_BY_PATH = {
    **dict.fromkeys(_SERVICE_SETTABLE, _SERVICE_UPDATE),
    "tags": ("TagResource", "UntagResource"),
}
_SERVICE_EVENTS = TypeEvents(
    missing=("DeleteService",),
    unmanaged=("CreateService",),
    changed=edits(_SERVICE_BY_PATH),
    by_path=_SERVICE_BY_PATH,
    touched_by={
        "CreateService": "responseElements.service.serviceArn",
        # Named by ARN, or by name within a cluster (by name or ARN; none is `default`).
        **dict.fromkeys(("DeleteService", "UpdateService"), _SERVICE_NAMED),
        **dict.fromkeys(_SERVICE_BY_PATH["tags"], "requestParameters.resourceArn"),
    },
    ids=IdForms(
        (
            (r"arn:(?:aws|aws-cn|aws-us-gov):ecs:[a-z0-9-]+:\d+:service/[\w-]+/[\w-]+", "{value}"),
            (
                r"(?:arn:[^:]+:ecs:[^:]*:\d*:cluster/)?(?P<cluster>[\w-]+)/(?P<name>[\w-]+)",
                "arn:{partition}:ecs:{region}:{account}:service/{cluster}/{name}",
            ),
        ),
        "a service ARN, or a service name with its cluster",
    ),
)


REGISTRY.register(
    ResourceType(
        name="aws_ecs_service",
        service="ecs",
        list_call="list_services",
        items_path="serviceArns[].{serviceArn: @}",
        id_key="serviceArn",
        per_parent=PerParent(type="aws_ecs_cluster", param="cluster"),
        parent=("cluster", "aws_ecs_cluster"),
        details=(
            DetailCall(
                operation="describe_services",
                param="services",
                items_path="services",
                answer_key="serviceArn",
                merge=_merge_cluster,
                batch=10,  # the API's limit
                params={"include": ["TAGS"]},
                by="cluster",
            ),
        ),
        # A deleted service is DRAINING, then INACTIVE, while DescribeServices still answers.
        keep_item=lambda item: item.get("status", "ACTIVE") == "ACTIVE",
        to_attrs=_service_attrs,
        normalise_desired=_service_desired,
        compared=(
            "name",
            "task_definition",
            "launch_type",
            "platform_version",
            "scheduling_strategy",
            "deployment_maximum_percent",
            "deployment_minimum_healthy_percent",
            "enable_execute_command",
            "enable_ecs_managed_tags",
            "propagate_tags",
            "health_check_grace_period_seconds",
            "load_balancer",
            "network_configuration",
            "service_registries",
            "tags",
        ),
        ignored={
            "desired_count": "owned by Application Auto Scaling and deploys, which change it all day",
            "cluster": "part of the id (a service never moves between clusters)",
            "iam_role": "applied at creation; UpdateService cannot change it",
            "deployment_controller": "applied at creation; UpdateService cannot change it",
            "deployment_circuit_breaker": "not compared yet",
            "alarms": "not compared yet",
            "capacity_provider_strategy": "not compared yet",
            "ordered_placement_strategy": "not compared yet",
            "placement_constraints": "not compared yet",
            "service_connect_configuration": "not compared yet",
            "volume_configuration": "not compared yet",
            "availability_zone_rebalancing": "not compared yet",
            "force_delete": "Terraform-only setting",
            "force_new_deployment": "Terraform-only setting",
            "wait_for_steady_state": "Terraform-only setting",
            "triggers": "Terraform-only setting",
        },
        aws_default=_made_by_a_service,
        restore_calls=_service_restore,
        restorable=(*_SERVICE_SETTABLE, "tags"),
        delete_calls=_service_delete,
        describe=lambda resource: f"ECS service {resource.attrs.get('name') or resource.id}",
        events=_SERVICE_EVENTS,
        pulumi_tokens=("aws:ecs/service:Service",),
        pulumi_blocks={"load_balancers": "load_balancer", "service_registries": "service_registries"},
        graph=GraphHooks(
            forward=("cluster", "task_definition", "load_balancer"),
            name=lambda attrs: str(attrs.get("name") or "ECS service"),
        ),
    )
)


# --- task definitions -------------------------------------------------------------------
#
# A task definition is a family of immutable revisions: Terraform's resource is one
# revision (id: the family, arn: family:revision), and only its tags change in place. One
# paginated ListTaskDefinitions (ACTIVE) per region lists every revision; AWS has no batch
# describe, so each ACTIVE revision costs one DescribeTaskDefinition (tags included).
# Terraform deregisters the revision it replaces, so a family only Terraform writes has one
# ACTIVE revision; a deploy pipeline's revisions stay ACTIVE until someone deregisters them.
#
# A deregistered revision the state holds is missing. A newer revision of a declared family
# is not a finding of this type (the service running it is aws_ecs_service drift). A family
# no state declares is reported once, by its newest revision.

# Container definition fields AWS fills with its default, which the provider drops before
# comparing (its containerDefinitions.reduce); list fields ECS keeps in any order.
_NAMED_LISTS = ("environment", "secrets")


def _reduced_container(container: dict[str, Any], awsvpc: bool) -> dict[str, Any]:
    reduced: dict[str, Any] = {}
    for key, value in container.items():
        if value in (None, "", [], {}):
            continue
        if key == "cpu" and value == 0:
            continue
        if key == "essential" and value is True:
            continue
        if key in _NAMED_LISTS and isinstance(value, list):
            value = sorted(value, key=lambda pair: str(pair.get("name")) if isinstance(pair, dict) else "")
        if key == "portMappings" and isinstance(value, list):
            value = [_reduced_port(mapping, awsvpc) for mapping in value]
        reduced[key] = value
    return reduced


def _reduced_port(mapping: Any, awsvpc: bool) -> Any:
    if not isinstance(mapping, dict):
        return mapping
    port = {k: v for k, v in mapping.items() if v not in (None, "", [], {})}
    if port.get("protocol") == "tcp":
        del port["protocol"]
    if port.get("hostPort") == 0:
        del port["hostPort"]
    if awsvpc and "hostPort" not in port and "containerPort" in port:
        port["hostPort"] = port["containerPort"]  # awsvpc: the host port is the container port
    return port


def normalise_container_definitions(value: Any, network_mode: Any) -> str | None:
    """Container definitions as canonical JSON in the provider's reduced shape: AWS's
    defaults (cpu 0, essential, tcp, empty lists) dropped, environment and secrets by name."""
    if value in (None, ""):
        return None
    try:
        containers = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if not isinstance(containers, list):
        return json.dumps(containers, sort_keys=True)
    awsvpc = network_mode == "awsvpc"
    reduced = [_reduced_container(c, awsvpc) if isinstance(c, dict) else c for c in containers]
    return json.dumps(reduced, sort_keys=True, separators=(",", ":"))


def _task_shape(values: Attrs) -> Attrs:
    network_mode = _text(values.get("network_mode")) or "bridge"
    return {
        "arn": _family_revision(values.get("arn")),
        "family": values.get("family"),
        "container_definitions": normalise_container_definitions(
            values.get("container_definitions"), network_mode
        ),
        "cpu": _text(values.get("cpu")),
        "memory": _text(values.get("memory")),
        "network_mode": network_mode,
        "requires_compatibilities": sorted(values.get("requires_compatibilities") or []),
        "execution_role_arn": _text(values.get("execution_role_arn")),
        "task_role_arn": _text(values.get("task_role_arn")),
    }


def _merge_task_definition(item: Attrs, answer: Attrs) -> None:
    item.update(answer.get("taskDefinition") or {})
    item["tags"] = answer.get("tags") or []


def _task_attrs(item: Attrs) -> Attrs:
    shaped = _task_shape(
        {
            "arn": item.get("taskDefinitionArn"),
            "family": item.get("family"),
            "container_definitions": item.get("containerDefinitions"),
            "cpu": item.get("cpu"),
            "memory": item.get("memory"),
            "network_mode": item.get("networkMode"),
            "requires_compatibilities": item.get("requiresCompatibilities"),
            "execution_role_arn": item.get("executionRoleArn"),
            "task_role_arn": item.get("taskRoleArn"),
        }
    )
    return {**shaped, "revision": item.get("revision"), "tags": _ecs_tags(item.get("tags"))}


def _task_desired(attrs: Attrs) -> Attrs:
    return {**_task_shape(attrs), "tags": declared_tags(attrs)}


def _revision_key(resource: Resource) -> str:
    """Matched by family:revision (state's id is the family alone)."""
    return str(resource.attrs.get("arn") or resource.id)


def _revision_of(resource: Resource) -> tuple[str, int]:
    family, _, revision = str(resource.attrs.get("arn") or "").rpartition(":")
    return (family, int(revision)) if revision.isdigit() else (str(resource.attrs.get("family") or ""), 0)


def _revision_arn(resource: Resource, live: Resource | None) -> str:
    if live is not None:
        return live.id
    return str(resource.attrs.get("arn") or resource.id)


@writes("tag_resource", "untag_resource")
def _task_restore(resource: Resource, live: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    """Only tags change in place: any other difference is a revision to register (IaC)."""
    arn = _revision_arn(resource, live)
    calls = []
    restore, remove = tag_changes(changes)
    if restore:
        tags = [{"key": k, "value": v} for k, v in restore.items()]
        calls.append(AwsCall("ecs", "tag_resource", {"resourceArn": arn, "tags": tags}, resource.region))
    if remove:
        calls.append(
            AwsCall("ecs", "untag_resource", {"resourceArn": arn, "tagKeys": remove}, resource.region)
        )
    return calls


@writes("deregister_task_definition")
def _task_family_delete(live: Resource) -> list[AwsCall]:
    """A family no state declares is reported by its newest revision, carrying every
    revision of it (`_revisions`): each is deregistered (INACTIVE revisions can still be
    described and run by existing tasks; DeleteTaskDefinitions is never sent)."""
    revisions = live.attrs.get("_revisions") or [live.id]
    return [
        AwsCall("ecs", "deregister_task_definition", {"taskDefinition": arn}, live.region)
        for arn in revisions
    ]


def _made_by_another_service(item: Attrs) -> bool:
    """Revisions CloudFormation (Copilot, CDK) or Elastic Beanstalk registered for themselves."""
    keys = [str(t.get("key")) for t in item.get("tags") or []]
    if any(k.startswith(("aws:", "elasticbeanstalk:")) for k in keys):
        return True
    return str(item.get("family") or "").startswith("awseb-")  # Beanstalk's multicontainer Docker


_TASK_BY_PATH = {"tags": ("TagResource", "UntagResource")}
_TASK_EVENTS = TypeEvents(
    missing=("DeregisterTaskDefinition", "DeleteTaskDefinitions"),
    unmanaged=("RegisterTaskDefinition",),
    changed=edits(_TASK_BY_PATH),
    by_path=_TASK_BY_PATH,
    touched_by={
        "RegisterTaskDefinition": "responseElements.taskDefinition.taskDefinitionArn",
        "DeregisterTaskDefinition": "requestParameters.taskDefinition",
        "DeleteTaskDefinitions": "requestParameters.taskDefinitions",
        **dict.fromkeys(_TASK_BY_PATH["tags"], "requestParameters.resourceArn"),
    },
    # A revision by its ARN or as family:revision; a cluster's or service's ARN is not one.
    ids=IdForms(
        (
            (r"arn:(?:aws|aws-cn|aws-us-gov):ecs:[a-z0-9-]+:\d+:task-definition/[\w-]+:\d+", "{value}"),
            (r"[\w-]+:\d+", "arn:{partition}:ecs:{region}:{account}:task-definition/{value}"),
        ),
        "a task definition revision's ARN, or family:revision",
    ),
)


REGISTRY.register(
    ResourceType(
        name="aws_ecs_task_definition",
        service="ecs",
        list_call="list_task_definitions",
        list_params={"status": "ACTIVE"},
        items_path="taskDefinitionArns[].{taskDefinitionArn: @}",
        id_key="taskDefinitionArn",
        details=(
            DetailCall(
                operation="describe_task_definition",
                param="taskDefinition",
                items_path="@",
                answer_key="",
                merge=_merge_task_definition,
                params={"include": ["TAGS"]},
            ),
        ),
        keep_item=lambda item: item.get("status", "ACTIVE") == "ACTIVE",
        to_attrs=_task_attrs,
        normalise_desired=_task_desired,
        match_key=_revision_key,
        revision_of=_revision_of,
        compared=(
            "family",
            "container_definitions",
            "cpu",
            "memory",
            "network_mode",
            "requires_compatibilities",
            "execution_role_arn",
            "task_role_arn",
            "tags",
        ),
        ignored={
            "arn": "family:revision: what state and AWS are matched by",
            "arn_without_revision": "the family's ARN: computed",
            "revision": "part of the ARN",
            "volume": "not compared yet (a revision is immutable: only its tags change in place)",
            "placement_constraints": "not compared yet (a revision is immutable)",
            "proxy_configuration": "not compared yet (a revision is immutable)",
            "inference_accelerator": "not compared yet (a revision is immutable)",
            "ephemeral_storage": "not compared yet (a revision is immutable)",
            "runtime_platform": "not compared yet (a revision is immutable)",
            "ipc_mode": "not compared yet (a revision is immutable)",
            "pid_mode": "not compared yet (a revision is immutable)",
            "enable_fault_injection": "not compared yet (a revision is immutable)",
            "skip_destroy": "Terraform-only setting",
            "track_latest": "Terraform-only setting (the revision state holds is the one compared)",
        },
        aws_default=_made_by_another_service,
        restore_calls=_task_restore,
        restorable=("tags",),
        delete_calls=_task_family_delete,
        describe=lambda resource: f"ECS task definition {resource.attrs.get('arn') or resource.id}",
        events=_TASK_EVENTS,
        pulumi_tokens=("aws:ecs/taskDefinition:TaskDefinition",),
        graph=GraphHooks(
            forward=("execution_role_arn", "task_role_arn"),
            name=lambda attrs: str(attrs.get("arn") or attrs.get("family") or "ECS task definition"),
        ),
    )
)
