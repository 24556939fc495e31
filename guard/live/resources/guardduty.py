"""GuardDuty detectors (one a region at most): one paginated ListDetectors per region, then
GetDetector per detector (GuardDuty has no batch describe; its answer carries the tags).
A detector switched off, or publishing findings less often, is drift."""

from __future__ import annotations

from typing import Any

from guard.live.events import IdForms, TypeEvents, edits
from guard.live.shape import declared_tags, tag_changes
from guard.live.types import REGISTRY, Attrs, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

# Terraform's default, and AWS's when CreateDetector is not told.
_FREQUENCY = "SIX_HOURS"


@reads("get_detector")
def read_detector(clients: Any, region: str, detector_id: str) -> dict[str, Any]:
    detector = clients.client("guardduty", region).get_detector(DetectorId=detector_id)
    detector.pop("ResponseMetadata", None)
    return {**detector, "DetectorId": detector_id}


def _detector_attrs(item: Attrs) -> Attrs:
    return {
        "enable": item.get("Status") == "ENABLED",
        "finding_publishing_frequency": item.get("FindingPublishingFrequency") or _FREQUENCY,
        "tags": {k: v for k, v in (item.get("Tags") or {}).items() if not k.startswith("aws:")},
    }


def _detector_desired(attrs: Attrs) -> Attrs:
    return {
        "enable": attrs.get("enable") is not False,
        "finding_publishing_frequency": attrs.get("finding_publishing_frequency") or _FREQUENCY,
        "tags": declared_tags(attrs),
    }


@writes("update_detector", "tag_resource", "untag_resource")
def _detector_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _detector_desired(resource.attrs)
    paths = {change.path.split(".", 1)[0] for change in changes}
    calls = []
    if paths & {"enable", "finding_publishing_frequency"}:
        request = {
            "DetectorId": resource.id,
            "Enable": declared["enable"],
            "FindingPublishingFrequency": declared["finding_publishing_frequency"],
        }
        calls.append(AwsCall("guardduty", "update_detector", request, resource.region))
    restore, remove = tag_changes(changes)
    arn = str(resource.attrs.get("arn") or "")
    if restore and arn:
        calls.append(
            AwsCall("guardduty", "tag_resource", {"ResourceArn": arn, "Tags": restore}, resource.region)
        )
    if remove and arn:
        request = {"ResourceArn": arn, "TagKeys": remove}
        calls.append(AwsCall("guardduty", "untag_resource", request, resource.region))
    return calls


_DETECTOR_BY_PATH = {
    "enable": ("UpdateDetector",),
    "finding_publishing_frequency": ("UpdateDetector",),
    "tags": ("TagResource", "UntagResource"),
}
_DETECTOR_EVENTS = TypeEvents(
    missing=("DeleteDetector",),
    unmanaged=("CreateDetector",),
    changed=edits(_DETECTOR_BY_PATH),
    by_path=_DETECTOR_BY_PATH,
    touched_by={
        "CreateDetector": "responseElements.detectorId",
        "DeleteDetector": "requestParameters.detectorId",
        "UpdateDetector": "requestParameters.detectorId",
        "TagResource": "requestParameters.resourceArn",
        "UntagResource": "requestParameters.resourceArn",
    },
    # Detector ids are 32 hex characters; the tag calls give the detector's ARN.
    ids=IdForms(
        (
            (r"arn:[\w-]+:guardduty:[\w-]+:\d{12}:detector/(?P<id>[0-9a-f]{32})", "{id}"),
            (r"[0-9a-f]{32}", "{value}"),
        ),
        "a detector id, or its ARN",
    ),
)


REGISTRY.register(
    ResourceType(
        name="aws_guardduty_detector",
        service="guardduty",
        list_call="list_detectors",
        items_path="DetectorIds",
        id_key="DetectorId",
        per_item=read_detector,
        to_attrs=_detector_attrs,
        normalise_desired=_detector_desired,
        compared=("enable", "finding_publishing_frequency", "tags"),
        ignored={
            "datasources": (
                "deprecated in provider 5.x for aws_guardduty_detector_feature (not read yet); "
                "AWS answers with its effective sources, not the declared ones"
            ),
            "account_id": "computed",
            "arn": "computed",
        },
        restore_calls=_detector_restore,
        restorable=("enable", "finding_publishing_frequency", "tags"),
        delete_calls=writes("delete_detector")(
            lambda live: [AwsCall("guardduty", "delete_detector", {"DetectorId": live.id}, live.region)]
        ),
        describe=lambda resource: f"GuardDuty detector {resource.id}",
        events=_DETECTOR_EVENTS,
        pulumi_tokens=("aws:guardduty/detector:Detector",),
    )
)
