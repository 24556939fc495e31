"""Cases for EFS file systems and their mount targets, in the AWS provider 5.x state shape."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState, security_group_attributes, subnet_attributes, vpc_attributes
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import REGION, account, client

LIFECYCLE = [{"TransitionToIA": "AFTER_30_DAYS"}]


def file_system_attributes(fs: dict[str, Any], owner: str) -> dict[str, Any]:
    tags = {tag["Key"]: tag["Value"] for tag in fs.get("Tags") or []}
    return {
        "arn": f"arn:aws:elasticfilesystem:{REGION}:{owner}:file-system/{fs['FileSystemId']}",
        "availability_zone_id": "",
        "availability_zone_name": "",
        "creation_token": fs["CreationToken"],
        "dns_name": f"{fs['FileSystemId']}.efs.{REGION}.amazonaws.com",
        "encrypted": fs["Encrypted"],
        "id": fs["FileSystemId"],
        "kms_key_id": fs.get("KmsKeyId") or "",
        "lifecycle_policy": [
            {
                "transition_to_archive": "",
                "transition_to_ia": "AFTER_30_DAYS",
                "transition_to_primary_storage_class": "",
            }
        ],
        "name": tags.get("Name", ""),
        "number_of_mount_targets": 0,
        "owner_id": owner,
        "performance_mode": fs["PerformanceMode"],
        "protection": [{"replication_overwrite": "ENABLED"}],
        "provisioned_throughput_in_mibps": 0,
        "size_in_bytes": [
            {"value": 6144, "value_in_archive": 0, "value_in_ia": 0, "value_in_standard": 6144}
        ],
        "tags": tags,
        "tags_all": tags,
        "throughput_mode": fs["ThroughputMode"],
    }


def make_file_system(session: boto3.Session, token: str, name: str) -> dict[str, Any]:
    efs = client(session, "efs")
    fs = efs.create_file_system(
        CreationToken=token,
        PerformanceMode="generalPurpose",
        ThroughputMode="bursting",
        Encrypted=True,
        Tags=[{"Key": "Name", "Value": name}],
    )
    efs.put_lifecycle_configuration(FileSystemId=fs["FileSystemId"], LifecyclePolicies=LIFECYCLE)
    return dict(fs)


def build_file_system(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    fs = make_file_system(session, "terraform-sweep-efs-shared", "sweep-efs-shared")
    ctx["file_system_id"] = fs["FileSystemId"]
    state.add("aws_efs_file_system", "shared", file_system_attributes(fs, account(session)))


def mount_target_attributes(target: dict[str, Any], groups: list[str], owner: str) -> dict[str, Any]:
    fs_id = target["FileSystemId"]
    zone = target.get("AvailabilityZoneName") or f"{REGION}a"
    return {
        "availability_zone_id": target.get("AvailabilityZoneId") or "",
        "availability_zone_name": zone,
        "dns_name": f"{fs_id}.efs.{REGION}.amazonaws.com",
        "file_system_arn": f"arn:aws:elasticfilesystem:{REGION}:{owner}:file-system/{fs_id}",
        "file_system_id": fs_id,
        "id": target["MountTargetId"],
        "ip_address": target["IpAddress"],
        "ip_address_type": "IPV4_ONLY",
        "ipv6_address": "",
        "mount_target_dns_name": f"{zone}.{fs_id}.efs.{REGION}.amazonaws.com",
        "network_interface_id": target["NetworkInterfaceId"],
        "owner_id": owner,
        "security_groups": sorted(groups),
        "subnet_id": target["SubnetId"],
    }


def _describe_interface_as_aws(session: boto3.Session, target: dict[str, Any]) -> None:
    """AWS describes (and requester-manages) the interface EFS makes for a mount target as
    "EFS mount target for fs-… (fsmt-…)"; moto leaves the description empty, so the case
    writes the one AWS gives, for aws_network_interface to see the interface as EFS's own."""
    description = f"EFS mount target for {target['FileSystemId']} ({target['MountTargetId']})"
    client(session, "ec2").modify_network_interface_attribute(
        NetworkInterfaceId=target["NetworkInterfaceId"], Description={"Value": description}
    )


def _group(session: boto3.Session, state: TerraformState, vpc_id: str, name: str) -> str:
    ec2 = client(session, "ec2")
    group_id = str(ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc_id)["GroupId"])
    ec2.revoke_security_group_egress(
        GroupId=group_id, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    state.add(
        "aws_security_group",
        name.replace("-", "_"),
        security_group_attributes(group, account(session), REGION, [], []),
    )
    return group_id


def build_mount_target(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """A file system with one mount target in a subnet of its own VPC, behind the nfs group;
    the sweep-efs-open group is declared too, for the edit to move the mount target to."""
    ec2, owner = client(session, "ec2"), account(session)
    vpc = ec2.create_vpc(CidrBlock="10.52.0.0/16")["Vpc"]
    state.add("aws_vpc", "efs", vpc_attributes(vpc, owner, REGION))
    subnet = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.52.1.0/24", AvailabilityZone=f"{REGION}a")[
        "Subnet"
    ]
    state.add("aws_subnet", "efs", subnet_attributes(subnet, owner))
    spare = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.52.2.0/24", AvailabilityZone=f"{REGION}b")
    ctx["spare_subnet"] = spare["Subnet"]["SubnetId"]
    state.add("aws_subnet", "efs_spare", subnet_attributes(spare["Subnet"], owner))
    nfs = _group(session, state, vpc["VpcId"], "sweep-efs-nfs")
    ctx["open_group"] = _group(session, state, vpc["VpcId"], "sweep-efs-open")
    fs = make_file_system(session, "terraform-sweep-efs-homes", "sweep-efs-homes")
    ctx["file_system_id"] = fs["FileSystemId"]
    state.add("aws_efs_file_system", "homes", file_system_attributes(fs, owner))
    target = client(session, "efs").create_mount_target(
        FileSystemId=fs["FileSystemId"], SubnetId=subnet["SubnetId"], SecurityGroups=[nfs]
    )
    ctx["mount_target_id"] = target["MountTargetId"]
    _describe_interface_as_aws(session, dict(target))
    state.add("aws_efs_mount_target", "homes", mount_target_attributes(dict(target), [nfs], owner))


def _second_mount_target(session: boto3.Session, ctx: Context) -> str:
    """One made in the console in the file system's other (declared) subnet."""
    made = client(session, "efs").create_mount_target(
        FileSystemId=ctx["file_system_id"], SubnetId=ctx["spare_subnet"]
    )
    _describe_interface_as_aws(session, dict(made))
    return str(made["MountTargetId"])


CASES = [
    TypeCase(
        "aws_efs_file_system",
        build=build_file_system,
        # The lifecycle policy removed in the console: cold files stay on Standard storage.
        drift=lambda s, c: client(s, "efs").put_lifecycle_configuration(
            FileSystemId=c["file_system_id"], LifecyclePolicies=[]
        ),
        expected=Expected(
            "changed",
            "aws_efs_file_system",
            "file_system_id",
            "aws_efs_file_system.shared",
            paths=("lifecycle_policy.transition_to_ia",),
        ),
        unmanaged=lambda s, c: str(
            client(s, "efs").create_file_system(CreationToken="console-sweep-efs-scratch")["FileSystemId"]
        ),
        unmanaged_type="aws_efs_file_system",
    ),
    TypeCase(
        "aws_efs_mount_target",
        build=build_mount_target,
        # Moved to a wider group in the console: NFS is now reachable from more than intended.
        drift=lambda s, c: client(s, "efs").modify_mount_target_security_groups(
            MountTargetId=c["mount_target_id"], SecurityGroups=[c["open_group"]]
        ),
        expected=Expected(
            "changed",
            "aws_efs_mount_target",
            "mount_target_id",
            "aws_efs_mount_target.homes",
            paths=("security_groups",),
        ),
        unmanaged=_second_mount_target,
        unmanaged_type="aws_efs_mount_target",
    ),
]
