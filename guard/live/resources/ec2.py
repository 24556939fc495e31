"""EC2 compute types: instances, elastic IPs, EBS volumes, launch templates, key pairs."""

from __future__ import annotations

import zlib
from dataclasses import replace
from typing import Any

from guard.live.events import IdForms, TypeEvents, edits
from guard.live.shape import (
    EC2_TAG_EVENTS,
    EC2_TAGGED_IDS,
    declared_tags,
    ec2_tag_calls,
    first_block,
    tags,
    with_declared_tags,
)
from guard.live.types import (
    REGISTRY,
    Attrs,
    Expansion,
    GraphHooks,
    GraphRole,
    Join,
    ResourceType,
    writes,
)
from guard.model import AwsCall, Change, Resource

# Tags that mark an instance as launched by something other than Terraform.
_OWNED_ELSEWHERE_TAGS = (
    "aws:autoscaling:groupName",
    "eks:nodegroup-name",  # an EKS managed node group's node, also once out of its group
    "karpenter.sh/nodepool",
    "aws:ec2spot:fleet-request-id",
)

_INSTANCES = "requestParameters.instancesSet.items[].instanceId"


def _instance_attrs(item: dict[str, Any]) -> Attrs:
    metadata = item.get("MetadataOptions") or {}
    profile = (item.get("IamInstanceProfile") or {}).get("Arn") or ""
    return {
        "instance_type": item.get("InstanceType"),
        "ami": item.get("ImageId"),
        "subnet_id": item.get("SubnetId"),
        "key_name": item.get("KeyName"),
        "vpc_security_group_ids": sorted(g["GroupId"] for g in item.get("SecurityGroups") or []),
        "iam_instance_profile": profile.rsplit("/", 1)[-1] or None,
        "monitoring": (item.get("Monitoring") or {}).get("State") in ("enabled", "pending"),
        "source_dest_check": item.get("SourceDestCheck", True),
        "ebs_optimized": bool(item.get("EbsOptimized")),
        "http_tokens": metadata.get("HttpTokens"),
        "http_endpoint": metadata.get("HttpEndpoint"),
        "tags": tags(item),
    }


def _instance_desired(attrs: Attrs) -> Attrs:
    shaped = with_declared_tags(
        attrs, ("instance_type", "ami", "subnet_id", "key_name", "iam_instance_profile")
    )
    shaped.update(
        vpc_security_group_ids=sorted(attrs.get("vpc_security_group_ids") or []),
        monitoring=bool(attrs.get("monitoring")),
        source_dest_check=attrs.get("source_dest_check", True) is not False,
        ebs_optimized=bool(attrs.get("ebs_optimized")),
    )
    # States from before metadata_options existed say nothing about it: compare nothing.
    metadata = first_block(attrs, "metadata_options")
    shaped.update({name: metadata[name] for name in ("http_tokens", "http_endpoint") if name in metadata})
    return shaped


def _instance_arguments(resource: Resource) -> Attrs:
    """The live instance as `aws_instance` arguments: metadata options are a block."""
    attrs = dict(resource.attrs)
    metadata = {name: attrs.pop(name) for name in ("http_tokens", "http_endpoint") if attrs.get(name)}
    if metadata:
        attrs["metadata_options"] = [metadata]
    return attrs


@writes(
    ec2_tag_calls,
    "modify_instance_metadata_options",
    "modify_instance_attribute",
    "monitor_instances",
    "unmonitor_instances",
)
def _instance_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    """Only the changes AWS lets us undo on a running instance; the rest is Terraform's job."""
    calls: list[AwsCall] = []
    region = resource.region
    metadata: dict[str, Any] = {}
    for change in changes:
        if change.path == "vpc_security_group_ids":
            calls.append(
                AwsCall(
                    "ec2",
                    "modify_instance_attribute",
                    {"InstanceId": resource.id, "Groups": list(change.expected or [])},
                    region,
                )
            )
        elif change.path == "source_dest_check":
            calls.append(
                AwsCall(
                    "ec2",
                    "modify_instance_attribute",
                    {
                        "InstanceId": resource.id,
                        "SourceDestCheck": {"Value": bool(change.expected)},
                    },
                    region,
                )
            )
        elif change.path == "monitoring":
            operation = "monitor_instances" if change.expected else "unmonitor_instances"
            calls.append(AwsCall("ec2", operation, {"InstanceIds": [resource.id]}, region))
        elif change.path in ("http_tokens", "http_endpoint") and change.expected:
            # Send every declared option: some implementations reset the ones left out.
            metadata = {
                key: resource.attrs[name]
                for name, key in (("http_tokens", "HttpTokens"), ("http_endpoint", "HttpEndpoint"))
                if resource.attrs.get(name)
            }
    if metadata:
        calls.append(
            AwsCall(
                "ec2",
                "modify_instance_metadata_options",
                {"InstanceId": resource.id, **metadata},
                region,
            )
        )
    return calls + ec2_tag_calls(resource, changes)


_INSTANCE_EVENTS = TypeEvents(
    id_prefix="i-",
    missing=("TerminateInstances",),
    unmanaged=("RunInstances",),
    changed=("ModifyInstanceAttribute",),
    by_path={
        "instance_type": ("ModifyInstanceAttribute",),
        "vpc_security_group_ids": ("ModifyInstanceAttribute", "ModifyNetworkInterfaceAttribute"),
        "source_dest_check": ("ModifyInstanceAttribute",),
        "ebs_optimized": ("ModifyInstanceAttribute",),
        "monitoring": ("MonitorInstances", "UnmonitorInstances"),
        "http_tokens": ("ModifyInstanceMetadataOptions",),
        "http_endpoint": ("ModifyInstanceMetadataOptions",),
        "iam_instance_profile": (
            "AssociateIamInstanceProfile",
            "ReplaceIamInstanceProfileAssociation",
            "DisassociateIamInstanceProfile",
        ),
        "tags": EC2_TAG_EVENTS,
    },
    touched_by={
        "ModifyInstanceAttribute": "requestParameters.instanceId",
        "ModifyInstanceMetadataOptions": "requestParameters.instanceId",
        "MonitorInstances": _INSTANCES,
        "UnmonitorInstances": _INSTANCES,
        "TerminateInstances": _INSTANCES,
        "RunInstances": "responseElements.instancesSet.items[].instanceId",
        "AssociateIamInstanceProfile": "requestParameters.AssociateIamInstanceProfileRequest.InstanceId",
        "CreateTags": EC2_TAGGED_IDS,
        "DeleteTags": EC2_TAGGED_IDS,
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_instance",
        service="ec2",
        list_call="describe_instances",
        events=_INSTANCE_EVENTS,
        items_path="Reservations[].Instances[]",
        id_key="InstanceId",
        to_attrs=_instance_attrs,
        normalise_desired=_instance_desired,
        compared=(
            "instance_type",
            "ami",
            "subnet_id",
            "key_name",
            "vpc_security_group_ids",
            "iam_instance_profile",
            "monitoring",
            "source_dest_check",
            "ebs_optimized",
            "http_tokens",
            "http_endpoint",
            "tags",
        ),
        ignored={
            "instance_state": "running or stopped is operations, not configuration",
            "public_ip": "assigned by AWS",
            "private_ip": "assigned by AWS unless set, and it cannot change in place",
            "disable_api_termination": "needs one DescribeInstanceAttribute call per instance",
            "user_data": "needs one DescribeInstanceAttribute call per instance",
            "root_block_device": "compared as aws_ebs_volume",
        },
        keep_item=lambda item: (item.get("State") or {}).get("Name") not in ("terminated", "shutting-down"),
        aws_default=lambda item: any(tag["Key"] in _OWNED_ELSEWHERE_TAGS for tag in item.get("Tags") or []),
        restore_calls=_instance_restore,
        restorable=(
            "vpc_security_group_ids",
            "source_dest_check",
            "monitoring",
            "http_tokens",
            "http_endpoint",
            "tags",
        ),
        describe=lambda resource: f"instance {resource.attrs.get('tags', {}).get('Name') or resource.id}",
        delete_calls=writes("terminate_instances")(
            lambda r: [AwsCall("ec2", "terminate_instances", {"InstanceIds": [r.id]}, r.region)]
        ),
        read_params=lambda r: {"InstanceIds": [r.id]},
        hcl_arguments=_instance_arguments,
        graph=GraphHooks(role=GraphRole.INSTANCE),
    )
)


# --- elastic IPs -----------------------------------------------------------------------


_EIP_BY_PATH = {
    "instance": ("AssociateAddress", "DisassociateAddress"),
    "network_interface": ("AssociateAddress", "DisassociateAddress"),
    "tags": EC2_TAG_EVENTS,
}
_EIP_EVENTS = TypeEvents(
    id_prefix="eipalloc-",
    missing=("ReleaseAddress",),
    unmanaged=("AllocateAddress",),
    changed=edits(_EIP_BY_PATH),
    by_path=_EIP_BY_PATH,
    # DisassociateAddress names the association (eipassoc-) only: a scan finds that one.
    touched_by={
        "AllocateAddress": "responseElements.allocationId",
        "ReleaseAddress": "requestParameters.allocationId",
        "AssociateAddress": "requestParameters.allocationId",
        "CreateTags": EC2_TAGGED_IDS,
        "DeleteTags": EC2_TAGGED_IDS,
    },
)


@writes("associate_address", ec2_tag_calls)
def _eip_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    """An address disassociated or moved goes back to the declared instance or interface."""
    calls: list[AwsCall] = []
    if any(change.path in ("instance", "network_interface") for change in changes):
        attrs = resource.attrs
        # By instance when declared: AWS picks its primary interface, as the provider does.
        if attrs.get("instance"):
            target: dict[str, Any] = {"InstanceId": attrs["instance"]}
        elif attrs.get("network_interface"):
            target = {"NetworkInterfaceId": attrs["network_interface"]}
            if attrs.get("private_ip"):
                target["PrivateIpAddress"] = attrs["private_ip"]
        else:
            target = {}
        if target:
            params = {"AllocationId": resource.id, **target, "AllowReassociation": True}
            calls.append(AwsCall("ec2", "associate_address", params, resource.region))
    return calls + ec2_tag_calls(resource, changes)


REGISTRY.register(
    ResourceType(
        name="aws_eip",
        events=_EIP_EVENTS,
        service="ec2",
        list_call="describe_addresses",
        items_path="Addresses",
        id_key="AllocationId",
        to_attrs=lambda item: {
            "domain": item.get("Domain") or "vpc",
            # AWS names Amazon's pool "amazon"; moto leaves the field out.
            "public_ipv4_pool": item.get("PublicIpv4Pool") or "amazon",
            "instance": item.get("InstanceId") or None,
            "network_interface": item.get("NetworkInterfaceId") or None,
            "tags": tags(item),
        },
        keep_item=lambda item: bool(item.get("AllocationId")),  # EC2-Classic addresses have none
        normalise_desired=lambda attrs: {
            "domain": attrs.get("domain") or "vpc",
            "public_ipv4_pool": attrs.get("public_ipv4_pool") or None,
            "instance": attrs.get("instance") or None,
            "network_interface": attrs.get("network_interface") or None,
            "private_ip": attrs.get("private_ip") or None,  # not compared: where the restore goes back to
            "tags": declared_tags(attrs),
        },
        compared=("domain", "public_ipv4_pool", "instance", "network_interface", "tags"),
        # aws_eip_association (or a NAT gateway) associates the address after the EIP is stored.
        compared_if_declared=("public_ipv4_pool", "instance", "network_interface"),
        ignored={
            "public_ip": "fixed by the allocation",
            "private_ip": "follows the association",
            "association_id": "computed",
            "public_dns": "computed",
            "private_dns": "computed",
            "network_border_group": "provider-defaulted to the region",
            "vpc": "deprecated alias of domain",
        },
        restore_calls=_eip_restore,
        restorable=("instance", "network_interface", "tags"),
    )
)


# --- EBS volumes -----------------------------------------------------------------------

_PROVISIONED_IOPS = ("io1", "io2", "gp3")


def _volume_shape(
    volume_type: Any,
    size: Any,
    iops: Any,
    throughput: Any,
    encrypted: Any,
    kms_key_id: Any,
    multi_attach: Any,
    zone: Any,
    volume_tags: dict[str, str],
) -> Attrs:
    """gp2/st1/sc1 IOPS follow the size, so they are compared only where they are set."""
    kind = str(volume_type or "gp2")
    return {
        "availability_zone": zone,
        "type": kind,
        "size": int(size) if size not in (None, "") else None,
        "iops": int(iops) if kind in _PROVISIONED_IOPS and iops else None,
        "throughput": int(throughput) if kind == "gp3" and throughput else None,
        "encrypted": bool(encrypted),
        "kms_key_id": kms_key_id or None,
        "multi_attach_enabled": bool(multi_attach),
        "tags": volume_tags,
    }


@writes("modify_volume", ec2_tag_calls)
def _volume_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    """ModifyVolume can grow a volume and change its type or performance, never shrink it."""
    fields = {"type": "VolumeType", "iops": "Iops", "throughput": "Throughput", "size": "Size"}
    params: dict[str, Any] = {}
    for change in changes:
        if change.path in fields and change.expected is not None:
            if change.path == "size" and (change.actual or 0) > change.expected:
                continue
            params[fields[change.path]] = change.expected
    calls = [AwsCall("ec2", "modify_volume", {"VolumeId": resource.id, **params}, resource.region)]
    return (calls if params else []) + ec2_tag_calls(resource, changes)


def _mark_launched_volumes(volumes: list[Attrs], reservations: list[Attrs]) -> None:
    """A root volume, or one launched to die with its instance, belongs to the instance.

    AWS says so on the volume's attachment too; moto only in the instance's mappings.
    """
    launched: set[str] = set()
    for instance in (i for r in reservations for i in r.get("Instances") or []):
        for mapping in instance.get("BlockDeviceMappings") or []:
            ebs = mapping.get("Ebs") or {}
            root = mapping.get("DeviceName") == instance.get("RootDeviceName")
            if ebs.get("VolumeId") and (root or ebs.get("DeleteOnTermination")):
                launched.add(ebs["VolumeId"])
    for volume in volumes:
        attachments = volume.get("Attachments") or []
        volume["LaunchedWithInstance"] = volume["VolumeId"] in launched or any(
            a.get("DeleteOnTermination") for a in attachments
        )


_VOLUME_BY_PATH = {
    **dict.fromkeys(("type", "size", "iops", "throughput", "multi_attach_enabled"), ("ModifyVolume",)),
    "tags": EC2_TAG_EVENTS,
}
_VOLUME_EVENTS = TypeEvents(
    id_prefix="vol-",
    missing=("DeleteVolume",),
    unmanaged=("CreateVolume",),
    changed=edits(_VOLUME_BY_PATH),
    by_path=_VOLUME_BY_PATH,
    touched_by={
        "CreateVolume": "responseElements.volumeId",
        "DeleteVolume": "requestParameters.volumeId",
        "ModifyVolume": "requestParameters.ModifyVolumeRequest.VolumeId",
        "CreateTags": EC2_TAGGED_IDS,
        "DeleteTags": EC2_TAGGED_IDS,
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_ebs_volume",
        events=_VOLUME_EVENTS,
        service="ec2",
        list_call="describe_volumes",
        items_path="Volumes",
        id_key="VolumeId",
        to_attrs=lambda item: _volume_shape(
            item.get("VolumeType"),
            item.get("Size"),
            item.get("Iops"),
            item.get("Throughput"),
            item.get("Encrypted"),
            item.get("KmsKeyId"),
            item.get("MultiAttachEnabled"),
            item.get("AvailabilityZone"),
            tags(item),
        ),
        normalise_desired=lambda attrs: _volume_shape(
            attrs.get("type"),
            attrs.get("size"),
            attrs.get("iops"),
            attrs.get("throughput"),
            attrs.get("encrypted"),
            attrs.get("kms_key_id"),
            attrs.get("multi_attach_enabled"),
            attrs.get("availability_zone"),
            declared_tags(attrs),
        ),
        compared=(
            "availability_zone",
            "type",
            "size",
            "iops",
            "throughput",
            "encrypted",
            "kms_key_id",
            "multi_attach_enabled",
            "tags",
        ),
        ignored={
            "snapshot_id": "only read at creation",
            "final_snapshot": "Terraform-only setting",
            "arn": "computed",
            "outpost_arn": "fixed at creation",
        },
        # Read once per region for aws_instance anyway: the calls are shared.
        companion_call=("describe_instances", "Reservations"),
        merge_companion=_mark_launched_volumes,
        # Launched with an instance (root_block_device / ebs_block_device): the instance's.
        aws_default=lambda item: bool(item.get("LaunchedWithInstance")),
        restore_calls=_volume_restore,
        restorable=("type", "size", "iops", "throughput", "tags"),
    )
)


# --- launch templates --------------------------------------------------------------------


@writes("modify_launch_template", ec2_tag_calls)
def _template_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    calls = [
        AwsCall(
            "ec2",
            "modify_launch_template",
            {"LaunchTemplateId": resource.id, "DefaultVersion": str(change.expected)},
            resource.region,
        )
        for change in changes
        if change.path == "default_version" and change.expected is not None
    ]
    return calls + ec2_tag_calls(resource, changes)


def _version(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


def _template_id(call: str, answer: str = "launchTemplate") -> str:
    """The newer EC2 calls wrap their request and answer in CALLRequest / CALLResponse."""
    return (
        f"responseElements.{call}Response.{answer}.launchTemplateId"
        f" || requestParameters.{call}Request.LaunchTemplateId"
    )


_TEMPLATE_BY_PATH = {
    "default_version": ("ModifyLaunchTemplate",),
    "latest_version": ("CreateLaunchTemplateVersion", "DeleteLaunchTemplateVersions"),
    "tags": EC2_TAG_EVENTS,
}
_TEMPLATE_EVENTS = TypeEvents(
    id_prefix="lt-",
    missing=("DeleteLaunchTemplate",),
    unmanaged=("CreateLaunchTemplate",),
    changed=edits(_TEMPLATE_BY_PATH),
    by_path=_TEMPLATE_BY_PATH,
    touched_by={
        "CreateLaunchTemplate": _template_id("CreateLaunchTemplate"),
        "DeleteLaunchTemplate": _template_id("DeleteLaunchTemplate"),
        "ModifyLaunchTemplate": _template_id("ModifyLaunchTemplate"),
        "CreateLaunchTemplateVersion": _template_id("CreateLaunchTemplateVersion", "launchTemplateVersion"),
        "DeleteLaunchTemplateVersions": (
            "requestParameters.DeleteLaunchTemplateVersionsRequest.LaunchTemplateId"
        ),
        "CreateTags": EC2_TAGGED_IDS,
        "DeleteTags": EC2_TAGGED_IDS,
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_launch_template",
        events=_TEMPLATE_EVENTS,
        service="ec2",
        list_call="describe_launch_templates",
        items_path="LaunchTemplates",
        id_key="LaunchTemplateId",
        to_attrs=lambda item: {
            "name": item.get("LaunchTemplateName"),
            "default_version": _version(item.get("DefaultVersionNumber")),
            "latest_version": _version(item.get("LatestVersionNumber")),
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: {
            "name": attrs.get("name"),
            "default_version": _version(attrs.get("default_version")),
            "latest_version": _version(attrs.get("latest_version")),
            "tags": declared_tags(attrs),
        },
        compared=("name", "default_version", "latest_version", "tags"),
        ignored={
            "image_id": "a template's data only changes by a new version: caught by latest_version",
            "instance_type": "a template's data only changes by a new version: caught by latest_version",
            "user_data": "a template's data only changes by a new version: caught by latest_version",
            "block_device_mappings": "a new version is the only way to change it: see latest_version",
            "network_interfaces": "a new version is the only way to change it: see latest_version",
            "update_default_version": "Terraform-only setting",
            "arn": "computed",
        },
        # EKS and other services make templates for their node groups; they tag them.
        aws_default=lambda item: any(t["Key"].startswith(("eks:", "aws:")) for t in item.get("Tags") or []),
        restore_calls=_template_restore,
        restorable=("default_version", "tags"),
    )
)


# --- key pairs -------------------------------------------------------------------------


@writes(ec2_tag_calls)
def _key_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    """EC2 tags a key pair by its key-*** id, not by the name Terraform uses as `id`."""
    key_pair_id = resource.attrs.get("key_pair_id")
    if not key_pair_id:
        return []
    return ec2_tag_calls(replace(resource, id=str(key_pair_id)), changes)


@writes("import_key_pair")
def _recreate_key(declared: Resource) -> list[AwsCall]:
    material = declared.attrs.get("public_key")
    if not material:
        return []
    return [
        AwsCall(
            "ec2",
            "import_key_pair",
            {"KeyName": declared.id, "PublicKeyMaterial": material},
            declared.region,
        )
    ]


_KEY_PAIR_EVENTS = TypeEvents(
    missing=("DeleteKeyPair",),
    unmanaged=("CreateKeyPair", "ImportKeyPair"),
    changed=("DeleteKeyPair", "ImportKeyPair", *EC2_TAG_EVENTS),
    by_path={"fingerprint": ("ImportKeyPair",), "key_type": ("ImportKeyPair",), "tags": EC2_TAG_EVENTS},
    # Terraform's id is the key name; tag calls name the pair by its key- id: a scan finds those.
    touched_by=dict.fromkeys(
        ("CreateKeyPair", "ImportKeyPair", "DeleteKeyPair"), "requestParameters.keyName"
    ),
    ids=IdForms(((r".+", "{value}"),), "a key pair name"),
)


REGISTRY.register(
    ResourceType(
        name="aws_key_pair",
        events=_KEY_PAIR_EVENTS,
        service="ec2",
        list_call="describe_key_pairs",
        items_path="KeyPairs",
        id_key="KeyName",
        to_attrs=lambda item: {
            "key_pair_id": item.get("KeyPairId"),
            "fingerprint": item.get("KeyFingerprint"),
            "key_type": item.get("KeyType") or "rsa",
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: {
            "key_pair_id": attrs.get("key_pair_id"),
            "public_key": attrs.get("public_key"),
            "fingerprint": attrs.get("fingerprint"),
            "key_type": attrs.get("key_type") or "rsa",
            "tags": declared_tags(attrs),
        },
        compared=("fingerprint", "key_type", "tags"),
        ignored={
            "key_pair_id": "a key re-imported with the same material is the same key (fingerprint)",
            "public_key": "AWS returns it only on request; the fingerprint stands for it",
            "key_name_prefix": "Terraform-only setting",
            "arn": "computed",
        },
        restore_calls=_key_restore,
        recreate_calls=_recreate_key,
    )
)


# aws_volume_attachment ------------------------------------------------------------------


def volume_attachment_id(device: Any, instance: Any, volume: Any) -> str:
    """Terraform's id: `vai-` and the CRC-32 of "DEVICE-INSTANCE-VOLUME-" (the provider's hash)."""
    return f"vai-{zlib.crc32(f'{device}-{instance}-{volume}-'.encode())}"


def _mark_attachments(volumes: list[Attrs], reservations: list[Attrs]) -> None:
    """An attachment made by launching the instance (its root device, or one set to die with
    it) is the instance's: aws_instance declares it, never aws_volume_attachment.

    AWS says DeleteOnTermination on the attachment too; moto only in the instance's mappings."""
    launched: set[tuple[str, str]] = set()
    for instance in (i for r in reservations for i in r.get("Instances") or []):
        for mapping in instance.get("BlockDeviceMappings") or []:
            ebs = mapping.get("Ebs") or {}
            root = mapping.get("DeviceName") == instance.get("RootDeviceName")
            if ebs.get("VolumeId") and (root or ebs.get("DeleteOnTermination")):
                launched.add((ebs["VolumeId"], str(instance.get("InstanceId"))))
    for volume in volumes:
        volume["Attachments"] = [
            {
                **attachment,
                "LaunchedWithInstance": bool(attachment.get("DeleteOnTermination"))
                or (volume["VolumeId"], str(attachment.get("InstanceId"))) in launched,
            }
            for attachment in volume.get("Attachments") or []
        ]


def _attachment_items(volume: Attrs) -> list[Attrs]:
    return [
        {
            **attachment,
            "Id": volume_attachment_id(
                attachment.get("Device"), attachment.get("InstanceId"), volume["VolumeId"]
            ),
            "VolumeId": volume["VolumeId"],
        }
        for attachment in volume.get("Attachments") or []
        if attachment.get("State") in ("attaching", "attached", "busy")
    ]


def _attachment_shape(device: Any, instance: Any, volume: Any) -> Attrs:
    return {"device_name": device or None, "instance_id": instance or None, "volume_id": volume or None}


def _volume_attachment_key(resource: Resource) -> str:
    attrs = resource.attrs
    return f"{attrs.get('volume_id')}|{attrs.get('instance_id')}|{attrs.get('device_name')}"


def _instance_attachments(instance: Resource, _: Any) -> list[Resource]:
    """The volumes an aws_instance declares inline (root_block_device, ebs_block_device) are
    attached by launching it: they stand for those attachments, so none is unmanaged."""
    shapes = []
    blocks = [
        *(instance.attrs.get("root_block_device") or []),
        *(instance.attrs.get("ebs_block_device") or []),
    ]
    for block in blocks:
        if isinstance(block, dict) and block.get("volume_id") and block.get("device_name"):
            device, volume = block["device_name"], block["volume_id"]
            shapes.append(
                replace(
                    instance,
                    type="aws_volume_attachment",
                    id=volume_attachment_id(device, instance.id, volume),
                    attrs=_attachment_shape(device, instance.id, volume),
                    declared_type=instance.type,
                )
            )
    return shapes


def _attach_call(resource: Resource) -> AwsCall:
    attrs = resource.attrs
    request = {
        "Device": attrs.get("device_name"),
        "InstanceId": attrs.get("instance_id"),
        "VolumeId": attrs.get("volume_id"),
    }
    return AwsCall("ec2", "attach_volume", request, resource.region)


def _attachment_touched(value: Any, record: Any) -> str | None:
    """AttachVolume names volume, instance and device; DetachVolume's answer says all three."""
    if not isinstance(value, str) or not value.startswith("vol-"):
        return None
    said = {**(record.get("requestParameters") or {}), **(record.get("responseElements") or {})}
    if not (said.get("instanceId") and said.get("device")):
        return None
    return volume_attachment_id(said["device"], said["instanceId"], value)


_ATTACHMENT_EVENTS = TypeEvents(
    missing=("DetachVolume",),
    unmanaged=("AttachVolume",),
    changed=("DetachVolume", "AttachVolume"),
    touched_by=dict.fromkeys(("AttachVolume", "DetachVolume"), "requestParameters.volumeId"),
    ids=_attachment_touched,
)


REGISTRY.register(
    ResourceType(
        name="aws_volume_attachment",
        events=_ATTACHMENT_EVENTS,
        service="ec2",
        # The same pages as aws_ebs_volume and aws_instance: read once per region for all three.
        list_call="describe_volumes",
        items_path="Volumes",
        companion_call=("describe_instances", "Reservations"),
        merge_companion=_mark_attachments,
        split_item=_attachment_items,
        id_key="Id",
        to_attrs=lambda item: _attachment_shape(
            item.get("Device"), item.get("InstanceId"), item.get("VolumeId")
        ),
        normalise_desired=lambda attrs: _attachment_shape(
            attrs.get("device_name"), attrs.get("instance_id"), attrs.get("volume_id")
        ),
        compared=("device_name", "instance_id", "volume_id"),
        ignored={
            "force_detach": "Terraform-only setting",
            "skip_destroy": "Terraform-only setting",
            "stop_instance_before_detaching": "Terraform-only setting",
        },
        aws_default=lambda item: bool(item.get("LaunchedWithInstance")),
        parent=("instance_id", "aws_instance"),
        match_key=_volume_attachment_key,
        read_params=lambda resource: (
            {"VolumeIds": [resource.attrs["volume_id"]]} if resource.attrs.get("volume_id") else {}
        ),
        restorable=(),
        recreate_calls=writes("attach_volume")(lambda resource: [_attach_call(resource)]),
        # Detaching is a write like any delete: only with --delete-unmanaged and the finding named.
        delete_calls=writes("detach_volume")(
            lambda live: [
                AwsCall(
                    "ec2",
                    "detach_volume",
                    {
                        "VolumeId": live.attrs.get("volume_id"),
                        "InstanceId": live.attrs.get("instance_id"),
                        "Device": live.attrs.get("device_name"),
                    },
                    live.region,
                )
            ]
        ),
        describe=lambda resource: (
            f"attachment of {resource.attrs.get('volume_id')} to {resource.attrs.get('instance_id')} "
            f"as {resource.attrs.get('device_name')}"
        ),
        pulumi_tokens=("aws:ec2/volumeAttachment:VolumeAttachment",),
        graph=GraphHooks(
            role=GraphRole.ATTACHMENT,
            joins=Join(user="instance_id", used="volume_id", relation="volume_attachment"),
        ),
    )
)
REGISTRY.add_expansion(Expansion("aws_instance", precedence=0, expand=_instance_attachments))
