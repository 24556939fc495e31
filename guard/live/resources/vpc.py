"""More EC2/VPC types: route tables and routes, gateways, NACLs, EIPs, volumes, templates, keys."""

from __future__ import annotations

import ipaddress
import zlib
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from guard.live.resources.security_group_rules import protocol
from guard.live.shape import declared_tags, ec2_tag_calls, tags
from guard.live.types import REGISTRY, Attrs, Expansion, KnownType, ResourceType, writes
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


@writes(ec2_tag_calls)
def _tags_only(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    return ec2_tag_calls(resource, changes)


def _cidr(value: Any) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_network(str(value), strict=False))
    except ValueError:
        return str(value)


def _blank(value: Any) -> Any:
    return value if value not in ("", None) else None


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
    for name in DESTINATIONS:
        if attrs.get(name):
            return str(attrs[name])
    return ""


def target(attrs: Attrs) -> str:
    for name in TARGETS:
        if attrs.get(name):
            return str(attrs[name])
    return "nowhere"


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


REGISTRY.register(
    ResourceType(
        name=ROUTE,
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


REGISTRY.register(
    ResourceType(
        name="aws_route_table",
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
        restore_calls=_tags_only,
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


REGISTRY.register(
    ResourceType(
        name="aws_internet_gateway",
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


REGISTRY.register(
    ResourceType(
        name="aws_nat_gateway",
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
        restore_calls=_tags_only,
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


REGISTRY.register(
    ResourceType(
        name="aws_network_acl",
        service="ec2",
        list_call="describe_network_acls",
        items_path="NetworkAcls",
        id_key="NetworkAclId",
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
        compared=("vpc_id", "ingress", "egress", "subnet_ids", "tags"),
        # Set by aws_network_acl_rule / aws_network_acl_association when those are used.
        compared_if_declared=("ingress", "egress", "subnet_ids"),
        ignored={"arn": "computed", "owner_id": "computed"},
        aws_default=lambda item: bool(item.get("IsDefault")),
        restore_calls=_tags_only,
    )
)


# --- elastic IPs -----------------------------------------------------------------------


REGISTRY.register(
    ResourceType(
        name="aws_eip",
        service="ec2",
        list_call="describe_addresses",
        items_path="Addresses",
        id_key="AllocationId",
        to_attrs=lambda item: {
            "domain": item.get("Domain") or "vpc",
            # AWS names Amazon's pool "amazon"; moto leaves the field out.
            "public_ipv4_pool": item.get("PublicIpv4Pool") or "amazon",
            "instance": item.get("InstanceId") or None,
            "network_interface": item.get("NetworkInterfaceId") or None,
            "tags": tags(item),
        },
        keep_item=lambda item: bool(item.get("AllocationId")),  # EC2-Classic addresses have none
        normalise_desired=lambda attrs: {
            "domain": attrs.get("domain") or "vpc",
            "public_ipv4_pool": attrs.get("public_ipv4_pool") or None,
            "instance": attrs.get("instance") or None,
            "network_interface": attrs.get("network_interface") or None,
            "tags": declared_tags(attrs),
        },
        compared=("domain", "public_ipv4_pool", "instance", "network_interface", "tags"),
        # aws_eip_association (or a NAT gateway) associates the address after the EIP is stored.
        compared_if_declared=("public_ipv4_pool", "instance", "network_interface"),
        ignored={
            "public_ip": "fixed by the allocation",
            "private_ip": "follows the association",
            "association_id": "computed",
            "public_dns": "computed",
            "private_dns": "computed",
            "network_border_group": "provider-defaulted to the region",
            "vpc": "deprecated alias of domain",
        },
        restore_calls=_tags_only,
    )
)


# --- EBS volumes -----------------------------------------------------------------------

_PROVISIONED_IOPS = ("io1", "io2", "gp3")


def _volume_shape(
    volume_type: Any,
    size: Any,
    iops: Any,
    throughput: Any,
    encrypted: Any,
    kms_key_id: Any,
    multi_attach: Any,
    zone: Any,
    volume_tags: dict[str, str],
) -> Attrs:
    """gp2/st1/sc1 IOPS follow the size, so they are compared only where they are set."""
    kind = str(volume_type or "gp2")
    return {
        "availability_zone": zone,
        "type": kind,
        "size": int(size) if size not in (None, "") else None,
        "iops": int(iops) if kind in _PROVISIONED_IOPS and iops else None,
        "throughput": int(throughput) if kind == "gp3" and throughput else None,
        "encrypted": bool(encrypted),
        "kms_key_id": kms_key_id or None,
        "multi_attach_enabled": bool(multi_attach),
        "tags": volume_tags,
    }


@writes("modify_volume", ec2_tag_calls)
def _volume_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    """ModifyVolume can grow a volume and change its type or performance, never shrink it."""
    fields = {"type": "VolumeType", "iops": "Iops", "throughput": "Throughput", "size": "Size"}
    params: dict[str, Any] = {}
    for change in changes:
        if change.path in fields and change.expected is not None:
            if change.path == "size" and (change.actual or 0) > change.expected:
                continue
            params[fields[change.path]] = change.expected
    calls = [AwsCall("ec2", "modify_volume", {"VolumeId": resource.id, **params}, resource.region)]
    return (calls if params else []) + ec2_tag_calls(resource, changes)


def _mark_launched_volumes(volumes: list[Attrs], reservations: list[Attrs]) -> None:
    """A root volume, or one launched to die with its instance, belongs to the instance.

    AWS says so on the volume's attachment too; moto only in the instance's mappings.
    """
    launched: set[str] = set()
    for instance in (i for r in reservations for i in r.get("Instances") or []):
        for mapping in instance.get("BlockDeviceMappings") or []:
            ebs = mapping.get("Ebs") or {}
            root = mapping.get("DeviceName") == instance.get("RootDeviceName")
            if ebs.get("VolumeId") and (root or ebs.get("DeleteOnTermination")):
                launched.add(ebs["VolumeId"])
    for volume in volumes:
        attachments = volume.get("Attachments") or []
        volume["LaunchedWithInstance"] = volume["VolumeId"] in launched or any(
            a.get("DeleteOnTermination") for a in attachments
        )


REGISTRY.register(
    ResourceType(
        name="aws_ebs_volume",
        service="ec2",
        list_call="describe_volumes",
        items_path="Volumes",
        id_key="VolumeId",
        to_attrs=lambda item: _volume_shape(
            item.get("VolumeType"),
            item.get("Size"),
            item.get("Iops"),
            item.get("Throughput"),
            item.get("Encrypted"),
            item.get("KmsKeyId"),
            item.get("MultiAttachEnabled"),
            item.get("AvailabilityZone"),
            tags(item),
        ),
        normalise_desired=lambda attrs: _volume_shape(
            attrs.get("type"),
            attrs.get("size"),
            attrs.get("iops"),
            attrs.get("throughput"),
            attrs.get("encrypted"),
            attrs.get("kms_key_id"),
            attrs.get("multi_attach_enabled"),
            attrs.get("availability_zone"),
            declared_tags(attrs),
        ),
        compared=(
            "availability_zone",
            "type",
            "size",
            "iops",
            "throughput",
            "encrypted",
            "kms_key_id",
            "multi_attach_enabled",
            "tags",
        ),
        ignored={
            "snapshot_id": "only read at creation",
            "final_snapshot": "Terraform-only setting",
            "arn": "computed",
            "outpost_arn": "fixed at creation",
        },
        # Read once per region for aws_instance anyway: the calls are shared.
        companion_call=("describe_instances", "Reservations"),
        merge_companion=_mark_launched_volumes,
        # Launched with an instance (root_block_device / ebs_block_device): the instance's.
        aws_default=lambda item: bool(item.get("LaunchedWithInstance")),
        restore_calls=_volume_restore,
        restorable=("type", "size", "iops", "throughput", "tags"),
    )
)


# --- launch templates --------------------------------------------------------------------


@writes("modify_launch_template", ec2_tag_calls)
def _template_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    calls = [
        AwsCall(
            "ec2",
            "modify_launch_template",
            {"LaunchTemplateId": resource.id, "DefaultVersion": str(change.expected)},
            resource.region,
        )
        for change in changes
        if change.path == "default_version" and change.expected is not None
    ]
    return calls + ec2_tag_calls(resource, changes)


def _version(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


REGISTRY.register(
    ResourceType(
        name="aws_launch_template",
        service="ec2",
        list_call="describe_launch_templates",
        items_path="LaunchTemplates",
        id_key="LaunchTemplateId",
        to_attrs=lambda item: {
            "name": item.get("LaunchTemplateName"),
            "default_version": _version(item.get("DefaultVersionNumber")),
            "latest_version": _version(item.get("LatestVersionNumber")),
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: {
            "name": attrs.get("name"),
            "default_version": _version(attrs.get("default_version")),
            "latest_version": _version(attrs.get("latest_version")),
            "tags": declared_tags(attrs),
        },
        compared=("name", "default_version", "latest_version", "tags"),
        ignored={
            "image_id": "a template's data only changes by a new version: caught by latest_version",
            "instance_type": "a template's data only changes by a new version: caught by latest_version",
            "user_data": "a template's data only changes by a new version: caught by latest_version",
            "block_device_mappings": "a new version is the only way to change it: see latest_version",
            "network_interfaces": "a new version is the only way to change it: see latest_version",
            "update_default_version": "Terraform-only setting",
            "arn": "computed",
        },
        # EKS and other services make templates for their node groups; they tag them.
        aws_default=lambda item: any(t["Key"].startswith(("eks:", "aws:")) for t in item.get("Tags") or []),
        restore_calls=_template_restore,
        restorable=("default_version", "tags"),
    )
)


# --- key pairs -------------------------------------------------------------------------


@writes(ec2_tag_calls)
def _key_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    """EC2 tags a key pair by its key-*** id, not by the name Terraform uses as `id`."""
    key_pair_id = resource.attrs.get("key_pair_id")
    if not key_pair_id:
        return []
    return ec2_tag_calls(replace(resource, id=str(key_pair_id)), changes)


@writes("import_key_pair")
def _recreate_key(declared: Resource) -> list[AwsCall]:
    material = declared.attrs.get("public_key")
    if not material:
        return []
    return [
        AwsCall(
            "ec2",
            "import_key_pair",
            {"KeyName": declared.id, "PublicKeyMaterial": material},
            declared.region,
        )
    ]


REGISTRY.register(
    ResourceType(
        name="aws_key_pair",
        service="ec2",
        list_call="describe_key_pairs",
        items_path="KeyPairs",
        id_key="KeyName",
        to_attrs=lambda item: {
            "key_pair_id": item.get("KeyPairId"),
            "fingerprint": item.get("KeyFingerprint"),
            "key_type": item.get("KeyType") or "rsa",
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: {
            "key_pair_id": attrs.get("key_pair_id"),
            "public_key": attrs.get("public_key"),
            "fingerprint": attrs.get("fingerprint"),
            "key_type": attrs.get("key_type") or "rsa",
            "tags": declared_tags(attrs),
        },
        compared=("fingerprint", "key_type", "tags"),
        ignored={
            "key_pair_id": "a key re-imported with the same material is the same key (fingerprint)",
            "public_key": "AWS returns it only on request; the fingerprint stands for it",
            "key_name_prefix": "Terraform-only setting",
            "arn": "computed",
        },
        restore_calls=_key_restore,
        recreate_calls=_recreate_key,
    )
)

# Not read live; the bridge's module `ec2transitgateway` is Terraform's `ec2_transit_gateway`.
REGISTRY.know(
    KnownType(
        "aws_ec2_transit_gateway", pulumi_tokens=("aws:ec2transitgateway/transitGateway:TransitGateway",)
    )
)
REGISTRY.know(
    KnownType(
        "aws_ec2_transit_gateway_vpc_attachment",
        pulumi_tokens=("aws:ec2transitgateway/vpcAttachment:VpcAttachment",),
    )
)
