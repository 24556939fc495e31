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
