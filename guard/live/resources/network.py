"""More VPC network types: the defaults AWS makes with every VPC (compared only when
adopted by an `aws_default_*` resource, never unmanaged), VPC endpoints and peering.

Every type here is read by a call guard makes anyway for guard/live/resources/vpc.py
(describe_vpcs, describe_security_groups, describe_route_tables, describe_network_acls),
or by one paginated Describe per region of its own.
"""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents
from guard.live.policy import normalise_policy
from guard.live.resources.security_group_rules import _inline_rules, group_rule_facts
from guard.live.resources.vpc import _inline_routes, acl_attrs, acl_declared
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
    Attrs,
    Expansion,
    GraphHooks,
    GraphRole,
    ResourceType,
    writes,
)
from guard.model import AwsCall, Change, Resource


def _always(_: Any) -> bool:
    return True


def _tag_events(id_prefix: str, tagged: bool = True, **more: Any) -> TypeEvents:
    """The events of a default resource: it is never created or deleted by hand. Where
    the ordinary type of the same id (aws_vpc, aws_security_group) already follows an event,
    `guard on-event` reads it as that type (`tagged` False: not claimed twice)."""
    by_path = {"tags": EC2_TAG_EVENTS, **more.pop("by_path", {})}
    touched = {"CreateTags": EC2_TAGGED_IDS, "DeleteTags": EC2_TAGGED_IDS} if tagged else {}
    touched.update(more.pop("touched_by", {}))
    changed = tuple(dict.fromkeys([*(e for events in by_path.values() for e in events)]))
    return TypeEvents(id_prefix=id_prefix, changed=changed, by_path=by_path, touched_by=touched, **more)


# --- the default security group ------------------------------------------------------------

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
        # Tag edits are read as this type when the state declares the group so; rule edits
        # are followed by aws_security_group (an adopted default group's wait for the scan).
        events=_tag_events("sg-"),
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
            tagged=False,  # aws_vpc follows the VPC's tags, tenancy and attributes
            touched_by={"AssociateDhcpOptions": "requestParameters.vpcId"},
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
        to_attrs=acl_attrs,
        normalise_desired=acl_declared,
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


# --- VPC endpoints ------------------------------------------------------------------------------

_ENDPOINT_GONE = ("deleted", "deleting", "failed", "rejected", "expired")
# Sets an endpoint holds, Terraform attribute -> (AWS field, ModifyVpcEndpoint's add/remove stem).
_ENDPOINT_SETS = {
    "route_table_ids": ("RouteTableIds", "RouteTableIds"),
    "subnet_ids": ("SubnetIds", "SubnetIds"),
    "security_group_ids": ("Groups", "SecurityGroupIds"),
}


def _endpoint_attrs(item: dict[str, Any]) -> Attrs:
    groups = [g["GroupId"] if isinstance(g, dict) else g for g in item.get("Groups") or []]
    return {
        "vpc_id": item.get("VpcId"),
        "service_name": item.get("ServiceName"),
        "vpc_endpoint_type": item.get("VpcEndpointType") or "Gateway",
        "policy": normalise_policy(item.get("PolicyDocument")),
        # Private DNS is an interface endpoint's; moto reports it on gateway endpoints too.
        "private_dns_enabled": bool(item.get("PrivateDnsEnabled"))
        and item.get("VpcEndpointType") == "Interface",
        "route_table_ids": sorted(item.get("RouteTableIds") or []),
        "subnet_ids": sorted(item.get("SubnetIds") or []),
        "security_group_ids": sorted(groups),
        "tags": tags(item),
    }


def _endpoint_desired(attrs: Attrs) -> Attrs:
    return {
        "vpc_id": attrs.get("vpc_id"),
        "service_name": attrs.get("service_name"),
        "vpc_endpoint_type": attrs.get("vpc_endpoint_type") or "Gateway",
        "policy": normalise_policy(attrs.get("policy")),
        "private_dns_enabled": bool(attrs.get("private_dns_enabled"))
        and attrs.get("vpc_endpoint_type") == "Interface",
        **{name: sorted(attrs.get(name) or []) for name in _ENDPOINT_SETS},
        "tags": declared_tags(attrs),
    }


@writes("modify_vpc_endpoint", ec2_tag_calls)
def _endpoint_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    """One ModifyVpcEndpoint puts back the policy, private DNS and every set that changed."""
    params: dict[str, Any] = {}
    for change in changes:
        if change.path in _ENDPOINT_SETS:
            stem = _ENDPOINT_SETS[change.path][1]
            expected, actual = set(change.expected or []), set(change.actual or [])
            if expected - actual:
                params[f"Add{stem}"] = sorted(expected - actual)
            if actual - expected:
                params[f"Remove{stem}"] = sorted(actual - expected)
        elif change.path == "policy":
            if change.expected:
                params["PolicyDocument"] = change.expected
            else:
                params["ResetPolicy"] = True
        elif change.path == "private_dns_enabled":
            params["PrivateDnsEnabled"] = bool(change.expected)
    calls = [AwsCall("ec2", "modify_vpc_endpoint", {"VpcEndpointId": resource.id, **params}, resource.region)]
    return (calls if params else []) + ec2_tag_calls(resource, changes)


_ENDPOINT_EVENTS = TypeEvents(
    id_prefix="vpce-",
    missing=("DeleteVpcEndpoints",),
    unmanaged=("CreateVpcEndpoint",),
    changed=("ModifyVpcEndpoint", *EC2_TAG_EVENTS),
    by_path={
        **{name: ("ModifyVpcEndpoint",) for name in (*_ENDPOINT_SETS, "policy", "private_dns_enabled")},
        "tags": EC2_TAG_EVENTS,
    },
    touched_by={
        "ModifyVpcEndpoint": "requestParameters.ModifyVpcEndpointRequest.VpcEndpointId",
        # One id is an object, several a list (EC2's query-API shape in CloudTrail).
        "DeleteVpcEndpoints": "requestParameters.DeleteVpcEndpointsRequest.VpcEndpointId[].content "
        "|| requestParameters.DeleteVpcEndpointsRequest.VpcEndpointId.content",
        "CreateVpcEndpoint": "responseElements.CreateVpcEndpointResponse.vpcEndpoint.vpcEndpointId",
        "CreateTags": EC2_TAGGED_IDS,
        "DeleteTags": EC2_TAGGED_IDS,
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_vpc_endpoint",
        service="ec2",
        list_call="describe_vpc_endpoints",
        items_path="VpcEndpoints",
        id_key="VpcEndpointId",
        keep_item=lambda item: str(item.get("State") or "").lower() not in _ENDPOINT_GONE,
        to_attrs=_endpoint_attrs,
        normalise_desired=_endpoint_desired,
        compared=(
            "vpc_id",
            "service_name",
            "vpc_endpoint_type",
            "policy",
            "private_dns_enabled",
            *_ENDPOINT_SETS,
            "tags",
        ),
        # aws_vpc_endpoint_policy and the *_association types set these on their own.
        compared_if_declared=("policy", *_ENDPOINT_SETS),
        ignored={
            "auto_accept": "Terraform-only setting (accepts the endpoint on a service it owns)",
            "arn": "computed",
            "cidr_blocks": "computed: the prefix list's CIDRs",
            "dns_entry": "computed by AWS",
            "dns_options": "follows private_dns_enabled and the service; not compared yet",
            "ip_address_type": "fixed at creation in practice; not compared yet",
            "network_interface_ids": "computed: one interface per subnet",
            "owner_id": "computed",
            "prefix_list_id": "computed",
            "requester_managed": "computed; an endpoint a service manages is never unmanaged",
            "resource_configuration_arn": "fixed at creation",
            "service_network_arn": "fixed at creation",
            "service_region": "fixed at creation",
            "state": "the endpoint's lifecycle, not configuration",
            "subnet_configuration": "per-subnet addresses, assigned by AWS unless set",
            "timeouts": "Terraform-only setting",
        },
        # Made by a service on its own (Network Firewall, a Gateway Load Balancer's consumer).
        aws_default=lambda item: bool(item.get("RequesterManaged")),
        restore_calls=_endpoint_restore,
        restorable=("policy", "private_dns_enabled", *_ENDPOINT_SETS, "tags"),
        delete_calls=writes("delete_vpc_endpoints")(
            lambda r: [AwsCall("ec2", "delete_vpc_endpoints", {"VpcEndpointIds": [r.id]}, r.region)]
        ),
        describe=lambda resource: f"VPC endpoint {resource.attrs.get('service_name') or resource.id}",
        read_params=lambda r: {"VpcEndpointIds": [r.id]},
        events=_ENDPOINT_EVENTS,
    )
)


# --- VPC peering connections --------------------------------------------------------------------

_PEERING_GONE = ("deleted", "deleting", "rejected", "failed", "expired")


def _dns_option(info: Any) -> list[Attrs]:
    options = (info or {}).get("PeeringOptions")
    if options is None:
        return []
    return [{"allow_remote_vpc_dns_resolution": bool(options.get("AllowDnsResolutionFromRemoteVpc"))}]


def _declared_option(blocks: Any) -> list[Attrs]:
    return [
        {"allow_remote_vpc_dns_resolution": bool(b.get("allow_remote_vpc_dns_resolution"))}
        for b in blocks or []
    ]


def _peering_attrs(item: dict[str, Any]) -> Attrs:
    requester, accepter = item.get("RequesterVpcInfo") or {}, item.get("AccepterVpcInfo") or {}
    return {
        "vpc_id": requester.get("VpcId"),
        "peer_vpc_id": accepter.get("VpcId"),
        "peer_owner_id": accepter.get("OwnerId"),
        "peer_region": accepter.get("Region"),
        "requester": _dns_option(requester),
        "accepter": _dns_option(accepter),
        "tags": tags(item),
    }


REGISTRY.register(
    ResourceType(
        name="aws_vpc_peering_connection",
        service="ec2",
        list_call="describe_vpc_peering_connections",
        items_path="VpcPeeringConnections",
        id_key="VpcPeeringConnectionId",
        keep_item=lambda item: (item.get("Status") or {}).get("Code") not in _PEERING_GONE,
        to_attrs=_peering_attrs,
        normalise_desired=lambda attrs: {
            "vpc_id": attrs.get("vpc_id"),
            "peer_vpc_id": attrs.get("peer_vpc_id"),
            "peer_owner_id": attrs.get("peer_owner_id") or None,
            "peer_region": attrs.get("peer_region") or None,
            "requester": _declared_option(attrs.get("requester")),
            "accepter": _declared_option(attrs.get("accepter")),
            "tags": declared_tags(attrs),
        },
        compared=("vpc_id", "peer_vpc_id", "peer_owner_id", "peer_region", "requester", "accepter", "tags"),
        # The options exist once the connection is active (and aws_vpc_peering_connection_options
        # may hold them instead): compared when the state has them.
        compared_if_declared=("peer_owner_id", "peer_region", "requester", "accepter"),
        ignored={
            "accept_status": "the connection's lifecycle; a deleted or rejected one is missing",
            "auto_accept": "Terraform-only setting",
            "timeouts": "Terraform-only setting",
        },
        restore_calls=ec2_tags_only,
        delete_calls=writes("delete_vpc_peering_connection")(
            lambda r: [
                AwsCall("ec2", "delete_vpc_peering_connection", {"VpcPeeringConnectionId": r.id}, r.region)
            ]
        ),
        describe=lambda resource: (
            f"peering {resource.attrs.get('vpc_id')} to {resource.attrs.get('peer_vpc_id')}"
        ),
        read_params=lambda r: {"VpcPeeringConnectionIds": [r.id]},
        events=TypeEvents(
            id_prefix="pcx-",
            missing=("DeleteVpcPeeringConnection", "RejectVpcPeeringConnection"),
            unmanaged=("CreateVpcPeeringConnection",),
            changed=("ModifyVpcPeeringConnectionOptions", *EC2_TAG_EVENTS),
            by_path={
                "requester": ("ModifyVpcPeeringConnectionOptions",),
                "accepter": ("ModifyVpcPeeringConnectionOptions",),
                "tags": EC2_TAG_EVENTS,
            },
            touched_by={
                "DeleteVpcPeeringConnection": "requestParameters.vpcPeeringConnectionId",
                "RejectVpcPeeringConnection": "requestParameters.vpcPeeringConnectionId",
                "ModifyVpcPeeringConnectionOptions": "requestParameters.vpcPeeringConnectionId",
                "CreateVpcPeeringConnection": "responseElements.vpcPeeringConnection.vpcPeeringConnectionId",
                "CreateTags": EC2_TAGGED_IDS,
                "DeleteTags": EC2_TAGGED_IDS,
            },
        ),
    )
)


# --- elastic IP associations --------------------------------------------------------------------


def _association_target(attrs: Attrs) -> dict[str, Any]:
    """By instance when declared (AWS picks its primary interface), else interface and address."""
    if attrs.get("instance_id"):
        return {"InstanceId": attrs["instance_id"]}
    target: dict[str, Any] = {"NetworkInterfaceId": attrs.get("network_interface_id")}
    if attrs.get("private_ip_address"):
        target["PrivateIpAddress"] = attrs["private_ip_address"]
    return target


@writes("associate_address")
def _associate(declared: Resource) -> list[AwsCall]:
    params = {"AllocationId": declared.attrs.get("allocation_id"), **_association_target(declared.attrs)}
    return [AwsCall("ec2", "associate_address", params, declared.region)]


@writes("associate_address")
def _reassociate(declared: Resource, live: Resource | None, _: tuple[Change, ...]) -> list[AwsCall]:
    params = {
        "AllocationId": declared.attrs.get("allocation_id"),
        **_association_target(declared.attrs),
        "AllowReassociation": True,
    }
    return [AwsCall("ec2", "associate_address", params, live.region if live else declared.region)]


REGISTRY.register(
    ResourceType(
        name="aws_eip_association",
        service="ec2",
        list_call="describe_addresses",
        items_path="Addresses",
        id_key="AssociationId",
        keep_item=lambda item: bool(item.get("AssociationId") and item.get("AllocationId")),
        to_attrs=lambda item: {
            "allocation_id": item.get("AllocationId"),
            "instance_id": item.get("InstanceId") or None,
            "network_interface_id": item.get("NetworkInterfaceId") or None,
            "private_ip_address": item.get("PrivateIpAddress") or None,
        },
        normalise_desired=lambda attrs: {
            "allocation_id": attrs.get("allocation_id"),
            "instance_id": attrs.get("instance_id") or None,
            "network_interface_id": attrs.get("network_interface_id") or None,
            "private_ip_address": attrs.get("private_ip_address") or None,
        },
        compared=("instance_id", "network_interface_id", "private_ip_address"),
        compared_if_declared=("network_interface_id", "private_ip_address"),
        ignored={
            "allocation_id": "the association's key: an address has one association at a time",
            "public_ip": "follows allocation_id (EC2-Classic addresses are not read)",
            "allow_reassociation": "Terraform-only setting",
        },
        # An address holds one association, re-made with a new id: matched by the address.
        match_key=lambda resource: str(resource.attrs.get("allocation_id") or resource.id),
        # An association in no state is its aws_eip's `instance`, or a NAT gateway's or a
        # load balancer's own: never reported on its own.
        aws_default=_always,
        describe=lambda resource: (
            f"association of {resource.attrs.get('allocation_id')} with "
            f"{resource.attrs.get('instance_id') or resource.attrs.get('network_interface_id')}"
        ),
        restore_calls=_reassociate,
        restorable=("*",),
        recreate_calls=_associate,
        read_params=lambda r: {"AllocationIds": [str(r.attrs.get("allocation_id") or "")]},
        events=TypeEvents(
            id_prefix="eipassoc-",
            missing=("DisassociateAddress",),
            unmanaged=("AssociateAddress",),
            changed=("AssociateAddress",),
            touched_by={
                "DisassociateAddress": "requestParameters.associationId",
                "AssociateAddress": "responseElements.associationId",
            },
        ),
    )
)


# --- route table associations -------------------------------------------------------------------


def _split_associations(table: dict[str, Any]) -> list[Attrs]:
    """A table's explicit associations; the main one is the VPC's (aws_main_route_table_association)."""
    return [
        {**association, "RouteTableId": table["RouteTableId"]}
        for association in table.get("Associations") or []
        if not association.get("Main")
        and (association.get("AssociationState") or {}).get("State", "associated") == "associated"
    ]


def _association_params(attrs: Attrs) -> dict[str, Any]:
    if attrs.get("subnet_id"):
        return {"SubnetId": attrs["subnet_id"]}
    return {"GatewayId": attrs.get("gateway_id")}


@writes("associate_route_table")
def _associate_table(declared: Resource) -> list[AwsCall]:
    params = {"RouteTableId": declared.attrs.get("route_table_id"), **_association_params(declared.attrs)}
    return [AwsCall("ec2", "associate_route_table", params, declared.region)]


@writes("replace_route_table_association")
def _replace_association(declared: Resource, live: Resource | None, _: tuple[Change, ...]) -> list[AwsCall]:
    if live is None:
        return []
    params = {"AssociationId": live.id, "RouteTableId": declared.attrs.get("route_table_id")}
    return [AwsCall("ec2", "replace_route_table_association", params, live.region)]


REGISTRY.register(
    ResourceType(
        name="aws_route_table_association",
        service="ec2",
        list_call="describe_route_tables",
        items_path="RouteTables",
        split_item=_split_associations,
        id_key="RouteTableAssociationId",
        to_attrs=lambda item: {
            "route_table_id": item.get("RouteTableId"),
            "subnet_id": item.get("SubnetId") or None,
            "gateway_id": item.get("GatewayId") or None,
        },
        normalise_desired=lambda attrs: {
            "route_table_id": attrs.get("route_table_id"),
            "subnet_id": attrs.get("subnet_id") or None,
            "gateway_id": attrs.get("gateway_id") or None,
        },
        compared=("route_table_id",),
        ignored={
            "subnet_id": "the association's key: a subnet has one route table",
            "gateway_id": "the association's key: an edge gateway has one route table",
            "timeouts": "Terraform-only setting",
        },
        # A subnet moved to another table gets a new association: matched by the subnet.
        match_key=lambda resource: str(
            resource.attrs.get("subnet_id") or resource.attrs.get("gateway_id") or resource.id
        ),
        parent=("route_table_id", "aws_route_table"),
        describe=lambda resource: (
            f"association of {resource.attrs.get('subnet_id') or resource.attrs.get('gateway_id')}"
        ),
        restore_calls=_replace_association,
        restorable=("route_table_id",),
        recreate_calls=_associate_table,
        delete_calls=writes("disassociate_route_table")(
            lambda r: [AwsCall("ec2", "disassociate_route_table", {"AssociationId": r.id}, r.region)]
        ),
        events=TypeEvents(
            id_prefix="rtbassoc-",
            missing=("DisassociateRouteTable",),
            unmanaged=("AssociateRouteTable",),
            changed=("ReplaceRouteTableAssociation",),
            touched_by={
                "DisassociateRouteTable": "requestParameters.associationId",
                "ReplaceRouteTableAssociation": "requestParameters.associationId",
                "AssociateRouteTable": "responseElements.associationId",
            },
        ),
    )
)


# --- DHCP options sets --------------------------------------------------------------------------

_DHCP_KEYS = {
    "domain_name": "domain-name",
    "domain_name_servers": "domain-name-servers",
    "ntp_servers": "ntp-servers",
    "netbios_name_servers": "netbios-name-servers",
    "netbios_node_type": "netbios-node-type",
    "ipv6_address_preferred_lease_time": "ipv6-address-preferred-lease-time",
}
_LISTS = ("domain_name_servers", "ntp_servers", "netbios_name_servers")


def _dhcp_values(item: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for configuration in item.get("DhcpConfigurations") or []:
        values = [v.get("Value") if isinstance(v, dict) else v for v in configuration.get("Values") or []]
        found[str(configuration.get("Key"))] = [str(v) for v in values if v is not None]
    return found


def _dhcp_attrs(item: dict[str, Any]) -> Attrs:
    values = _dhcp_values(item)
    attrs: Attrs = {}
    for name, key in _DHCP_KEYS.items():
        found = values.get(key) or []
        attrs[name] = found if name in _LISTS else (found[0] if found else None)
    attrs["tags"] = tags(item)
    return attrs


def _made_by_aws(item: dict[str, Any]) -> bool:
    """The set AWS makes for the default VPC: its region's internal domain, Amazon's resolver."""
    values = _dhcp_values(item)
    domain = (values.get("domain-name") or [""])[0]
    return (
        set(values) <= {"domain-name", "domain-name-servers"}
        and values.get("domain-name-servers") == ["AmazonProvidedDNS"]
        and (domain == "ec2.internal" or domain.endswith(".compute.internal"))
        and not tags(item)
    )


REGISTRY.register(
    ResourceType(
        name="aws_vpc_dhcp_options",
        service="ec2",
        list_call="describe_dhcp_options",
        items_path="DhcpOptions",
        id_key="DhcpOptionsId",
        to_attrs=_dhcp_attrs,
        normalise_desired=lambda attrs: {
            **{name: list(attrs.get(name) or []) for name in _LISTS},
            **{
                name: (str(attrs[name]) if attrs.get(name) else None)
                for name in _DHCP_KEYS
                if name not in _LISTS
            },
            "tags": declared_tags(attrs),
        },
        # AWS never edits a set in place (a change is a new set, which the VPC's
        # dhcp_options_id shows); comparing the options still catches a state that lies.
        compared=(*_DHCP_KEYS, "tags"),
        ignored={"arn": "computed", "owner_id": "computed"},
        aws_default=_made_by_aws,
        restore_calls=ec2_tags_only,
        delete_calls=writes("delete_dhcp_options")(
            lambda r: [AwsCall("ec2", "delete_dhcp_options", {"DhcpOptionsId": r.id}, r.region)]
        ),
        describe=lambda resource: f"DHCP options {resource.attrs.get('domain_name') or resource.id}",
        read_params=lambda r: {"DhcpOptionsIds": [r.id]},
        events=TypeEvents(
            id_prefix="dopt-",
            missing=("DeleteDhcpOptions",),
            unmanaged=("CreateDhcpOptions",),
            changed=EC2_TAG_EVENTS,
            by_path={"tags": EC2_TAG_EVENTS},
            touched_by={
                "DeleteDhcpOptions": "requestParameters.dhcpOptionsId",
                "CreateDhcpOptions": "responseElements.dhcpOptions.dhcpOptionsId",
                "CreateTags": EC2_TAGGED_IDS,
                "DeleteTags": EC2_TAGGED_IDS,
            },
        ),
    )
)


# --- VPC flow logs --------------------------------------------------------------------------------

# What a flow log watches, by the id's prefix, in the aws_flow_log attribute shape.
_FLOW_SOURCES = {
    "vpc-": ("vpc_id", "VPC"),
    "subnet-": ("subnet_id", "Subnet"),
    "eni-": ("eni_id", "NetworkInterface"),
    "tgw-attach-": ("transit_gateway_attachment_id", "TransitGatewayAttachment"),
    "tgw-": ("transit_gateway_id", "TransitGateway"),
}


def _flow_destination(kind: Any, destination: Any, group_name: Any) -> str | None:
    """A log group by its name (state holds its ARN, AWS may answer either); a bucket or stream by ARN."""
    if (kind or "cloud-watch-logs") == "cloud-watch-logs":
        text = str(destination or "")
        if ":log-group:" in text:
            return text.split(":log-group:", 1)[1].removesuffix(":*")
        return str(group_name or destination or "") or None
    return str(destination) if destination else None


def _flow_source(resource_id: str) -> dict[str, str | None]:
    found: dict[str, str | None] = {name: None for name, _ in _FLOW_SOURCES.values()}
    for prefix, (name, _) in _FLOW_SOURCES.items():
        if resource_id.startswith(prefix):
            found[name] = resource_id
            break
    return found


def _watched(attrs: Attrs) -> str:
    return next((str(attrs[name]) for name, _ in _FLOW_SOURCES.values() if attrs.get(name)), "")


def _flow_attrs(item: dict[str, Any]) -> Attrs:
    kind = item.get("LogDestinationType") or "cloud-watch-logs"
    return {
        **_flow_source(str(item.get("ResourceId") or "")),
        "traffic_type": item.get("TrafficType"),
        "log_destination_type": kind,
        "log_destination": _flow_destination(kind, item.get("LogDestination"), item.get("LogGroupName")),
        "iam_role_arn": item.get("DeliverLogsPermissionArn") or None,
        "log_format": item.get("LogFormat") or None,
        "max_aggregation_interval": int(item.get("MaxAggregationInterval") or 600),
        "tags": tags(item),
    }


def _flow_desired(attrs: Attrs) -> Attrs:
    kind = attrs.get("log_destination_type") or "cloud-watch-logs"
    return {
        **_flow_source(_watched(attrs)),
        "traffic_type": attrs.get("traffic_type"),
        "log_destination_type": kind,
        "log_destination": _flow_destination(kind, attrs.get("log_destination"), attrs.get("log_group_name")),
        "iam_role_arn": attrs.get("iam_role_arn") or None,
        "log_format": attrs.get("log_format") or None,
        "max_aggregation_interval": int(attrs.get("max_aggregation_interval") or 600),
        "tags": declared_tags(attrs),
    }


def _flow_key(resource: Resource) -> str:
    """A flow log re-made by hand has a new id: the same source, traffic and destination is it."""
    attrs = resource.attrs
    return f"{_watched(attrs) or resource.id}|{attrs.get('traffic_type')}|{attrs.get('log_destination')}"


@writes("create_flow_logs")
def _recreate_flow_log(declared: Resource) -> list[AwsCall]:
    attrs = declared.attrs
    source = next(
        ((attrs[name], kind) for name, kind in _FLOW_SOURCES.values() if attrs.get(name)), (None, None)
    )
    if source[0] is None or not attrs.get("log_destination"):
        return []
    params: dict[str, Any] = {
        "ResourceIds": [source[0]],
        "ResourceType": source[1],
        "TrafficType": attrs.get("traffic_type"),
        "LogDestinationType": attrs.get("log_destination_type"),
        "MaxAggregationInterval": attrs.get("max_aggregation_interval"),
    }
    if attrs.get("log_destination_type") == "cloud-watch-logs":
        params["LogGroupName"] = attrs["log_destination"]
    else:
        params["LogDestination"] = attrs["log_destination"]
    if attrs.get("iam_role_arn"):
        params["DeliverLogsPermissionArn"] = attrs["iam_role_arn"]
    if attrs.get("log_format"):
        params["LogFormat"] = attrs["log_format"]
    if attrs.get("tags"):
        params["TagSpecifications"] = [
            {
                "ResourceType": "vpc-flow-log",
                "Tags": [{"Key": k, "Value": v} for k, v in attrs["tags"].items()],
            }
        ]
    return [AwsCall("ec2", "create_flow_logs", params, declared.region)]


REGISTRY.register(
    ResourceType(
        name="aws_flow_log",
        service="ec2",
        list_call="describe_flow_logs",
        items_path="FlowLogs",
        id_key="FlowLogId",
        to_attrs=_flow_attrs,
        normalise_desired=_flow_desired,
        compared=(
            *(name for name, _ in _FLOW_SOURCES.values()),
            "traffic_type",
            "log_destination_type",
            "log_destination",
            "iam_role_arn",
            "log_format",
            "max_aggregation_interval",
            "tags",
        ),
        # AWS's default format when none is declared; the provider stores what AWS answers.
        compared_if_declared=("log_format",),
        ignored={
            "log_group_name": "deprecated alias of log_destination, which is compared",
            "deliver_cross_account_role": "fixed at creation",
            "destination_options": "fixed at creation (file format, partitioning)",
            "arn": "computed",
        },
        match_key=_flow_key,
        describe=lambda resource: f"flow log of {_watched(resource.attrs) or resource.id}",
        restore_calls=ec2_tags_only,
        recreate_calls=_recreate_flow_log,
        delete_calls=writes("delete_flow_logs")(
            lambda r: [AwsCall("ec2", "delete_flow_logs", {"FlowLogIds": [r.id]}, r.region)]
        ),
        read_params=lambda r: {"FlowLogIds": [r.id]},
        events=TypeEvents(
            id_prefix="fl-",
            missing=("DeleteFlowLogs",),
            unmanaged=("CreateFlowLogs",),
            changed=EC2_TAG_EVENTS,
            by_path={"tags": EC2_TAG_EVENTS},
            touched_by={
                "DeleteFlowLogs": "requestParameters.DeleteFlowLogsRequest.FlowLogId.content",
                "CreateFlowLogs": "responseElements.CreateFlowLogsResponse.flowLogIdSet.item",
                "CreateTags": EC2_TAGGED_IDS,
                "DeleteTags": EC2_TAGGED_IDS,
            },
        ),
    )
)


# --- transit gateways -----------------------------------------------------------------------------

# The options a console edit can change (ModifyTransitGateway), attribute -> AWS option.
_TGW_OPTIONS = {
    "auto_accept_shared_attachments": "AutoAcceptSharedAttachments",
    "default_route_table_association": "DefaultRouteTableAssociation",
    "default_route_table_propagation": "DefaultRouteTablePropagation",
    "dns_support": "DnsSupport",
    "vpn_ecmp_support": "VpnEcmpSupport",
    "security_group_referencing_support": "SecurityGroupReferencingSupport",
}
_TGW_DEFAULTS = {
    "auto_accept_shared_attachments": "disable",
    "default_route_table_association": "enable",
    "default_route_table_propagation": "enable",
    "dns_support": "enable",
    "vpn_ecmp_support": "enable",
    "security_group_referencing_support": "disable",
}


def _asn(value: Any) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _tgw_attrs(item: dict[str, Any]) -> Attrs:
    options = item.get("Options") or {}
    return {
        "description": item.get("Description") or None,
        "amazon_side_asn": _asn(options.get("AmazonSideAsn")),
        **{name: options.get(key) or _TGW_DEFAULTS[name] for name, key in _TGW_OPTIONS.items()},
        "multicast_support": options.get("MulticastSupport") or "disable",
        "transit_gateway_cidr_blocks": sorted(options.get("TransitGatewayCidrBlocks") or []),
        "tags": tags(item),
    }


def _tgw_desired(attrs: Attrs) -> Attrs:
    return {
        "description": attrs.get("description") or None,
        "amazon_side_asn": _asn(attrs.get("amazon_side_asn")),
        **{name: attrs.get(name) or _TGW_DEFAULTS[name] for name in _TGW_OPTIONS},
        "multicast_support": attrs.get("multicast_support") or "disable",
        "transit_gateway_cidr_blocks": sorted(attrs.get("transit_gateway_cidr_blocks") or []),
        "tags": declared_tags(attrs),
    }


@writes("modify_transit_gateway", ec2_tag_calls)
def _tgw_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    params: dict[str, Any] = {}
    options: dict[str, Any] = {}
    for change in changes:
        if change.path == "description":
            params["Description"] = change.expected or ""
        elif change.path in _TGW_OPTIONS and change.expected:
            options[_TGW_OPTIONS[change.path]] = change.expected
        elif change.path == "amazon_side_asn" and change.expected:
            options["AmazonSideAsn"] = change.expected
    if options:
        params["Options"] = options
    call = AwsCall(
        "ec2", "modify_transit_gateway", {"TransitGatewayId": resource.id, **params}, resource.region
    )
    return ([call] if params else []) + ec2_tag_calls(resource, changes)


_TGW_ID = "requestParameters.ModifyTransitGatewayRequest.TransitGatewayId"

REGISTRY.register(
    ResourceType(
        name="aws_ec2_transit_gateway",
        service="ec2",
        list_call="describe_transit_gateways",
        items_path="TransitGateways",
        id_key="TransitGatewayId",
        keep_item=lambda item: item.get("State") not in ("deleted", "deleting", "failed"),
        to_attrs=_tgw_attrs,
        normalise_desired=_tgw_desired,
        compared=(
            "description",
            "amazon_side_asn",
            *_TGW_OPTIONS,
            "multicast_support",
            "transit_gateway_cidr_blocks",
            "tags",
        ),
        compared_if_declared=("security_group_referencing_support",),  # newer than many states
        ignored={
            "association_default_route_table_id": "computed: the route table AWS makes",
            "propagation_default_route_table_id": "computed: the route table AWS makes",
            "arn": "computed",
            "owner_id": "computed",
            "timeouts": "Terraform-only setting",
        },
        restore_calls=_tgw_restore,
        restorable=("description", "amazon_side_asn", *_TGW_OPTIONS, "tags"),
        delete_calls=writes("delete_transit_gateway")(
            lambda r: [AwsCall("ec2", "delete_transit_gateway", {"TransitGatewayId": r.id}, r.region)]
        ),
        describe=lambda resource: f"transit gateway {resource.attrs.get('description') or resource.id}",
        read_params=lambda r: {"TransitGatewayIds": [r.id]},
        # The bridge's module `ec2transitgateway` is Terraform's `ec2_transit_gateway`.
        pulumi_tokens=("aws:ec2transitgateway/transitGateway:TransitGateway",),
        events=TypeEvents(
            id_prefix="tgw-",
            missing=("DeleteTransitGateway",),
            unmanaged=("CreateTransitGateway",),
            changed=("ModifyTransitGateway", *EC2_TAG_EVENTS),
            by_path={
                **{
                    name: ("ModifyTransitGateway",)
                    for name in ("description", "amazon_side_asn", *_TGW_OPTIONS)
                },
                "tags": EC2_TAG_EVENTS,
            },
            touched_by={
                "ModifyTransitGateway": _TGW_ID,
                "DeleteTransitGateway": "requestParameters.DeleteTransitGatewayRequest.TransitGatewayId",
                "CreateTransitGateway": (
                    "responseElements.CreateTransitGatewayResponse.transitGateway.transitGatewayId"
                ),
                "CreateTags": EC2_TAGGED_IDS,
                "DeleteTags": EC2_TAGGED_IDS,
            },
        ),
    )
)
