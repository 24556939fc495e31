"""Terraform AWS provider 5.x state attributes for the network-edge types, from what AWS answers."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any


def target_group_attachment_attributes(
    group_arn: str, target: Mapping[str, Any], serial: int = 1
) -> dict[str, Any]:
    """The provider's id is the group's ARN with a unique suffix (id.PrefixedUniqueId)."""
    return {
        "availability_zone": target.get("AvailabilityZone"),
        "id": f"{group_arn}-20261203120000{serial:012d}",
        "port": target.get("Port"),
        "target_group_arn": group_arn,
        "target_id": target["Id"],
    }


def network_acl_rule_attributes(acl_id: str, entry: Mapping[str, Any], protocol: str) -> dict[str, Any]:
    """aws_network_acl_rule as the provider stores it: `protocol` as written in the configuration,
    the id a hash of it (nacl-<crc32>), unset fields as "" and 0."""
    ports = entry.get("PortRange") or {}
    icmp = entry.get("IcmpTypeCode") or {}
    egress = bool(entry.get("Egress"))
    key = f"{acl_id}-{entry['RuleNumber']}-{str(egress).lower()}-{protocol}-"
    return {
        "cidr_block": entry.get("CidrBlock", ""),
        "egress": egress,
        "from_port": ports.get("From", 0),
        "icmp_code": icmp.get("Code", 0),
        "icmp_type": icmp.get("Type", 0),
        "id": f"nacl-{zlib.crc32(key.encode())}",
        "ipv6_cidr_block": entry.get("Ipv6CidrBlock", ""),
        "network_acl_id": acl_id,
        "protocol": protocol,
        "rule_action": entry["RuleAction"],
        "rule_number": entry["RuleNumber"],
        "to_port": ports.get("To", 0),
    }


def network_interface_attributes(eni: Mapping[str, Any], account: str, region: str) -> dict[str, Any]:
    """aws_network_interface as provider 5.x stores it after apply (no attachment block: the
    interface is attached, if at all, by an aws_network_interface_attachment)."""
    addresses = [a["PrivateIpAddress"] for a in eni.get("PrivateIpAddresses") or []]
    tag_map = {t["Key"]: t["Value"] for t in eni.get("TagSet") or []}
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:network-interface/{eni['NetworkInterfaceId']}",
        "attachment": [],
        "description": eni.get("Description", ""),
        "enable_primary_ipv6": False,
        "id": eni["NetworkInterfaceId"],
        "interface_type": eni.get("InterfaceType", "interface"),
        "ipv4_prefix_count": 0,
        "ipv4_prefixes": [],
        "ipv6_address_count": len(eni.get("Ipv6Addresses") or []),
        "ipv6_address_list": [],
        "ipv6_address_list_enabled": False,
        "ipv6_addresses": [a["Ipv6Address"] for a in eni.get("Ipv6Addresses") or []],
        "ipv6_prefix_count": 0,
        "ipv6_prefixes": [],
        "mac_address": eni.get("MacAddress", ""),
        "outpost_arn": "",
        "owner_id": eni.get("OwnerId", account),
        "private_dns_name": eni.get("PrivateDnsName", ""),
        "private_ip": eni.get("PrivateIpAddress", ""),
        "private_ip_list": addresses,
        "private_ip_list_enabled": False,
        "private_ips": addresses,
        "private_ips_count": max(len(addresses) - 1, 0),
        "security_groups": sorted(g["GroupId"] for g in eni.get("Groups") or []),
        "source_dest_check": bool(eni.get("SourceDestCheck", True)),
        "subnet_id": eni["SubnetId"],
        "tags": tag_map,
        "tags_all": tag_map,
    }


def declare_appliance_interface(session: Any, state: Any, ctx: dict[str, Any], region: str) -> str:
    """An appliance's interface in the case's subnet, declared as aws_network_interface.appliance:
    a case whose edit points something at an interface points it at one Terraform made (an
    interface made by hand would be a finding of its own)."""
    ec2 = session.client("ec2", region_name=region)
    account = session.client("sts", region_name=region).get_caller_identity()["Account"]
    eni_id = ec2.create_network_interface(SubnetId=ctx["subnet_id"], Description="appliance")[
        "NetworkInterface"
    ]["NetworkInterfaceId"]
    live = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni_id])["NetworkInterfaces"][0]
    state.add("aws_network_interface", "appliance", network_interface_attributes(live, account, region))
    ctx["appliance_eni"] = eni_id
    return str(eni_id)
