"""The regions an account can use: `guard scan --all-regions`."""

from __future__ import annotations

from collections.abc import Sequence

from botocore.exceptions import BotoCoreError, ClientError

from guard.aws import Clients, short_error
from guard.errors import AwsAccessError, GuardError

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


def regions_to_read(regions: Sequence[str], all_regions: bool, clients: Clients) -> tuple[str, ...]:
    """`--region` as given, or with `--all-regions` every enabled region (never both)."""
    if not all_regions:
        return tuple(regions)
    if regions:
        raise GuardError("--all-regions and --region cannot be used together")
    return enabled_regions(clients)
