"""Elastic network interfaces (aws_network_interface): one paginated DescribeNetworkInterfaces
per region, tags in the same answer (TagSet). Most interfaces in an account are not anyone's
aws_network_interface: AWS services make them for themselves (Lambda, NAT gateways, VPC
endpoints, load balancers, RDS, ECS tasks, EKS), and every instance has its primary one.
Those are never reported unmanaged. Where the interface is attached is
aws_network_interface_attachment's concern (not read live), so `attachment` is not compared."""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents
from guard.live.shape import EC2_TAG_EVENTS, EC2_TAGGED_IDS, declared_tags, ec2_tag_calls, tags
from guard.live.types import REGISTRY, Attrs, GraphHooks, ResourceType, writes
from guard.model import AwsCall, Change, Resource

# Descriptions AWS services give the interfaces they make for their own use (with
# InterfaceType "interface" and, for some of them, RequesterManaged false).
_SERVICE_DESCRIPTIONS = (
    "ELB ",  # classic, application and network load balancers: "ELB app/web/50dc6c495c0c9188"
    "AWS Lambda VPC ENI",
    "AWS created network interface for directory",
    "Amazon EKS ",  # the cluster's cross-account interfaces
    "aws-K8S-",  # the VPC CNI's secondary interfaces on EKS nodes
    "arn:aws:ecs:",  # awsvpc task interfaces
    "RDSNetworkInterface",
    "ElastiCache ",
    "Interface for NAT Gateway",
    "VPC Endpoint Interface",
    "EFS mount target",
    "DMSNetworkInterface",
)


def _mark_nat_interfaces(interfaces: list[Attrs], gateways: list[Attrs]) -> None:
    """An interface a NAT gateway names as its own is the gateway's. AWS also says so on the
    interface (InterfaceType nat_gateway, RequesterManaged); moto does not, so the gateway's
    word (the same DescribeNatGateways aws_nat_gateway reads) is taken as well."""
    owned = {
        address.get("NetworkInterfaceId")
        for gateway in gateways
        for address in gateway.get("NatGatewayAddresses") or []
    }
    for interface in interfaces:
        if interface.get("NetworkInterfaceId") in owned:
            interface["_NatGateway"] = True


def _service_owned(item: Attrs) -> bool:
    """Interfaces AWS made on its own, and an instance's own: never an aws_network_interface.

    - RequesterManaged: made by a service on the caller's behalf (RDS, Lambda, ...);
    - an InterfaceType other than "interface" (lambda, nat_gateway, vpc_endpoint,
      network_load_balancer, gateway_load_balancer, efa, branch, trunk, ...);
    - a service's description (see _SERVICE_DESCRIPTIONS) or an `aws:` tag (CloudFormation);
    - attached to an instance as device 0 (its primary interface, aws_instance's), or
      attached with DeleteOnTermination set: the instance (a launch template's extra
      interfaces) made it; an aws_network_interface_attachment attaches with it unset.
    """
    if item.get("RequesterManaged") or item.get("_NatGateway"):
        return True
    if (item.get("InterfaceType") or "interface") != "interface":
        return True
    if str(item.get("Description") or "").startswith(_SERVICE_DESCRIPTIONS):
        return True
    if any(str(tag.get("Key", "")).startswith("aws:") for tag in item.get("TagSet") or []):
        return True
    attachment = item.get("Attachment") or {}
    made_with_instance = attachment.get("DeviceIndex") == 0 or attachment.get("DeleteOnTermination")
    return bool(attachment.get("InstanceId") and made_with_instance)


def _name(attrs: Attrs) -> str:
    return str(attrs.get("description") or attrs.get("private_ip") or "")


def _shape(values: Attrs) -> Attrs:
    """One shape for state and AWS. private_ips holds every private address, the primary one
    included; private_ips_count is the number of secondary ones (as the provider reads it)."""
    addresses = sorted(str(a) for a in values.get("private_ips") or [])
    return {
        "subnet_id": values.get("subnet_id"),
        "description": values.get("description") or "",
        "security_groups": sorted(str(g) for g in values.get("security_groups") or []),
        "source_dest_check": values.get("source_dest_check") is not False,
        "private_ip": values.get("private_ip") or None,
        "private_ips": addresses,
        "private_ips_count": int(values.get("private_ips_count") or 0),
        "ipv6_addresses": sorted(str(a) for a in values.get("ipv6_addresses") or []),
        "interface_type": values.get("interface_type") or "interface",
    }


def _interface_attrs(item: Attrs) -> Attrs:
    addresses = [
        a["PrivateIpAddress"] for a in item.get("PrivateIpAddresses") or [] if a.get("PrivateIpAddress")
    ]
    shaped = _shape(
        {
            "subnet_id": item.get("SubnetId"),
            "description": item.get("Description"),
            "security_groups": [g.get("GroupId") for g in item.get("Groups") or []],
            "source_dest_check": item.get("SourceDestCheck"),
            "private_ip": item.get("PrivateIpAddress"),
            "private_ips": addresses,
            "private_ips_count": max(len(addresses) - 1, 0),
            "ipv6_addresses": [a.get("Ipv6Address") for a in item.get("Ipv6Addresses") or []],
            "interface_type": item.get("InterfaceType"),
        }
    )
    return {**shaped, "tags": tags(item, "TagSet")}


def _interface_desired(attrs: Attrs) -> Attrs:
    return {**_shape(attrs), "tags": declared_tags(attrs)}


@writes("modify_network_interface_attribute", ec2_tag_calls)
def _interface_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    """ModifyNetworkInterfaceAttribute takes one attribute a call."""
    declared = _interface_desired(resource.attrs)
    paths = {change.path.split(".", 1)[0] for change in changes}
    calls = []
    settings: list[dict[str, Any]] = []
    if "security_groups" in paths:
        settings.append({"Groups": declared["security_groups"]})
    if "source_dest_check" in paths:
        settings.append({"SourceDestCheck": {"Value": declared["source_dest_check"]}})
    if "description" in paths:
        settings.append({"Description": {"Value": declared["description"]}})
    for setting in settings:
        request = {"NetworkInterfaceId": resource.id, **setting}
        calls.append(AwsCall("ec2", "modify_network_interface_attribute", request, resource.region))
    return calls + ec2_tag_calls(resource, changes)


_ID = "requestParameters.networkInterfaceId"
_ADDRESSES = ("AssignPrivateIpAddresses", "UnassignPrivateIpAddresses")
_IPV6 = ("AssignIpv6Addresses", "UnassignIpv6Addresses")

_INTERFACE_EVENTS = TypeEvents(
    id_prefix="eni-",
    missing=("DeleteNetworkInterface",),
    unmanaged=("CreateNetworkInterface",),
    changed=("ModifyNetworkInterfaceAttribute", *_ADDRESSES, *_IPV6, *EC2_TAG_EVENTS),
    by_path={
        "security_groups": ("ModifyNetworkInterfaceAttribute",),
        "source_dest_check": ("ModifyNetworkInterfaceAttribute",),
        "description": ("ModifyNetworkInterfaceAttribute",),
        "private_ip": _ADDRESSES,
        "private_ips": _ADDRESSES,
        "private_ips_count": _ADDRESSES,
        "ipv6_addresses": _IPV6,
        "tags": EC2_TAG_EVENTS,
    },
    touched_by={
        "CreateNetworkInterface": "responseElements.networkInterface.networkInterfaceId",
        "DeleteNetworkInterface": _ID,
        "ModifyNetworkInterfaceAttribute": _ID,
        **{name: _ID for name in (*_ADDRESSES, *_IPV6)},
        "CreateTags": EC2_TAGGED_IDS,
        "DeleteTags": EC2_TAGGED_IDS,
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_network_interface",
        service="ec2",
        list_call="describe_network_interfaces",
        items_path="NetworkInterfaces",
        id_key="NetworkInterfaceId",
        companion_call=("describe_nat_gateways", "NatGateways"),
        merge_companion=_mark_nat_interfaces,
        to_attrs=_interface_attrs,
        normalise_desired=_interface_desired,
        compared=(
            "subnet_id",
            "description",
            "security_groups",
            "source_dest_check",
            "private_ip",
            "private_ips",
            "private_ips_count",
            "ipv6_addresses",
            "interface_type",
            "tags",
        ),
        ignored={
            "attachment": "where it is attached: aws_network_interface_attachment's (or the instance's)",
            "private_ip_list": "private_ips in the order written (compared there)",
            "private_ip_list_enabled": "Terraform-only setting (which list the configuration uses)",
            "ipv6_address_count": "the number of ipv6_addresses, which are compared",
            "ipv6_address_list": "ipv6_addresses in the order written (compared there)",
            "ipv6_address_list_enabled": "Terraform-only setting (which list the configuration uses)",
            "ipv4_prefixes": "prefix delegation; not compared yet",
            "ipv4_prefix_count": "prefix delegation; not compared yet",
            "ipv6_prefixes": "prefix delegation; not compared yet",
            "ipv6_prefix_count": "prefix delegation; not compared yet",
            "enable_primary_ipv6": "set at creation only",
            "outpost_arn": "set at creation only (the subnet's Outpost)",
            "mac_address": "computed",
            "private_dns_name": "computed",
            "owner_id": "computed",
            "arn": "computed",
            "tags_all": "tags with the provider's default_tags, compared as tags",
        },
        aws_default=_service_owned,
        restore_calls=_interface_restore,
        restorable=("security_groups", "source_dest_check", "description", "tags"),
        delete_calls=writes("delete_network_interface")(
            lambda live: [
                AwsCall("ec2", "delete_network_interface", {"NetworkInterfaceId": live.id}, live.region)
            ]
        ),
        describe=lambda resource: f"network interface {_name(resource.attrs) or resource.id}",
        read_params=lambda resource: {"NetworkInterfaceIds": [resource.id]},
        events=_INTERFACE_EVENTS,
        pulumi_tokens=("aws:ec2/networkInterface:NetworkInterface",),
        graph=GraphHooks(
            forward=("subnet_id", "security_groups"), name=lambda attrs: _name(attrs) or "interface"
        ),
    )
)
