"""Which CloudTrail events change each resource type, declared next to the collectors.

Two readers use this table: attribution (a finding of this kind on this type was most
likely made by one of these events) and `guard on-event` (this event touched that
resource). A type without an entry is still attributed, to any write event on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from guard.live.resources.security_group_rules import EGRESS, INGRESS

_TAGS = ("CreateTags", "DeleteTags")
# CreateTags and DeleteTags name their resources in a list; the id prefix says which type.
_TAGGED = "requestParameters.resourcesSet.items[].resourceId"


@dataclass(frozen=True)
class TypeEvents:
    """The write events for one Terraform type, and how an event names the resource."""

    id_prefix: str  # the cloud id's prefix (sg-, i-): tells a tagged resource's type
    missing: tuple[str, ...] = ()  # events that delete it
    unmanaged: tuple[str, ...] = ()  # events that create it
    changed: tuple[str, ...] = ()  # events that edit it, when no path below says better
    by_path: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # top attribute -> events
    # CloudTrail names a rule by its group: the attribute holding the name to look up.
    lookup_attr: str | None = None
    # Event name -> JMESPath (over the CloudTrail record) to the ids of resources it touched.
    touched_by: Mapping[str, str] = field(default_factory=dict)
    # EC2 Describe filter that reads just one resource by its id, or its children by the parent's.
    id_filter: str | None = None
    parent_filter: str | None = None

    def for_change(self, kind: str, paths: tuple[str, ...]) -> tuple[str, ...]:
        """Event names that make this kind of change (kind is a DriftKind value)."""
        if kind == "missing":
            return self.missing
        if kind == "unmanaged":
            return self.unmanaged
        names: list[str] = []
        for path in paths:
            for name in self.by_path.get(path.split(".", 1)[0], ()):
                if name not in names:
                    names.append(name)
        return tuple(names) or self.changed


def _rule_events(direction: str) -> TypeEvents:
    title = direction.capitalize()
    return TypeEvents(
        id_prefix="sgr-",
        missing=(f"RevokeSecurityGroup{title}", "ModifySecurityGroupRules", "DeleteSecurityGroup"),
        unmanaged=(f"AuthorizeSecurityGroup{title}", "ModifySecurityGroupRules"),
        changed=(
            "ModifySecurityGroupRules",
            f"UpdateSecurityGroupRuleDescriptions{title}",
            f"RevokeSecurityGroup{title}",
            f"AuthorizeSecurityGroup{title}",
        ),
        lookup_attr="security_group_id",
        parent_filter="group-id",  # an event on a rule is an event on its group
    )


_GROUP = "requestParameters.groupId"
_INSTANCES = "requestParameters.instancesSet.items[].instanceId"

EVENTS: dict[str, TypeEvents] = {
    INGRESS: _rule_events("ingress"),
    EGRESS: _rule_events("egress"),
    "aws_security_group": TypeEvents(
        id_prefix="sg-",
        missing=("DeleteSecurityGroup",),
        unmanaged=("CreateSecurityGroup",),
        changed=_TAGS,
        by_path={"tags": _TAGS},
        id_filter="group-id",
        touched_by={
            **{
                f"{verb}SecurityGroup{direction}": _GROUP
                for verb in ("Authorize", "Revoke")
                for direction in ("Ingress", "Egress")
            },
            "ModifySecurityGroupRules": _GROUP,
            "UpdateSecurityGroupRuleDescriptionsIngress": _GROUP,
            "UpdateSecurityGroupRuleDescriptionsEgress": _GROUP,
            "DeleteSecurityGroup": _GROUP,
            "CreateSecurityGroup": "responseElements.groupId",
            "CreateTags": _TAGGED,
            "DeleteTags": _TAGGED,
        },
    ),
    "aws_instance": TypeEvents(
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
            "tags": _TAGS,
        },
        id_filter="instance-id",
        touched_by={
            "ModifyInstanceAttribute": "requestParameters.instanceId",
            "ModifyInstanceMetadataOptions": "requestParameters.instanceId",
            "MonitorInstances": _INSTANCES,
            "UnmonitorInstances": _INSTANCES,
            "TerminateInstances": _INSTANCES,
            "RunInstances": "responseElements.instancesSet.items[].instanceId",
            "AssociateIamInstanceProfile": "requestParameters.AssociateIamInstanceProfileRequest.InstanceId",
            "CreateTags": _TAGGED,
            "DeleteTags": _TAGGED,
        },
    ),
    "aws_vpc": TypeEvents(
        id_prefix="vpc-",
        missing=("DeleteVpc",),
        unmanaged=("CreateVpc",),
        changed=("ModifyVpcAttribute", "ModifyVpcTenancy", *_TAGS),
        by_path={"instance_tenancy": ("ModifyVpcTenancy",), "tags": _TAGS},
        id_filter="vpc-id",
        touched_by={
            "DeleteVpc": "requestParameters.vpcId",
            "ModifyVpcAttribute": "requestParameters.vpcId",
            "ModifyVpcTenancy": "requestParameters.ModifyVpcTenancyRequest.VpcId",
            "CreateVpc": "responseElements.vpc.vpcId",
            "CreateTags": _TAGGED,
            "DeleteTags": _TAGGED,
        },
    ),
    "aws_subnet": TypeEvents(
        id_prefix="subnet-",
        missing=("DeleteSubnet",),
        unmanaged=("CreateSubnet",),
        changed=("ModifySubnetAttribute", *_TAGS),
        by_path={"map_public_ip_on_launch": ("ModifySubnetAttribute",), "tags": _TAGS},
        id_filter="subnet-id",
        touched_by={
            "DeleteSubnet": "requestParameters.subnetId",
            "ModifySubnetAttribute": "requestParameters.subnetId",
            "CreateSubnet": "responseElements.subnet.subnetId",
            "CreateTags": _TAGGED,
            "DeleteTags": _TAGGED,
        },
    ),
}


def events_for(type_name: str) -> TypeEvents | None:
    return EVENTS.get(type_name)
