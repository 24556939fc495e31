"""Terraform AWS provider 5.x state attributes for the network-edge types, from what AWS answers."""

from __future__ import annotations

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
