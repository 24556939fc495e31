"""EC2 and VPC resource types: VPCs, subnets, security groups, instances."""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents
from guard.live.resources.security_group_rules import group_rule_facts
from guard.live.shape import declared_tags, ec2_tag_calls, first_block, tags
from guard.live.types import REGISTRY, Attrs, GraphHooks, GraphRole, ResourceType, writes
from guard.model import AwsCall, Change, Resource

# Tags that mark an instance as launched by something other than Terraform.
_OWNED_ELSEWHERE_TAGS = (
    "aws:autoscaling:groupName",
    "karpenter.sh/nodepool",
    "aws:ec2spot:fleet-request-id",
)


def _with_tags(attrs: Attrs, names: tuple[str, ...]) -> Attrs:
    """The compared attributes the state holds (one it lacks is not compared), and tags."""
    shaped = {name: attrs[name] for name in names if name in attrs}
    shaped["tags"] = declared_tags(attrs)
    return shaped


_TAGS = ("CreateTags", "DeleteTags")
# CreateTags and DeleteTags name their resources in a list; the id prefix says which type.
_TAGGED = "requestParameters.resourcesSet.items[].resourceId"
_GROUP = "requestParameters.groupId"
_INSTANCES = "requestParameters.instancesSet.items[].instanceId"


@writes(ec2_tag_calls)
def _tags_only(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    return ec2_tag_calls(resource, changes)


_VPC_EVENTS = TypeEvents(
    id_prefix="vpc-",
    missing=("DeleteVpc",),
    unmanaged=("CreateVpc",),
    changed=("ModifyVpcAttribute", "ModifyVpcTenancy", *_TAGS),
    by_path={"instance_tenancy": ("ModifyVpcTenancy",), "tags": _TAGS},
    touched_by={
        "DeleteVpc": "requestParameters.vpcId",
        "ModifyVpcAttribute": "requestParameters.vpcId",
        "ModifyVpcTenancy": "requestParameters.ModifyVpcTenancyRequest.VpcId",
        "CreateVpc": "responseElements.vpc.vpcId",
        "CreateTags": _TAGGED,
        "DeleteTags": _TAGGED,
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_vpc",
        service="ec2",
        list_call="describe_vpcs",
        events=_VPC_EVENTS,
        items_path="Vpcs",
        id_key="VpcId",
        to_attrs=lambda item: {
            "cidr_block": item.get("CidrBlock"),
            "instance_tenancy": item.get("InstanceTenancy"),
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: _with_tags(attrs, ("cidr_block", "instance_tenancy")),
        compared=("cidr_block", "instance_tenancy", "tags"),
        ignored={
            "enable_dns_support": "needs one DescribeVpcAttribute call per VPC",
            "enable_dns_hostnames": "needs one DescribeVpcAttribute call per VPC",
            "default_security_group_id": "computed by AWS",
            "main_route_table_id": "computed by AWS",
            "default_network_acl_id": "computed by AWS",
        },
        aws_default=lambda item: bool(item.get("IsDefault")),
        restore_calls=_tags_only,
        delete_calls=writes("delete_vpc")(
            lambda r: [AwsCall("ec2", "delete_vpc", {"VpcId": r.id}, r.region)]
        ),
        read_params=lambda r: {"VpcIds": [r.id]},
    )
)


@writes(ec2_tag_calls, "modify_subnet_attribute")
def _subnet_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    calls = []
    for change in changes:
        if change.path == "map_public_ip_on_launch":
            calls.append(
                AwsCall(
                    "ec2",
                    "modify_subnet_attribute",
                    {
                        "SubnetId": resource.id,
                        "MapPublicIpOnLaunch": {"Value": bool(change.expected)},
                    },
                    resource.region,
                )
            )
    return calls + ec2_tag_calls(resource, changes)


_SUBNET_EVENTS = TypeEvents(
    id_prefix="subnet-",
    missing=("DeleteSubnet",),
    unmanaged=("CreateSubnet",),
    changed=("ModifySubnetAttribute", *_TAGS),
    by_path={"map_public_ip_on_launch": ("ModifySubnetAttribute",), "tags": _TAGS},
    touched_by={
        "DeleteSubnet": "requestParameters.subnetId",
        "ModifySubnetAttribute": "requestParameters.subnetId",
        "CreateSubnet": "responseElements.subnet.subnetId",
        "CreateTags": _TAGGED,
        "DeleteTags": _TAGGED,
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_subnet",
        service="ec2",
        list_call="describe_subnets",
        events=_SUBNET_EVENTS,
        items_path="Subnets",
        id_key="SubnetId",
        to_attrs=lambda item: {
            "vpc_id": item.get("VpcId"),
            "cidr_block": item.get("CidrBlock"),
            "availability_zone": item.get("AvailabilityZone"),
            "map_public_ip_on_launch": bool(item.get("MapPublicIpOnLaunch")),
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: {
            **_with_tags(attrs, ("vpc_id", "cidr_block", "availability_zone")),
            "map_public_ip_on_launch": bool(attrs.get("map_public_ip_on_launch")),
        },
        compared=("vpc_id", "cidr_block", "availability_zone", "map_public_ip_on_launch", "tags"),
        ignored={"arn": "computed", "owner_id": "computed", "availability_zone_id": "computed"},
        aws_default=lambda item: bool(item.get("DefaultForAz")),
        restore_calls=_subnet_restore,
        restorable=("map_public_ip_on_launch", "tags"),
        delete_calls=writes("delete_subnet")(
            lambda r: [AwsCall("ec2", "delete_subnet", {"SubnetId": r.id}, r.region)]
        ),
        read_params=lambda r: {"SubnetIds": [r.id]},
    )
)


_GROUP_EVENTS = TypeEvents(
    id_prefix="sg-",
    missing=("DeleteSecurityGroup",),
    unmanaged=("CreateSecurityGroup",),
    changed=_TAGS,
    by_path={"tags": _TAGS},
    touched_by={
        **{
            f"{verb}SecurityGroup{direction}": _GROUP
            for verb in ("Authorize", "Revoke")
            for direction in ("Ingress", "Egress")
        },
        "ModifySecurityGroupRules": _GROUP,
        "UpdateSecurityGroupRuleDescriptionsIngress": _GROUP,
        "UpdateSecurityGroupRuleDescriptionsEgress": _GROUP,
        "DeleteSecurityGroup": _GROUP,
        "CreateSecurityGroup": "responseElements.groupId",
        "CreateTags": _TAGGED,
        "DeleteTags": _TAGGED,
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_security_group",
        service="ec2",
        list_call="describe_security_groups",
        events=_GROUP_EVENTS,
        items_path="SecurityGroups",
        id_key="GroupId",
        to_attrs=lambda item: {
            "name": item.get("GroupName"),
            "description": item.get("Description"),
            "vpc_id": item.get("VpcId"),
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: _with_tags(attrs, ("name", "description", "vpc_id")),
        compared=("name", "description", "vpc_id", "tags"),
        ignored={
            "ingress": "compared rule by rule (aws_vpc_security_group_ingress_rule)",
            "egress": "compared rule by rule (aws_vpc_security_group_egress_rule)",
            "revoke_rules_on_delete": "Terraform-only setting",
        },
        aws_default=lambda item: item.get("GroupName") == "default",
        restore_calls=_tags_only,
        describe=lambda resource: f"security group {resource.attrs.get('name') or resource.id}",
        delete_calls=writes("delete_security_group")(
            lambda r: [AwsCall("ec2", "delete_security_group", {"GroupId": r.id}, r.region)]
        ),
        read_params=lambda r: {"GroupIds": [r.id]},
        graph=GraphHooks(role=GraphRole.SECURITY_GROUP),
        rule_facts=group_rule_facts,
    )
)


def _instance_attrs(item: dict[str, Any]) -> Attrs:
    metadata = item.get("MetadataOptions") or {}
    profile = (item.get("IamInstanceProfile") or {}).get("Arn") or ""
    return {
        "instance_type": item.get("InstanceType"),
        "ami": item.get("ImageId"),
        "subnet_id": item.get("SubnetId"),
        "key_name": item.get("KeyName"),
        "vpc_security_group_ids": sorted(g["GroupId"] for g in item.get("SecurityGroups") or []),
        "iam_instance_profile": profile.rsplit("/", 1)[-1] or None,
        "monitoring": (item.get("Monitoring") or {}).get("State") in ("enabled", "pending"),
        "source_dest_check": item.get("SourceDestCheck", True),
        "ebs_optimized": bool(item.get("EbsOptimized")),
        "http_tokens": metadata.get("HttpTokens"),
        "http_endpoint": metadata.get("HttpEndpoint"),
        "tags": tags(item),
    }


def _instance_desired(attrs: Attrs) -> Attrs:
    shaped = _with_tags(attrs, ("instance_type", "ami", "subnet_id", "key_name", "iam_instance_profile"))
    shaped.update(
        vpc_security_group_ids=sorted(attrs.get("vpc_security_group_ids") or []),
        monitoring=bool(attrs.get("monitoring")),
        source_dest_check=attrs.get("source_dest_check", True) is not False,
        ebs_optimized=bool(attrs.get("ebs_optimized")),
    )
    # States from before metadata_options existed say nothing about it: compare nothing.
    metadata = first_block(attrs, "metadata_options")
    shaped.update({name: metadata[name] for name in ("http_tokens", "http_endpoint") if name in metadata})
    return shaped


def _instance_arguments(resource: Resource) -> Attrs:
    """The live instance as `aws_instance` arguments: metadata options are a block."""
    attrs = dict(resource.attrs)
    metadata = {name: attrs.pop(name) for name in ("http_tokens", "http_endpoint") if attrs.get(name)}
    if metadata:
        attrs["metadata_options"] = [metadata]
    return attrs


@writes(
    ec2_tag_calls,
    "modify_instance_metadata_options",
    "modify_instance_attribute",
    "monitor_instances",
    "unmonitor_instances",
)
def _instance_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    """Only the changes AWS lets us undo on a running instance; the rest is Terraform's job."""
    calls: list[AwsCall] = []
    region = resource.region
    metadata: dict[str, Any] = {}
    for change in changes:
        if change.path == "vpc_security_group_ids":
            calls.append(
                AwsCall(
                    "ec2",
                    "modify_instance_attribute",
                    {"InstanceId": resource.id, "Groups": list(change.expected or [])},
                    region,
                )
            )
        elif change.path == "source_dest_check":
            calls.append(
                AwsCall(
                    "ec2",
                    "modify_instance_attribute",
                    {
                        "InstanceId": resource.id,
                        "SourceDestCheck": {"Value": bool(change.expected)},
                    },
                    region,
                )
            )
        elif change.path == "monitoring":
            operation = "monitor_instances" if change.expected else "unmonitor_instances"
            calls.append(AwsCall("ec2", operation, {"InstanceIds": [resource.id]}, region))
        elif change.path in ("http_tokens", "http_endpoint") and change.expected:
            # Send every declared option: some implementations reset the ones left out.
            metadata = {
                key: resource.attrs[name]
                for name, key in (("http_tokens", "HttpTokens"), ("http_endpoint", "HttpEndpoint"))
                if resource.attrs.get(name)
            }
    if metadata:
        calls.append(
            AwsCall(
                "ec2",
                "modify_instance_metadata_options",
                {"InstanceId": resource.id, **metadata},
                region,
            )
        )
    return calls + ec2_tag_calls(resource, changes)


_INSTANCE_EVENTS = TypeEvents(
    id_prefix="i-",
    missing=("TerminateInstances",),
    unmanaged=("RunInstances",),
    changed=("ModifyInstanceAttribute",),
    by_path={
        "instance_type": ("ModifyInstanceAttribute",),
        "vpc_security_group_ids": ("ModifyInstanceAttribute", "ModifyNetworkInterfaceAttribute"),
        "source_dest_check": ("ModifyInstanceAttribute",),
        "ebs_optimized": ("ModifyInstanceAttribute",),
        "monitoring": ("MonitorInstances", "UnmonitorInstances"),
        "http_tokens": ("ModifyInstanceMetadataOptions",),
        "http_endpoint": ("ModifyInstanceMetadataOptions",),
        "iam_instance_profile": (
            "AssociateIamInstanceProfile",
            "ReplaceIamInstanceProfileAssociation",
            "DisassociateIamInstanceProfile",
        ),
        "tags": _TAGS,
    },
    touched_by={
        "ModifyInstanceAttribute": "requestParameters.instanceId",
        "ModifyInstanceMetadataOptions": "requestParameters.instanceId",
        "MonitorInstances": _INSTANCES,
        "UnmonitorInstances": _INSTANCES,
        "TerminateInstances": _INSTANCES,
        "RunInstances": "responseElements.instancesSet.items[].instanceId",
        "AssociateIamInstanceProfile": "requestParameters.AssociateIamInstanceProfileRequest.InstanceId",
        "CreateTags": _TAGGED,
        "DeleteTags": _TAGGED,
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_instance",
        service="ec2",
        list_call="describe_instances",
        events=_INSTANCE_EVENTS,
        items_path="Reservations[].Instances[]",
        id_key="InstanceId",
        to_attrs=_instance_attrs,
        normalise_desired=_instance_desired,
        compared=(
            "instance_type",
            "ami",
            "subnet_id",
            "key_name",
            "vpc_security_group_ids",
            "iam_instance_profile",
            "monitoring",
            "source_dest_check",
            "ebs_optimized",
            "http_tokens",
            "http_endpoint",
            "tags",
        ),
        ignored={
            "instance_state": "running or stopped is operations, not configuration",
            "public_ip": "assigned by AWS",
            "private_ip": "assigned by AWS unless set, and it cannot change in place",
            "disable_api_termination": "needs one DescribeInstanceAttribute call per instance",
            "user_data": "needs one DescribeInstanceAttribute call per instance",
            "root_block_device": "compared as aws_ebs_volume",
        },
        keep_item=lambda item: (item.get("State") or {}).get("Name") not in ("terminated", "shutting-down"),
        aws_default=lambda item: any(tag["Key"] in _OWNED_ELSEWHERE_TAGS for tag in item.get("Tags") or []),
        restore_calls=_instance_restore,
        restorable=(
            "vpc_security_group_ids",
            "source_dest_check",
            "monitoring",
            "http_tokens",
            "http_endpoint",
            "tags",
        ),
        describe=lambda resource: f"instance {resource.attrs.get('tags', {}).get('Name') or resource.id}",
        delete_calls=writes("terminate_instances")(
            lambda r: [AwsCall("ec2", "terminate_instances", {"InstanceIds": [r.id]}, r.region)]
        ),
        read_params=lambda r: {"InstanceIds": [r.id]},
        hcl_arguments=_instance_arguments,
        graph=GraphHooks(role=GraphRole.INSTANCE),
    )
)
