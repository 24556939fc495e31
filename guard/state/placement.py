"""Where a declared resource lives (account, region), read from its own attributes."""

from __future__ import annotations

import re
from typing import Any

_ARN = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:(?P<region>[a-z0-9-]*):(?P<account>\d{12})?:")
_AZ = re.compile(r"^([a-z]{2}(?:-gov)?-[a-z]+-\d)[a-z]$")


def placement(attrs: dict[str, Any]) -> tuple[str | None, str | None]:
    """Return (account, region) when the attributes say; None where they do not.

    Provider 6.x writes `region` on every resource; earlier ones leave it to the ARN or,
    failing that, the availability zone and the `owner_id`.
    """
    account: str | None = None
    region = attrs.get("region") if isinstance(attrs.get("region"), str) else None
    region = region or None
    arn = attrs.get("arn")
    if isinstance(arn, str) and (match := _ARN.match(arn)):
        account = match.group("account") or None
        region = region or match.group("region") or None
    owner = attrs.get("owner_id")
    if account is None and isinstance(owner, str) and owner.isdigit() and len(owner) == 12:
        account = owner
    zone = attrs.get("availability_zone")
    if region is None and isinstance(zone, str) and (match := _AZ.match(zone)):
        region = match.group(1)
    return account, region
