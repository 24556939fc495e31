"""The regions an account can use: `guard scan --all-regions`."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from guard.aws import Clients, short_error
from guard.errors import AwsAccessError

_ENABLED = ("opt-in-not-required", "opted-in")  # not "not-opted-in": those regions are off


def enabled_regions(clients: Clients) -> tuple[str, ...]:
    """Regions enabled for the account (DescribeRegions, opted-in ones only)."""
    region = clients.default_region() or "us-east-1"
    try:
        response = clients.client("ec2", region).describe_regions(
            Filters=[{"Name": "opt-in-status", "Values": list(_ENABLED)}]
        )
    except (ClientError, BotoCoreError) as exc:
        raise AwsAccessError(f"cannot list the account's regions: {short_error(exc)}") from None
    names = sorted(
        r["RegionName"]
        for r in response.get("Regions") or []
        if r.get("OptInStatus", _ENABLED[0]) in _ENABLED
    )
    if not names:
        raise AwsAccessError("DescribeRegions returned no enabled region")
    return tuple(names)
