"""Cases for RDS: a DB instance (id = DbiResourceId) in a DB subnet group."""

from __future__ import annotations

import boto3

from guard.demo.state import TerraformState, subnet_attributes, vpc_attributes
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import REGION, account, client
from tests.support.services import db_instance_attributes, db_subnet_group_attributes


def build_subnet_group(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ec2, rds = client(session, "ec2"), client(session, "rds")
    acct = account(session)
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]
    state.add("aws_vpc", "db", vpc_attributes(vpc, acct, REGION))
    subnet_ids = []
    for index, zone in enumerate(("a", "b")):
        subnet = ec2.create_subnet(
            VpcId=vpc["VpcId"], CidrBlock=f"10.30.{index}.0/24", AvailabilityZone=f"{REGION}{zone}"
        )["Subnet"]
        subnet_ids.append(subnet["SubnetId"])
        state.add("aws_subnet", "db", subnet_attributes(subnet, acct), index_key=index)
    group = rds.create_db_subnet_group(
        DBSubnetGroupName="prod-db",
        DBSubnetGroupDescription="Database subnets",
        SubnetIds=subnet_ids,
        Tags=[{"Key": "Team", "Value": "data"}],
    )["DBSubnetGroup"]
    ctx["subnet_group"] = "prod-db"
    ctx["subnet_ids"] = subnet_ids
    state.add("aws_db_subnet_group", "prod", db_subnet_group_attributes(group, {"Team": "data"}))


def build_instance(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_subnet_group(session, state, ctx)
    rds = client(session, "rds")
    rds.create_db_instance(
        DBInstanceIdentifier="orders",
        DBInstanceClass="db.t3.medium",
        Engine="postgres",
        EngineVersion="15.4",
        AllocatedStorage=50,
        MasterUsername="orders",
        MasterUserPassword="correct-horse-battery",
        DBSubnetGroupName="prod-db",
        BackupRetentionPeriod=7,
        StorageEncrypted=True,
        DeletionProtection=False,
        Tags=[{"Key": "Team", "Value": "data"}],
    )
    db = rds.describe_db_instances(DBInstanceIdentifier="orders")["DBInstances"][0]
    ctx["db_id"] = db["DbiResourceId"]
    state.add("aws_db_instance", "orders", db_instance_attributes(db), sensitive=("password",))


CASES = [
    TypeCase(
        "aws_db_instance",
        build=build_instance,
        drift=lambda s, c: client(s, "rds").modify_db_instance(
            DBInstanceIdentifier="orders", BackupRetentionPeriod=1, ApplyImmediately=True
        ),
        expected=Expected(
            "changed",
            "aws_db_instance",
            "db_id",
            "aws_db_instance.orders",
            paths=("backup_retention_period",),
        ),
        unmanaged=lambda s, c: str(
            client(s, "rds").create_db_instance(
                DBInstanceIdentifier="adhoc",
                DBInstanceClass="db.t3.micro",
                Engine="postgres",
                AllocatedStorage=20,
                MasterUsername="adhoc",
                MasterUserPassword="adhoc-password",
            )["DBInstance"]["DbiResourceId"]
        ),
        unmanaged_type="aws_db_instance",
    ),
    TypeCase(
        "aws_db_subnet_group",
        build=build_subnet_group,
        # moto's ModifyDBSubnetGroup loses the group, so the edit here is a tag.
        drift=lambda s, c: client(s, "rds").add_tags_to_resource(
            ResourceName=f"arn:aws:rds:{REGION}:{account(s)}:subgrp:prod-db",
            Tags=[{"Key": "Team", "Value": "x"}],
        ),
        expected=Expected(
            "changed", "aws_db_subnet_group", "subnet_group", "aws_db_subnet_group.prod", paths=("tags.Team",)
        ),
        unmanaged=lambda s, c: str(
            client(s, "rds").create_db_subnet_group(
                DBSubnetGroupName="adhoc", DBSubnetGroupDescription="adhoc", SubnetIds=c["subnet_ids"]
            )["DBSubnetGroup"]["DBSubnetGroupName"]
        ),
        unmanaged_type="aws_db_subnet_group",
    ),
]
