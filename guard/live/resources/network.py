"""More VPC network types: the defaults AWS makes with every VPC (compared only when
adopted by an `aws_default_*` resource, never unmanaged), VPC endpoints and peering.

Every type here is read by a call guard makes anyway for guard/live/resources/vpc.py
(describe_vpcs, describe_security_groups, describe_route_tables, describe_network_acls),
or by one paginated Describe per region of its own.
"""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents
from guard.live.resources.security_group_rules import _inline_rules, group_rule_facts
from guard.live.resources.vpc import _declared_entries, _inline_routes, _live_entries
from guard.live.shape import (
    EC2_TAG_EVENTS,
    EC2_TAGGED_IDS,
    declared_tags,
    ec2_tag_calls,
    ec2_tags_only,
    tags,
)
from guard.live.types import (
    REGISTRY,
    Expansion,
    GraphHooks,
    GraphRole,
    ResourceType,
    writes,
)
from guard.model import AwsCall, Change, Resource


def _always(_: Any) -> bool:
    return True


def _tag_events(id_prefix: str, **more: Any) -> TypeEvents:
    """The events of a default resource: it is never created or deleted by hand."""
    by_path = {"tags": EC2_TAG_EVENTS, **more.pop("by_path", {})}
    touched = {"CreateTags": EC2_TAGGED_IDS, "DeleteTags": EC2_TAGGED_IDS, **more.pop("touched_by", {})}
    changed = tuple(dict.fromkeys([*(e for events in by_path.values() for e in events)]))
    return TypeEvents(id_prefix=id_prefix, changed=changed, by_path=by_path, touched_by=touched, **more)


# --- the default security group ------------------------------------------------------------

_GROUP = "requestParameters.groupId"

REGISTRY.register(
    ResourceType(
        name="aws_default_security_group",
        service="ec2",
        list_call="describe_security_groups",
        items_path="SecurityGroups",
        id_key="GroupId",
        keep_item=lambda item: item.get("GroupName") == "default",
        to_attrs=lambda item: {"vpc_id": item.get("VpcId"), "tags": tags(item)},
        normalise_desired=lambda attrs: {"vpc_id": attrs.get("vpc_id"), "tags": declared_tags(attrs)},
        compared=("vpc_id", "tags"),
        ignored={
            "ingress": "compared rule by rule (aws_vpc_security_group_ingress_rule): an added rule is drift",
            "egress": "compared rule by rule (aws_vpc_security_group_egress_rule): an added rule is drift",
            "name": "always `default`",
            "name_prefix": "always empty: the group's name is `default`",
            "description": "set by AWS with the VPC; it cannot change",
            "arn": "computed",
            "owner_id": "computed",
            "revoke_rules_on_delete": "Terraform-only setting",
        },
        # Made with its VPC: compared when adopted, never unmanaged, never deleted.
        aws_default=_always,
        restore_calls=ec2_tags_only,
        describe=lambda resource: f"default security group {resource.id}",
        read_params=lambda r: {"GroupIds": [r.id]},
        events=_tag_events(
            "sg-",
            touched_by={
                **{
                    f"{verb}SecurityGroup{direction}": _GROUP
                    for verb in ("Authorize", "Revoke")
                    for direction in ("Ingress", "Egress")
                },
                "ModifySecurityGroupRules": _GROUP,
            },
        ),
        graph=GraphHooks(role=GraphRole.SECURITY_GROUP),
        rule_facts=group_rule_facts,
    )
)
# Its inline blocks are the group's whole rule list, as Terraform enforces it.
REGISTRY.add_expansion(Expansion("aws_default_security_group", precedence=0, expand=_inline_rules))


# --- the default VPC ------------------------------------------------------------------------


@writes(ec2_tag_calls, "associate_dhcp_options")
def _vpc_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    calls = [
        AwsCall(
            "ec2",
            "associate_dhcp_options",
            {"VpcId": resource.id, "DhcpOptionsId": change.expected},
            resource.region,
        )
        for change in changes
        if change.path == "dhcp_options_id" and change.expected
    ]
    return calls + ec2_tag_calls(resource, changes)


REGISTRY.register(
    ResourceType(
        name="aws_default_vpc",
        service="ec2",
        list_call="describe_vpcs",
        items_path="Vpcs",
        id_key="VpcId",
        keep_item=lambda item: bool(item.get("IsDefault")),
        to_attrs=lambda item: {
            "cidr_block": item.get("CidrBlock"),
            "instance_tenancy": item.get("InstanceTenancy") or "default",
            "dhcp_options_id": item.get("DhcpOptionsId") or None,
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: {
            "cidr_block": attrs.get("cidr_block"),
            "instance_tenancy": attrs.get("instance_tenancy") or "default",
            "dhcp_options_id": attrs.get("dhcp_options_id") or None,
            "tags": declared_tags(attrs),
        },
        compared=("cidr_block", "instance_tenancy", "dhcp_options_id", "tags"),
        compared_if_declared=("dhcp_options_id",),
        ignored={
            "enable_dns_support": "needs one DescribeVpcAttribute call per VPC",
            "enable_dns_hostnames": "needs one DescribeVpcAttribute call per VPC",
            "enable_network_address_usage_metrics": "needs one DescribeVpcAttribute call per VPC",
            "assign_generated_ipv6_cidr_block": "an IPv6 block is associated, not configured",
            "ipv6_association_id": "computed",
            "ipv6_cidr_block": "follows assign_generated_ipv6_cidr_block",
            "ipv6_cidr_block_network_border_group": "follows the IPv6 association",
            "ipv6_ipam_pool_id": "only read when the block is allocated",
            "ipv6_netmask_length": "only read when the block is allocated",
            "existing_default_vpc": "Terraform-only: whether the VPC existed before it was adopted",
            "force_destroy": "Terraform-only setting",
            "default_network_acl_id": "computed by AWS",
            "default_route_table_id": "computed by AWS",
            "default_security_group_id": "computed by AWS",
            "main_route_table_id": "computed by AWS",
            "arn": "computed",
            "owner_id": "computed",
        },
        aws_default=_always,
        restore_calls=_vpc_restore,
        restorable=("dhcp_options_id", "tags"),
        read_params=lambda r: {"VpcIds": [r.id]},
        events=_tag_events(
            "vpc-",
            by_path={
                "dhcp_options_id": ("AssociateDhcpOptions",),
                "instance_tenancy": ("ModifyVpcTenancy",),
            },
            touched_by={
                "AssociateDhcpOptions": "requestParameters.vpcId",
                "ModifyVpcTenancy": "requestParameters.ModifyVpcTenancyRequest.VpcId",
                "ModifyVpcAttribute": "requestParameters.vpcId",
            },
        ),
    )
)


# --- the main route table -------------------------------------------------------------------


def _is_main(item: dict[str, Any]) -> bool:
    return any(a.get("Main") for a in item.get("Associations") or [])


REGISTRY.register(
    ResourceType(
        name="aws_default_route_table",
        service="ec2",
        list_call="describe_route_tables",
        items_path="RouteTables",
        id_key="RouteTableId",
        keep_item=_is_main,
        to_attrs=lambda item: {
            "vpc_id": item.get("VpcId"),
            "propagating_vgws": sorted(v["GatewayId"] for v in item.get("PropagatingVgws") or []),
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: {
            "vpc_id": attrs.get("vpc_id"),
            "propagating_vgws": sorted(attrs.get("propagating_vgws") or []),
            "tags": declared_tags(attrs),
        },
        compared=("vpc_id", "propagating_vgws", "tags"),
        compared_if_declared=("vpc_id", "propagating_vgws"),
        ignored={
            "route": "compared route by route (aws_route): a route added to the main table is drift",
            "default_route_table_id": "the same as id",
            "arn": "computed",
            "owner_id": "computed",
        },
        aws_default=_always,
        restore_calls=ec2_tags_only,
        read_params=lambda r: {"RouteTableIds": [r.id]},
        events=_tag_events(
            "rtb-",
            by_path={"propagating_vgws": ("EnableVgwRoutePropagation", "DisableVgwRoutePropagation")},
            touched_by={
                "EnableVgwRoutePropagation": "requestParameters.routeTableId",
                "DisableVgwRoutePropagation": "requestParameters.routeTableId",
            },
        ),
    )
)
# Its `route` blocks are the main table's whole route list, as Terraform enforces it.
REGISTRY.add_expansion(Expansion("aws_default_route_table", precedence=0, expand=_inline_routes))


# --- the default network ACL ------------------------------------------------------------------

_ACL = "requestParameters.networkAclId"

REGISTRY.register(
    ResourceType(
        name="aws_default_network_acl",
        service="ec2",
        list_call="describe_network_acls",
        items_path="NetworkAcls",
        id_key="NetworkAclId",
        keep_item=lambda item: bool(item.get("IsDefault")),
        to_attrs=lambda item: {
            "vpc_id": item.get("VpcId"),
            "ingress": _live_entries(item, egress=False),
            "egress": _live_entries(item, egress=True),
            "subnet_ids": sorted(a["SubnetId"] for a in item.get("Associations") or [] if a.get("SubnetId")),
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: {
            "vpc_id": attrs.get("vpc_id"),
            "ingress": _declared_entries(attrs.get("ingress")),
            "egress": _declared_entries(attrs.get("egress")),
            "subnet_ids": sorted(attrs.get("subnet_ids") or []),
            "tags": declared_tags(attrs),
        },
        # Terraform enforces the declared entries: none declared means none allowed.
        compared=("vpc_id", "ingress", "egress", "subnet_ids", "tags"),
        # A subnet moves onto the default ACL whenever it leaves another: compared when declared.
        compared_if_declared=("subnet_ids",),
        ignored={
            "default_network_acl_id": "the same as id",
            "arn": "computed",
            "owner_id": "computed",
        },
        aws_default=_always,
        restore_calls=ec2_tags_only,
        read_params=lambda r: {"NetworkAclIds": [r.id]},
        events=_tag_events(
            "acl-",
            by_path={
                "ingress": ("CreateNetworkAclEntry", "ReplaceNetworkAclEntry", "DeleteNetworkAclEntry"),
                "egress": ("CreateNetworkAclEntry", "ReplaceNetworkAclEntry", "DeleteNetworkAclEntry"),
                "subnet_ids": ("ReplaceNetworkAclAssociation",),
            },
            touched_by={
                "CreateNetworkAclEntry": _ACL,
                "ReplaceNetworkAclEntry": _ACL,
                "DeleteNetworkAclEntry": _ACL,
                "ReplaceNetworkAclAssociation": _ACL,
            },
        ),
    )
)

