"""VPC network types: VPCs, subnets, security groups, routes and route tables, gateways, NACLs."""

from __future__ import annotations

import ipaddress
import zlib
from collections.abc import Mapping
from typing import Any

from guard.live.events import Prefixed, TypeEvents, edits
from guard.live.resources.security_group_rules import RULE_CALLS, group_rule_facts, protocol
from guard.live.shape import (
    EC2_TAG_EVENTS,
    EC2_TAGGED_IDS,
    declared_tags,
    ec2_tag_calls,
    ec2_tags_only,
    first_set,
    tags,
    with_declared_tags,
)
from guard.live.types import (
    REGISTRY,
    Attrs,
    Expansion,
    GraphHooks,
    GraphRole,
    KnownType,
    ResourceType,
    writes,
)
from guard.model import AwsCall, Change, Resource

ROUTE = "aws_route"
DESTINATIONS = ("destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id")
# Every target a route can have, in the aws_route attribute shape, with the AWS field it comes from.
TARGETS = {
    "carrier_gateway_id": "CarrierGatewayId",
    "core_network_arn": "CoreNetworkArn",
    "egress_only_gateway_id": "EgressOnlyInternetGatewayId",
    "gateway_id": "GatewayId",
    "local_gateway_id": "LocalGatewayId",
    "nat_gateway_id": "NatGatewayId",
    "network_interface_id": "NetworkInterfaceId",
    "transit_gateway_id": "TransitGatewayId",
    "vpc_endpoint_id": "VpcEndpointId",
    "vpc_peering_connection_id": "VpcPeeringConnectionId",
}


def _cidr(value: Any) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_network(str(value), strict=False))
    except ValueError:
        return str(value)


def _blank(value: Any) -> Any:
    return value if value not in ("", None) else None


_GROUP = "requestParameters.groupId"


_VPC_EVENTS = TypeEvents(
    id_prefix="vpc-",
    missing=("DeleteVpc",),
    unmanaged=("CreateVpc",),
    changed=("ModifyVpcAttribute", "ModifyVpcTenancy", *EC2_TAG_EVENTS),
    by_path={"instance_tenancy": ("ModifyVpcTenancy",), "tags": EC2_TAG_EVENTS},
    touched_by={
        "DeleteVpc": "requestParameters.vpcId",
        "ModifyVpcAttribute": "requestParameters.vpcId",
        "ModifyVpcTenancy": "requestParameters.ModifyVpcTenancyRequest.VpcId",
        "CreateVpc": "responseElements.vpc.vpcId",
        "CreateTags": EC2_TAGGED_IDS,
        "DeleteTags": EC2_TAGGED_IDS,
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
        normalise_desired=lambda attrs: with_declared_tags(attrs, ("cidr_block", "instance_tenancy")),
        compared=("cidr_block", "instance_tenancy", "tags"),
        ignored={
            "enable_dns_support": "needs one DescribeVpcAttribute call per VPC",
            "enable_dns_hostnames": "needs one DescribeVpcAttribute call per VPC",
            "default_security_group_id": "computed by AWS",
            "main_route_table_id": "computed by AWS",
            "default_network_acl_id": "computed by AWS",
        },
        aws_default=lambda item: bool(item.get("IsDefault")),
        restore_calls=ec2_tags_only,
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
    changed=("ModifySubnetAttribute", *EC2_TAG_EVENTS),
    by_path={"map_public_ip_on_launch": ("ModifySubnetAttribute",), "tags": EC2_TAG_EVENTS},
    touched_by={
        "DeleteSubnet": "requestParameters.subnetId",
        "ModifySubnetAttribute": "requestParameters.subnetId",
        "CreateSubnet": "responseElements.subnet.subnetId",
        "CreateTags": EC2_TAGGED_IDS,
        "DeleteTags": EC2_TAGGED_IDS,
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
            **with_declared_tags(attrs, ("vpc_id", "cidr_block", "availability_zone")),
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
    changed=EC2_TAG_EVENTS,
    by_path={"tags": EC2_TAG_EVENTS},
    touched_by={
        **RULE_CALLS,
        "DeleteSecurityGroup": _GROUP,
        "CreateSecurityGroup": "responseElements.groupId",
        "CreateTags": EC2_TAGGED_IDS,
        "DeleteTags": EC2_TAGGED_IDS,
    },
)


def _group_made_elsewhere(item: Attrs) -> bool:
    """A VPC's default group, and groups a service made for itself: EKS's cluster security
    group (eks-cluster-sg-*, tagged aws:eks:cluster-name), the SSH group EKS makes for a
    managed node group with remote access (eks-remoteAccess-*), a CloudFormation stack's."""
    name = str(item.get("GroupName") or "")
    return (
        name == "default"
        or name.startswith("eks-remoteAccess-")
        or any(str(tag.get("Key", "")).startswith("aws:") for tag in item.get("Tags") or [])
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
        normalise_desired=lambda attrs: with_declared_tags(attrs, ("name", "description", "vpc_id")),
        compared=("name", "description", "vpc_id", "tags"),
        ignored={
            "ingress": "compared rule by rule (aws_vpc_security_group_ingress_rule)",
            "egress": "compared rule by rule (aws_vpc_security_group_egress_rule)",
            "revoke_rules_on_delete": "Terraform-only setting",
        },
        aws_default=_group_made_elsewhere,
        restore_calls=ec2_tags_only,
        describe=lambda resource: f"security group {resource.attrs.get('name') or resource.id}",
        delete_calls=writes("delete_security_group")(
            lambda r: [AwsCall("ec2", "delete_security_group", {"GroupId": r.id}, r.region)]
        ),
        read_params=lambda r: {"GroupIds": [r.id]},
        graph=GraphHooks(role=GraphRole.SECURITY_GROUP),
        rule_facts=group_rule_facts,
    )
)


# --- routes --------------------------------------------------------------------------


def terraform_route_id(route_table_id: str, destination: str) -> str:
    """The id the provider gives an aws_route: r-<table><crc32 of the destination>."""
    return f"r-{route_table_id}{zlib.crc32(destination.encode())}"


def route_attrs(route_table_id: str, destinations: Mapping[str, Any], targets: Mapping[str, Any]) -> Attrs:
    """The one shape every route is compared in, whichever form declared it."""
    attrs: Attrs = {
        "route_table_id": route_table_id,
        "destination_cidr_block": _cidr(destinations.get("destination_cidr_block")),
        "destination_ipv6_cidr_block": _cidr(destinations.get("destination_ipv6_cidr_block")),
        "destination_prefix_list_id": _blank(destinations.get("destination_prefix_list_id")),
    }
    found = {name: _blank(targets.get(name)) for name in TARGETS}
    gateway = found.get("gateway_id") or ""
    # AWS reports a NAT gateway or a Gateway Load Balancer endpoint as GatewayId too.
    if gateway.startswith("nat-"):
        found.update(gateway_id=None, nat_gateway_id=gateway)
    elif gateway.startswith("vpce-"):
        found.update(gateway_id=None, vpc_endpoint_id=gateway)
    attrs.update(found)
    return attrs


def destination(attrs: Attrs) -> str:
    return first_set(attrs, DESTINATIONS, "")


def target(attrs: Attrs) -> str:
    return first_set(attrs, TARGETS, "nowhere")


def _route_key(resource: Resource) -> str:
    return f"{resource.attrs.get('route_table_id')}|{destination(resource.attrs)}"


def _split_routes(table: dict[str, Any]) -> list[Attrs]:
    table_id = table["RouteTableId"]
    out = []
    for route in table.get("Routes") or []:
        dest = route.get("DestinationCidrBlock") or route.get("DestinationIpv6CidrBlock")
        dest = dest or route.get("DestinationPrefixListId") or ""
        out.append({**route, "RouteTableId": table_id, "RouteId": terraform_route_id(table_id, dest)})
    return out


def _live_route(item: dict[str, Any]) -> Attrs:
    return route_attrs(
        item["RouteTableId"],
        {
            "destination_cidr_block": item.get("DestinationCidrBlock"),
            "destination_ipv6_cidr_block": item.get("DestinationIpv6CidrBlock"),
            "destination_prefix_list_id": item.get("DestinationPrefixListId"),
        },
        {name: item.get(field) for name, field in TARGETS.items()},
    )


def _route_owned_elsewhere(item: dict[str, Any]) -> bool:
    """The `local` route, VGW-propagated routes, and a gateway endpoint's prefix-list routes."""
    gateway = item.get("GatewayId") or ""
    return (
        gateway == "local"
        or item.get("Origin") in ("CreateRouteTable", "EnableVgwRoutePropagation")
        or (gateway.startswith("vpce-") and bool(item.get("DestinationPrefixListId")))
    )


def _route_desired(attrs: Attrs) -> Attrs:
    return route_attrs(str(attrs.get("route_table_id") or ""), attrs, attrs)


def describe_route(resource: Resource) -> str:
    return f"route {destination(resource.attrs)} via {target(resource.attrs)}"


def _route_params(attrs: Attrs) -> dict[str, Any]:
    params: dict[str, Any] = {"RouteTableId": attrs["route_table_id"]}
    for name, field in (
        ("destination_cidr_block", "DestinationCidrBlock"),
        ("destination_ipv6_cidr_block", "DestinationIpv6CidrBlock"),
        ("destination_prefix_list_id", "DestinationPrefixListId"),
    ):
        if attrs.get(name):
            params[field] = attrs[name]
            break
    return params


def _route_target_params(attrs: Attrs) -> dict[str, Any]:
    return {field: attrs[name] for name, field in TARGETS.items() if attrs.get(name)}


@writes("create_route")
def _create_route(declared: Resource) -> list[AwsCall]:
    params = {**_route_params(declared.attrs), **_route_target_params(declared.attrs)}
    return [AwsCall("ec2", "create_route", params, declared.region)]


@writes("replace_route")
def _replace_route(declared: Resource, live: Resource | None, _: tuple[Change, ...]) -> list[AwsCall]:
    params = {**_route_params(declared.attrs), **_route_target_params(declared.attrs)}
    return [AwsCall("ec2", "replace_route", params, live.region if live else declared.region)]


@writes("delete_route")
def _delete_route(live: Resource) -> list[AwsCall]:
    return [AwsCall("ec2", "delete_route", _route_params(live.attrs), live.region)]


_ROUTE_TARGETS = (
    "carrier_gateway_id",
    "core_network_arn",
    "egress_only_gateway_id",
    "gateway_id",
    "local_gateway_id",
    "nat_gateway_id",
    "network_interface_id",
    "transit_gateway_id",
    "vpc_endpoint_id",
    "vpc_peering_connection_id",
)
_ROUTE_EVENTS = TypeEvents(
    missing=("DeleteRoute",),
    unmanaged=("CreateRoute",),
    changed=("ReplaceRoute",),
    by_path=dict.fromkeys(_ROUTE_TARGETS, ("ReplaceRoute",)),
    lookup_attr="route_table_id",  # CloudTrail names a route by its table
    # A route has no id of its own in AWS: the event names its table, which is read with its routes.
    touched_by=dict.fromkeys(
        ("CreateRoute", "ReplaceRoute", "DeleteRoute"), "requestParameters.routeTableId"
    ),
    ids=Prefixed("rtb-"),
    names_parent=True,
)


REGISTRY.register(
    ResourceType(
        name=ROUTE,
        events=_ROUTE_EVENTS,
        service="ec2",
        list_call="describe_route_tables",
        items_path="RouteTables",
        split_item=_split_routes,
        id_key="RouteId",
        to_attrs=_live_route,
        normalise_desired=_route_desired,
        compared=tuple(TARGETS),
        ignored={
            "destination_cidr_block": "part of the route's key (table and destination)",
            "destination_ipv6_cidr_block": "part of the route's key (table and destination)",
            "destination_prefix_list_id": "part of the route's key (table and destination)",
            "instance_id": "computed from network_interface_id, which is compared",
            "instance_owner_id": "computed",
            "origin": "computed",
            "state": "blackhole or active is the target's health, not configuration",
        },
        aws_default=_route_owned_elsewhere,
        parent=("route_table_id", "aws_route_table"),
        match_key=_route_key,
        describe=describe_route,
        restore_calls=_replace_route,
        restorable=("*",),
        recreate_calls=_create_route,
        delete_calls=_delete_route,
    )
)


def _inline_routes(table: Resource, _: Mapping[str, Resource]) -> list[Resource]:
    """aws_route_table's `route` blocks, in the aws_route shape (no `local` route there)."""
    out = []
    for block in table.attrs.get("route") or []:
        destinations = {
            "destination_cidr_block": block.get("cidr_block"),
            "destination_ipv6_cidr_block": block.get("ipv6_cidr_block"),
            "destination_prefix_list_id": block.get("destination_prefix_list_id"),
        }
        attrs = route_attrs(table.id, destinations, block)
        out.append(
            Resource(
                type=ROUTE,
                id=terraform_route_id(table.id, destination(attrs)),
                attrs=attrs,
                address=table.address,
                account=table.account,
                region=table.region,
                source=table.source,
                dependencies=table.dependencies,
                declared_type=table.type,
            )
        )
    return out


# An aws_route resource outranks the table's `route` list, which a refresh fills with it too.
REGISTRY.add_expansion(Expansion("aws_route_table", precedence=0, expand=_inline_routes))


# --- route tables ----------------------------------------------------------------------


_TABLE_BY_PATH = {
    "propagating_vgws": ("EnableVgwRoutePropagation", "DisableVgwRoutePropagation"),
    "tags": EC2_TAG_EVENTS,
}
_TABLE_EVENTS = TypeEvents(
    id_prefix="rtb-",
    missing=("DeleteRouteTable",),
    unmanaged=("CreateRouteTable",),
    changed=edits(_TABLE_BY_PATH),
    by_path=_TABLE_BY_PATH,
    touched_by={
        "CreateRouteTable": "responseElements.routeTable.routeTableId",
        **dict.fromkeys(
            ("DeleteRouteTable", *_TABLE_BY_PATH["propagating_vgws"]), "requestParameters.routeTableId"
        ),
        "CreateTags": EC2_TAGGED_IDS,
        "DeleteTags": EC2_TAGGED_IDS,
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_route_table",
        events=_TABLE_EVENTS,
        service="ec2",
        list_call="describe_route_tables",
        items_path="RouteTables",
        id_key="RouteTableId",
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
        compared_if_declared=("propagating_vgws",),
        ignored={
            "route": "compared route by route (aws_route)",
            "arn": "computed",
            "owner_id": "computed",
        },
        # The main route table is made with the VPC (aws_default_route_table adopts it).
        aws_default=lambda item: any(a.get("Main") for a in item.get("Associations") or []),
        restore_calls=ec2_tags_only,
    )
)


# --- internet gateways -------------------------------------------------------------------


def _mark_default_vpc_gateways(gateways: list[Attrs], vpcs: list[Attrs]) -> None:
    default_vpcs = {vpc["VpcId"] for vpc in vpcs if vpc.get("IsDefault")}
    for gateway in gateways:
        attached = {a.get("VpcId") for a in gateway.get("Attachments") or []}
        gateway["InDefaultVpc"] = bool(attached & default_vpcs)


def _attached_vpc(item: dict[str, Any]) -> str | None:
    for attachment in item.get("Attachments") or []:
        if attachment.get("State") in ("available", "attached", "attaching", None):
            return str(attachment.get("VpcId"))
    return None


@writes(ec2_tag_calls, "attach_internet_gateway")
def _igw_restore(resource: Resource, live: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    calls = []
    for change in changes:
        if change.path == "vpc_id" and change.expected and not change.actual:
            calls.append(
                AwsCall(
                    "ec2",
                    "attach_internet_gateway",
                    {"InternetGatewayId": resource.id, "VpcId": change.expected},
                    resource.region,
                )
            )
    return calls + ec2_tag_calls(resource, changes)


_GATEWAY_BY_PATH = {"vpc_id": ("AttachInternetGateway", "DetachInternetGateway"), "tags": EC2_TAG_EVENTS}
_GATEWAY_EVENTS = TypeEvents(
    id_prefix="igw-",
    missing=("DeleteInternetGateway",),
    unmanaged=("CreateInternetGateway",),
    changed=edits(_GATEWAY_BY_PATH),
    by_path=_GATEWAY_BY_PATH,
    touched_by={
        "CreateInternetGateway": "responseElements.internetGateway.internetGatewayId",
        **dict.fromkeys(
            ("DeleteInternetGateway", *_GATEWAY_BY_PATH["vpc_id"]), "requestParameters.internetGatewayId"
        ),
        "CreateTags": EC2_TAGGED_IDS,
        "DeleteTags": EC2_TAGGED_IDS,
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_internet_gateway",
        events=_GATEWAY_EVENTS,
        service="ec2",
        list_call="describe_internet_gateways",
        items_path="InternetGateways",
        id_key="InternetGatewayId",
        to_attrs=lambda item: {"vpc_id": _attached_vpc(item), "tags": tags(item)},
        normalise_desired=lambda attrs: {"vpc_id": attrs.get("vpc_id") or None, "tags": declared_tags(attrs)},
        companion_call=("describe_vpcs", "Vpcs"),
        merge_companion=_mark_default_vpc_gateways,
        compared=("vpc_id", "tags"),
        # aws_internet_gateway_attachment leaves vpc_id empty in the gateway's state.
        compared_if_declared=("vpc_id",),
        ignored={"arn": "computed", "owner_id": "computed"},
        aws_default=lambda item: bool(item.get("InDefaultVpc")),
        restore_calls=_igw_restore,
        restorable=("tags",),
    )
)


# --- NAT gateways ------------------------------------------------------------------------


def _nat_addresses(item: dict[str, Any]) -> tuple[str | None, list[str]]:
    addresses = item.get("NatGatewayAddresses") or []
    primary = next((a for a in addresses if a.get("IsPrimary")), addresses[0] if addresses else {})
    secondary = sorted(a["AllocationId"] for a in addresses if a is not primary and a.get("AllocationId"))
    return primary.get("AllocationId"), secondary


def _nat_attrs(item: dict[str, Any]) -> Attrs:
    allocation, secondary = _nat_addresses(item)
    return {
        "subnet_id": item.get("SubnetId"),
        "connectivity_type": item.get("ConnectivityType") or "public",
        "allocation_id": allocation,
        "secondary_allocation_ids": secondary,
        "tags": tags(item),
    }


_NAT_ADDRESS_EVENTS = ("AssociateNatGatewayAddress", "DisassociateNatGatewayAddress")
_NAT_BY_PATH = {"secondary_allocation_ids": _NAT_ADDRESS_EVENTS, "tags": EC2_TAG_EVENTS}
_NAT_EVENTS = TypeEvents(
    id_prefix="nat-",
    missing=("DeleteNatGateway",),
    unmanaged=("CreateNatGateway",),
    changed=edits(_NAT_BY_PATH),
    by_path=_NAT_BY_PATH,
    # The newer EC2 calls wrap their request and answer in CALLRequest / CALLResponse.
    touched_by={
        "CreateNatGateway": "responseElements.CreateNatGatewayResponse.natGateway.natGatewayId",
        **{
            call: f"requestParameters.{call}Request.NatGatewayId"
            for call in ("DeleteNatGateway", *_NAT_ADDRESS_EVENTS)
        },
        "CreateTags": EC2_TAGGED_IDS,
        "DeleteTags": EC2_TAGGED_IDS,
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_nat_gateway",
        events=_NAT_EVENTS,
        service="ec2",
        list_call="describe_nat_gateways",
        items_path="NatGateways",
        id_key="NatGatewayId",
        to_attrs=_nat_attrs,
        keep_item=lambda item: item.get("State") not in ("deleted", "deleting", "failed"),
        normalise_desired=lambda attrs: {
            "subnet_id": attrs.get("subnet_id"),
            "connectivity_type": attrs.get("connectivity_type") or "public",
            "allocation_id": attrs.get("allocation_id") or None,
            "secondary_allocation_ids": sorted(attrs.get("secondary_allocation_ids") or []),
            "tags": declared_tags(attrs),
        },
        compared=("subnet_id", "connectivity_type", "allocation_id", "secondary_allocation_ids", "tags"),
        compared_if_declared=("secondary_allocation_ids",),
        ignored={
            "private_ip": "assigned by AWS unless set, and it cannot change in place",
            "public_ip": "follows allocation_id, which is compared",
            "network_interface_id": "computed",
            "association_id": "computed",
            "secondary_private_ip_addresses": "assigned by AWS unless set",
            "secondary_private_ip_address_count": "provider-defaulted from the addresses",
        },
        restore_calls=ec2_tags_only,
    )
)


# --- network ACLs ----------------------------------------------------------------------

_DEFAULT_RULE = 32767  # the catch-all deny AWS adds to every ACL; not in Terraform state
_PORTED = ("tcp", "udp")


def acl_entry(
    rule_no: Any,
    action: Any,
    proto: Any,
    cidr_block: Any = None,
    ipv6_cidr_block: Any = None,
    from_port: Any = None,
    to_port: Any = None,
    icmp_type: Any = None,
    icmp_code: Any = None,
) -> Attrs:
    """One ACL entry in the shape compared: protocol by name, ports 0 where they mean nothing."""
    name = protocol(proto)
    icmp = name in ("icmp", "icmpv6")
    return {
        "rule_no": int(rule_no),
        "action": str(action).lower(),
        "protocol": name,
        "cidr_block": _cidr(cidr_block),
        "ipv6_cidr_block": _cidr(ipv6_cidr_block),
        "from_port": int(from_port or 0) if name in _PORTED else 0,
        "to_port": int(to_port or 0) if name in _PORTED else 0,
        "icmp_type": int(icmp_type or 0) if icmp else 0,
        "icmp_code": int(icmp_code or 0) if icmp else 0,
    }


def _live_entries(item: dict[str, Any], egress: bool) -> list[Attrs]:
    out = []
    for entry in item.get("Entries") or []:
        if bool(entry.get("Egress")) is not egress or entry.get("RuleNumber") == _DEFAULT_RULE:
            continue
        ports = entry.get("PortRange") or {}
        icmp = entry.get("IcmpTypeCode") or {}
        out.append(
            acl_entry(
                entry["RuleNumber"],
                entry.get("RuleAction"),
                entry.get("Protocol"),
                entry.get("CidrBlock"),
                entry.get("Ipv6CidrBlock"),
                ports.get("From"),
                ports.get("To"),
                icmp.get("Type"),
                icmp.get("Code"),
            )
        )
    return sorted(out, key=lambda e: e["rule_no"])


def _declared_entries(blocks: Any) -> list[Attrs]:
    entries = [
        acl_entry(
            b.get("rule_no"),
            b.get("action"),
            b.get("protocol"),
            b.get("cidr_block"),
            b.get("ipv6_cidr_block"),
            b.get("from_port"),
            b.get("to_port"),
            b.get("icmp_type"),
            b.get("icmp_code"),
        )
        for b in blocks or []
    ]
    return sorted(entries, key=lambda e: e["rule_no"])


_ACL_ENTRY_EVENTS = ("CreateNetworkAclEntry", "ReplaceNetworkAclEntry", "DeleteNetworkAclEntry")
_ACL_BY_PATH = {
    "ingress": _ACL_ENTRY_EVENTS,
    "egress": _ACL_ENTRY_EVENTS,
    "subnet_ids": ("ReplaceNetworkAclAssociation",),
    "tags": EC2_TAG_EVENTS,
}
_ACL_EVENTS = TypeEvents(
    id_prefix="acl-",
    missing=("DeleteNetworkAcl",),
    unmanaged=("CreateNetworkAcl",),
    changed=edits(_ACL_BY_PATH),
    by_path=_ACL_BY_PATH,
    # ReplaceNetworkAclAssociation names the ACL a subnet moves to; the one it leaves is
    # named by association id only, and a scan finds that side.
    touched_by={
        "CreateNetworkAcl": "responseElements.networkAcl.networkAclId",
        **dict.fromkeys(
            ("DeleteNetworkAcl", *_ACL_ENTRY_EVENTS, "ReplaceNetworkAclAssociation"),
            "requestParameters.networkAclId",
        ),
        "CreateTags": EC2_TAGGED_IDS,
        "DeleteTags": EC2_TAGGED_IDS,
    },
)


def acl_attrs(item: Attrs) -> Attrs:
    """A network ACL as compared (aws_default_network_acl too): entries, subnets, tags."""
    return {
        "vpc_id": item.get("VpcId"),
        "ingress": _live_entries(item, egress=False),
        "egress": _live_entries(item, egress=True),
        "subnet_ids": sorted(a["SubnetId"] for a in item.get("Associations") or [] if a.get("SubnetId")),
        "tags": tags(item),
    }


def acl_declared(attrs: Attrs) -> Attrs:
    return {
        "vpc_id": attrs.get("vpc_id"),
        "ingress": _declared_entries(attrs.get("ingress")),
        "egress": _declared_entries(attrs.get("egress")),
        "subnet_ids": sorted(attrs.get("subnet_ids") or []),
        "tags": declared_tags(attrs),
    }


REGISTRY.register(
    ResourceType(
        name="aws_network_acl",
        events=_ACL_EVENTS,
        service="ec2",
        list_call="describe_network_acls",
        items_path="NetworkAcls",
        id_key="NetworkAclId",
        to_attrs=acl_attrs,
        normalise_desired=acl_declared,
        compared=("vpc_id", "ingress", "egress", "subnet_ids", "tags"),
        # Set by aws_network_acl_rule / aws_network_acl_association when those are used.
        compared_if_declared=("ingress", "egress", "subnet_ids"),
        ignored={"arn": "computed", "owner_id": "computed"},
        aws_default=lambda item: bool(item.get("IsDefault")),
        restore_calls=ec2_tags_only,
    )
)


# --- network ACL rules ---------------------------------------------------------------------
#
# One entry of the same DescribeNetworkAcls the ACLs are read by. The provider's id is a hash
# of what the configuration said (nacl-<crc32 of ACL, number, egress and protocol as written>),
# so a rule is matched by its ACL, direction and number: the key AWS itself has.


def _split_acl_entries(item: Attrs) -> list[Attrs]:
    """The ACL's entries, each a rule; the catch-all deny rules (32767, and 32768 for IPv6) are AWS's."""
    out = []
    for entry in item.get("Entries") or []:
        if int(entry.get("RuleNumber") or 0) >= _DEFAULT_RULE:
            continue
        egress = bool(entry.get("Egress"))
        name = protocol(entry.get("Protocol"))
        key = f"{item['NetworkAclId']}:{entry['RuleNumber']}:{name}:{str(egress).lower()}"  # the import id
        out.append(
            {
                **entry,
                "NetworkAclId": item["NetworkAclId"],
                "IsDefaultAcl": item.get("IsDefault"),
                "RuleKey": key,
            }
        )
    return out


def _rule_shape(values: Attrs, egress: Any, acl_id: Any) -> Attrs:
    entry = acl_entry(
        values.get("rule_no"),
        values.get("action"),
        values.get("protocol"),
        values.get("cidr_block"),
        values.get("ipv6_cidr_block"),
        values.get("from_port"),
        values.get("to_port"),
        values.get("icmp_type"),
        values.get("icmp_code"),
    )
    return {
        "network_acl_id": acl_id,
        "egress": bool(egress),
        "rule_number": entry["rule_no"],
        "rule_action": entry["action"],
        **{name: entry[name] for name in _RULE_FIELDS},
    }


_RULE_FIELDS = ("protocol", "cidr_block", "ipv6_cidr_block", "from_port", "to_port", "icmp_type", "icmp_code")


def _acl_rule_attrs(item: Attrs) -> Attrs:
    ports = item.get("PortRange") or {}
    icmp = item.get("IcmpTypeCode") or {}
    return _rule_shape(
        {
            "rule_no": item.get("RuleNumber"),
            "action": item.get("RuleAction"),
            "protocol": item.get("Protocol"),
            "cidr_block": item.get("CidrBlock"),
            "ipv6_cidr_block": item.get("Ipv6CidrBlock"),
            "from_port": ports.get("From"),
            "to_port": ports.get("To"),
            "icmp_type": icmp.get("Type"),
            "icmp_code": icmp.get("Code"),
        },
        item.get("Egress"),
        item.get("NetworkAclId"),
    )


def _acl_rule_desired(attrs: Attrs) -> Attrs:
    return _rule_shape(
        {**attrs, "rule_no": attrs.get("rule_number"), "action": attrs.get("rule_action")},
        attrs.get("egress"),
        attrs.get("network_acl_id"),
    )


def _acl_rule_key(resource: Resource) -> str:
    attrs = resource.attrs
    return f"{attrs.get('network_acl_id')}|{bool(attrs.get('egress'))}|{attrs.get('rule_number')}"


_PROTOCOL_NUMBERS = {"tcp": "6", "udp": "17", "icmp": "1", "icmpv6": "58"}


def _entry_params(attrs: Attrs) -> dict[str, Any]:
    """CreateNetworkAclEntry / ReplaceNetworkAclEntry parameters for a rule as compared."""
    shaped = _acl_rule_desired(attrs)
    number = {"tcp": "6", "udp": "17", "icmp": "1", "icmpv6": "58"}.get(
        shaped["protocol"], shaped["protocol"]
    )
    params: dict[str, Any] = {
        "NetworkAclId": shaped["network_acl_id"],
        "RuleNumber": shaped["rule_number"],
        "Protocol": "-1" if number in ("all", "-1") else number,
        "RuleAction": shaped["rule_action"],
        "Egress": shaped["egress"],
    }
    if shaped["cidr_block"]:
        params["CidrBlock"] = shaped["cidr_block"]
    if shaped["ipv6_cidr_block"]:
        params["Ipv6CidrBlock"] = shaped["ipv6_cidr_block"]
    if shaped["protocol"] in _PORTED:
        params["PortRange"] = {"From": shaped["from_port"], "To": shaped["to_port"]}
    if shaped["protocol"] in ("icmp", "icmpv6"):
        params["IcmpTypeCode"] = {"Type": shaped["icmp_type"], "Code": shaped["icmp_code"]}
    return params


@writes("create_network_acl_entry")
def _create_entry(declared: Resource) -> list[AwsCall]:
    return [AwsCall("ec2", "create_network_acl_entry", _entry_params(declared.attrs), declared.region)]


@writes("replace_network_acl_entry")
def _replace_entry(declared: Resource, live: Resource | None, _: tuple[Change, ...]) -> list[AwsCall]:
    region = live.region if live is not None else declared.region
    return [AwsCall("ec2", "replace_network_acl_entry", _entry_params(declared.attrs), region)]


@writes("delete_network_acl_entry")
def _delete_entry(live: Resource) -> list[AwsCall]:
    params = {
        "NetworkAclId": live.attrs.get("network_acl_id"),
        "RuleNumber": live.attrs.get("rule_number"),
        "Egress": bool(live.attrs.get("egress")),
    }
    return [AwsCall("ec2", "delete_network_acl_entry", params, live.region)]


def _describe_acl_rule(resource: Resource) -> str:
    attrs = _acl_rule_desired(resource.attrs)  # the same for a state's and AWS's shape
    direction = "egress" if attrs.get("egress") else "ingress"
    where = attrs.get("cidr_block") or attrs.get("ipv6_cidr_block") or "?"
    ports = f" {attrs.get('from_port')}-{attrs.get('to_port')}" if attrs.get("protocol") in _PORTED else ""
    return (
        f"{direction} rule {attrs.get('rule_number')} of {attrs.get('network_acl_id')} "
        f"({attrs.get('rule_action')} {attrs.get('protocol')}{ports} {where})"
    )


REGISTRY.register(
    ResourceType(
        name="aws_network_acl_rule",
        service="ec2",
        list_call="describe_network_acls",
        items_path="NetworkAcls",
        split_item=_split_acl_entries,
        id_key="RuleKey",
        to_attrs=_acl_rule_attrs,
        normalise_desired=_acl_rule_desired,
        compared=("rule_action", *_RULE_FIELDS),
        ignored={
            "network_acl_id": "the rule's ACL: part of what matches it",
            "egress": "the rule's direction: part of what matches it",
            "rule_number": "the rule's number: part of what matches it",
        },
        match_key=_acl_rule_key,
        parent=("network_acl_id", "aws_network_acl"),
        # Rules of an ACL declared with inline ingress/egress blocks (or of a default ACL)
        # are that resource's, compared there: reported here only for an ACL whose rules the
        # state holds as aws_network_acl_rule.
        unmanaged_needs_sibling=True,
        restore_calls=_replace_entry,
        restorable=("*",),
        recreate_calls=_create_entry,
        delete_calls=_delete_entry,
        describe=_describe_acl_rule,
        read_params=lambda r: {"NetworkAclIds": [str(r.attrs.get("network_acl_id") or "")]},
        events=TypeEvents(
            missing=("DeleteNetworkAclEntry",),
            unmanaged=("CreateNetworkAclEntry",),
            changed=("ReplaceNetworkAclEntry",),
            # A rule has no id in AWS: the event names its ACL, read with its rules.
            touched_by=dict.fromkeys(_ACL_ENTRY_EVENTS, "requestParameters.networkAclId"),
            ids=Prefixed("acl-"),
            names_parent=True,
        ),
        pulumi_tokens=("aws:ec2/networkAclRule:NetworkAclRule",),
    )
)


# Not read live; the bridge's module `ec2transitgateway` is Terraform's `ec2_transit_gateway`
# (aws_ec2_transit_gateway itself is read, in guard/live/resources/network.py).
REGISTRY.know(
    KnownType(
        "aws_ec2_transit_gateway_vpc_attachment",
        pulumi_tokens=("aws:ec2transitgateway/vpcAttachment:VpcAttachment",),
    )
)
