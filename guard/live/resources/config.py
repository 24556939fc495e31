"""AWS Config: the configuration recorder (one a region for the account, and the ones
services link for themselves) from one DescribeConfigurationRecorders per region, and
whether it records from one DescribeConfigurationRecorderStatus per region (both answer
every recorder in one call). A recorder stopped outside Terraform is the finding that
matters most: nothing is recorded from then on."""

from __future__ import annotations

from typing import Any

from guard.live.events import IdForms, TypeEvents
from guard.live.shape import first_block
from guard.live.types import REGISTRY, Attrs, GraphHooks, ResourceType, writes
from guard.model import AwsCall, Change, Resource

_NAME = IdForms(((r"[\w.\-]+", "{value}"),), "a recorder's name")


def _strategy(all_supported: bool, included: list[str], excluded: list[str], use_only: Any) -> str:
    """What AWS answers when the request left the strategy out."""
    if use_only:
        return str(use_only)
    if excluded:
        return "EXCLUSION_BY_RESOURCE_TYPES"
    if included and not all_supported:
        return "INCLUSION_BY_RESOURCE_TYPES"
    return "ALL_SUPPORTED_RESOURCE_TYPES"


def _group(all_supported: Any, include_global: Any, included: Any, excluded: Any, use_only: Any) -> Attrs:
    every = True if all_supported is None else bool(all_supported)
    types, exclusions = sorted(included or []), sorted(excluded or [])
    return {
        "all_supported": every,
        "include_global_resource_types": bool(include_global),
        "resource_types": types,
        "exclusion_by_resource_types": exclusions,
        "use_only": _strategy(every, types, exclusions, use_only),
    }


def _mode(frequency: Any, overrides: list[Attrs]) -> Attrs:
    return {
        "recording_frequency": str(frequency or "CONTINUOUS"),
        "recording_mode_override": sorted(
            overrides, key=lambda o: (o["resource_types"], o["recording_frequency"])
        ),
    }


def _recorder_attrs(item: Attrs) -> Attrs:
    group = item.get("recordingGroup") or {}
    mode = item.get("recordingMode") or {}
    return {
        "name": item["name"],
        "role_arn": item.get("roleARN"),
        "recording_group": _group(
            group.get("allSupported"),
            group.get("includeGlobalResourceTypes"),
            group.get("resourceTypes"),
            (group.get("exclusionByResourceTypes") or {}).get("resourceTypes"),
            (group.get("recordingStrategy") or {}).get("useOnly"),
        ),
        "recording_mode": _mode(
            mode.get("recordingFrequency"),
            [
                {
                    "description": o.get("description") or None,
                    "recording_frequency": o.get("recordingFrequency"),
                    "resource_types": sorted(o.get("resourceTypes") or []),
                }
                for o in mode.get("recordingModeOverrides") or []
            ],
        ),
    }


def _recorder_desired(attrs: Attrs) -> Attrs:
    group = first_block(attrs, "recording_group")
    mode = first_block(attrs, "recording_mode")
    excluded = first_block(group, "exclusion_by_resource_types").get("resource_types")
    return {
        "name": attrs.get("name"),
        "role_arn": attrs.get("role_arn"),
        "recording_group": _group(
            group.get("all_supported") if group else None,
            group.get("include_global_resource_types"),
            group.get("resource_types"),
            excluded,
            first_block(group, "recording_strategy").get("use_only"),
        ),
        "recording_mode": _mode(
            mode.get("recording_frequency"),
            [
                {
                    "description": o.get("description") or None,
                    "recording_frequency": o.get("recording_frequency"),
                    "resource_types": sorted(o.get("resource_types") or []),
                }
                for o in mode.get("recording_mode_override") or []
            ],
        ),
    }


def _declared_recorder(resource: Resource) -> Attrs:
    """The recorder as PutConfigurationRecorder takes it, from the declared attributes."""
    shaped = _recorder_desired(resource.attrs)
    group, mode = shaped["recording_group"], shaped["recording_mode"]
    recording_group: Attrs = {
        "allSupported": group["all_supported"],
        "includeGlobalResourceTypes": group["include_global_resource_types"],
        "resourceTypes": group["resource_types"],
        "recordingStrategy": {"useOnly": group["use_only"]},
    }
    if group["exclusion_by_resource_types"]:
        recording_group["exclusionByResourceTypes"] = {"resourceTypes": group["exclusion_by_resource_types"]}
    overrides = [
        {
            **({"description": o["description"]} if o["description"] else {}),
            "resourceTypes": o["resource_types"],
            "recordingFrequency": o["recording_frequency"],
        }
        for o in mode["recording_mode_override"]
    ]
    return {
        "name": shaped["name"],
        "roleARN": shaped["role_arn"],
        "recordingGroup": recording_group,
        "recordingMode": {
            "recordingFrequency": mode["recording_frequency"],
            "recordingModeOverrides": overrides,
        },
    }


@writes("put_configuration_recorder")
def _recorder_restore(resource: Resource, _: Resource | None, __: tuple[Change, ...]) -> list[AwsCall]:
    """PutConfigurationRecorder replaces the whole recorder: it is sent as declared."""
    request = {"ConfigurationRecorder": _declared_recorder(resource)}
    return [AwsCall("config", "put_configuration_recorder", request, resource.region)]


_RECORDER_EVENTS = TypeEvents(
    missing=("DeleteConfigurationRecorder",),
    unmanaged=("PutConfigurationRecorder",),
    changed=("PutConfigurationRecorder",),
    by_path=dict.fromkeys(("role_arn", "recording_group", "recording_mode"), ("PutConfigurationRecorder",)),
    touched_by={
        "PutConfigurationRecorder": "requestParameters.configurationRecorder.name",
        "DeleteConfigurationRecorder": "requestParameters.configurationRecorderName",
    },
    ids=_NAME,
)


REGISTRY.register(
    ResourceType(
        name="aws_config_configuration_recorder",
        events=_RECORDER_EVENTS,
        service="config",
        list_call="describe_configuration_recorders",  # every recorder of the region in one answer
        items_path="ConfigurationRecorders",
        id_key="name",
        to_attrs=_recorder_attrs,
        normalise_desired=_recorder_desired,
        compared=("name", "role_arn", "recording_group", "recording_mode"),
        # A recorder a service linked for itself (its servicePrincipal) is that service's.
        aws_default=lambda item: bool(item.get("servicePrincipal")),
        restore_calls=_recorder_restore,
        restorable=("role_arn", "recording_group", "recording_mode"),
        delete_calls=writes("delete_configuration_recorder")(
            lambda live: [
                AwsCall(
                    "config",
                    "delete_configuration_recorder",
                    {"ConfigurationRecorderName": live.id},
                    live.region,
                )
            ]
        ),
        describe=lambda resource: f"Config recorder {resource.attrs.get('name') or resource.id}",
        pulumi_tokens=("aws:cfg/recorder:Recorder",),
        graph=GraphHooks(forward=("role_arn",)),
    )
)


# aws_config_configuration_recorder_status -----------------------------------------


def _status_restore_calls(resource: Resource) -> list[AwsCall]:
    name = str(resource.attrs.get("name") or resource.id)
    operation = (
        "start_configuration_recorder" if resource.attrs.get("is_enabled") else "stop_configuration_recorder"
    )
    return [AwsCall("config", operation, {"ConfigurationRecorderName": name}, resource.region)]


_STATUS_EVENTS = TypeEvents(
    missing=("DeleteConfigurationRecorder",),
    changed=("StartConfigurationRecorder", "StopConfigurationRecorder"),
    by_path={"is_enabled": ("StartConfigurationRecorder", "StopConfigurationRecorder")},
    touched_by=dict.fromkeys(
        ("StartConfigurationRecorder", "StopConfigurationRecorder"),
        "requestParameters.configurationRecorderName",
    ),
    ids=_NAME,
)


REGISTRY.register(
    ResourceType(
        name="aws_config_configuration_recorder_status",
        events=_STATUS_EVENTS,
        service="config",
        list_call="describe_configuration_recorder_status",  # every recorder's status in one answer
        items_path="ConfigurationRecordersStatus",
        id_key="name",
        to_attrs=lambda item: {"name": item["name"], "is_enabled": bool(item.get("recording"))},
        normalise_desired=lambda attrs: {
            "name": attrs.get("name"),
            "is_enabled": bool(attrs.get("is_enabled")),
        },
        compared=("name", "is_enabled"),
        # Every recorder has a status; one no state declares is not something anyone added
        # (the recorder itself is reported when it is unmanaged).
        aws_default=lambda item: True,
        parent=("name", "aws_config_configuration_recorder"),
        restore_calls=writes("start_configuration_recorder", "stop_configuration_recorder")(
            lambda resource, _, __: _status_restore_calls(resource)
        ),
        restorable=("is_enabled",),
        describe=lambda resource: f"recording of Config recorder {resource.attrs.get('name') or resource.id}",
        pulumi_tokens=("aws:cfg/recorderStatus:RecorderStatus",),
    )
)
