"""Cases for Route53: a public zone and its records (apex NS and SOA belong to AWS)."""

from __future__ import annotations

import boto3

from guard.demo.state import TerraformState, route53_record_attributes, route53_zone_attributes
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client


def build_zone(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    route53 = client(session, "route53")
    created = route53.create_hosted_zone(
        Name="example.com",
        CallerReference="terraform-1",
        HostedZoneConfig={"Comment": "Managed by Terraform"},
    )
    zone = created["HostedZone"]
    zone_id = zone["Id"].rsplit("/", 1)[-1]
    route53.change_tags_for_resource(
        ResourceType="hostedzone", ResourceId=zone_id, AddTags=[{"Key": "Team", "Value": "edge"}]
    )
    ctx["zone_id"] = zone_id
    servers = created["DelegationSet"]["NameServers"]
    state.add("aws_route53_zone", "main", route53_zone_attributes(zone, servers, {"Team": "edge"}))


def _change(
    session: boto3.Session, zone_id: str, action: str, name: str, kind: str, values: list[str]
) -> None:
    client(session, "route53").change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={
            "Changes": [
                {
                    "Action": action,
                    "ResourceRecordSet": {
                        "Name": name,
                        "Type": kind,
                        "TTL": 300,
                        "ResourceRecords": [{"Value": v} for v in values],
                    },
                }
            ]
        },
    )


def build_records(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_zone(session, state, ctx)
    zone_id = ctx["zone_id"]
    _change(session, zone_id, "CREATE", "www.example.com", "A", ["192.0.2.10", "192.0.2.11"])
    _change(session, zone_id, "CREATE", "example.com", "TXT", ['"v=spf1 include:_spf.example.net ~all"'])
    ctx["www_id"] = f"{zone_id}_www.example.com_A"
    state.add(
        "aws_route53_record",
        "www",
        route53_record_attributes(zone_id, "www.example.com", "A", 300, ["192.0.2.11", "192.0.2.10"]),
    )
    # Terraform stores TXT values without the quotes Route53 answers with.
    state.add(
        "aws_route53_record",
        "spf",
        route53_record_attributes(
            zone_id, "example.com", "TXT", 300, ["v=spf1 include:_spf.example.net ~all"]
        ),
    )


def _new_zone(session: boto3.Session, ctx: Context) -> str:
    zone = client(session, "route53").create_hosted_zone(
        Name="adhoc.example.org", CallerReference="console-1"
    )
    return str(zone["HostedZone"]["Id"]).rsplit("/", 1)[-1]


def _new_record(session: boto3.Session, ctx: Context) -> str:
    _change(session, ctx["zone_id"], "CREATE", "test.example.com", "CNAME", ["www.example.com"])
    return f"{ctx['zone_id']}_test.example.com_CNAME"


CASES = [
    TypeCase(
        "aws_route53_zone",
        build=build_zone,
        drift=lambda s, c: client(s, "route53").update_hosted_zone_comment(Id=c["zone_id"], Comment="edited"),
        expected=Expected(
            "changed", "aws_route53_zone", "zone_id", "aws_route53_zone.main", paths=("comment",)
        ),
        unmanaged=_new_zone,
        unmanaged_type="aws_route53_zone",
    ),
    TypeCase(
        "aws_route53_record",
        build=build_records,
        drift=lambda s, c: _change(s, c["zone_id"], "UPSERT", "www.example.com", "A", ["203.0.113.66"]),
        expected=Expected(
            "changed", "aws_route53_record", "www_id", "aws_route53_record.www", paths=("records",)
        ),
        unmanaged=_new_record,
        unmanaged_type="aws_route53_record",
    ),
    TypeCase(
        "aws_route53_record",
        build=build_records,
        drift=lambda s, c: _change(
            s, c["zone_id"], "DELETE", "www.example.com", "A", ["192.0.2.10", "192.0.2.11"]
        ),
        expected=Expected(
            "missing", "aws_route53_record", "www_id", "aws_route53_record.www", title_has="was deleted"
        ),
    ),
]
