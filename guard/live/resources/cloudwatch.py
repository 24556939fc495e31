"""CloudWatch metric alarms: one paginated DescribeAlarms per region (metric alarms only),
their tags from ListTagsForResource per alarm (CloudWatch has no batch tag read). An alarm
whose actions were disabled, or whose action was removed, is the alarm that would have
caught the outage: GUARD-CW-001 ranks it. Alarms that Auto Scaling and Application Auto
Scaling make for a target-tracking policy (TargetTracking-...) are theirs: never unmanaged."""

from __future__ import annotations

from typing import Any

from guard.live.events import IdForms, TypeEvents, edits
from guard.live.shape import declared_tags, tag_changes, tags
from guard.live.types import REGISTRY, Attrs, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource


@reads("list_tags_for_resource")
def read_alarm(clients: Any, region: str, alarm: dict[str, Any]) -> dict[str, Any]:
    cloudwatch = clients.client("cloudwatch", region)
    listed = cloudwatch.list_tags_for_resource(ResourceARN=alarm["AlarmArn"]).get("Tags") or []
    return {**alarm, "Tags": listed}


def _number(value: Any) -> float | None:
    return None if value in (None, "") else float(value)


def _int(value: Any) -> int | None:
    return None if value in (None, "", 0) else int(value)


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _query_shape(query: Attrs, metric: Attrs | None) -> Attrs:
    return {
        "id": query.get("id"),
        "expression": _text(query.get("expression")),
        "label": _text(query.get("label")),
        "return_data": bool(query.get("return_data")),
        "period": _int(query.get("period")),
        "account_id": _text(query.get("account_id")),
        "metric": metric,
    }


def _live_queries(item: Attrs) -> list[Attrs]:
    queries = []
    for query in item.get("Metrics") or []:
        stat = query.get("MetricStat")
        metric = None
        if stat:
            inner = stat.get("Metric") or {}
            metric = {
                "metric_name": inner.get("MetricName"),
                "namespace": inner.get("Namespace"),
                "period": int(stat.get("Period") or 0),
                "stat": stat.get("Stat"),
                "unit": _text(stat.get("Unit")),
                "dimensions": {d["Name"]: d["Value"] for d in inner.get("Dimensions") or []},
            }
        queries.append(
            _query_shape(
                {
                    "id": query.get("Id"),
                    "expression": query.get("Expression"),
                    "label": query.get("Label"),
                    "return_data": query.get("ReturnData"),
                    "period": query.get("Period"),
                    "account_id": query.get("AccountId"),
                },
                metric,
            )
        )
    return sorted(queries, key=lambda q: str(q["id"]))


def _declared_queries(attrs: Attrs) -> list[Attrs]:
    queries = []
    for query in attrs.get("metric_query") or []:
        blocks = query.get("metric") or []
        metric = None
        if blocks:
            inner = blocks[0]
            metric = {
                "metric_name": inner.get("metric_name"),
                "namespace": inner.get("namespace"),
                "period": int(inner.get("period") or 0),
                "stat": inner.get("stat"),
                "unit": _text(inner.get("unit")),
                "dimensions": dict(inner.get("dimensions") or {}),
            }
        queries.append(_query_shape(query, metric))
    return sorted(queries, key=lambda q: str(q["id"]))


def _shape(values: Attrs) -> Attrs:
    return {
        "alarm_name": values.get("alarm_name"),
        "alarm_description": _text(values.get("alarm_description")),
        "actions_enabled": values.get("actions_enabled") is not False,
        "alarm_actions": sorted(values.get("alarm_actions") or []),
        "ok_actions": sorted(values.get("ok_actions") or []),
        "insufficient_data_actions": sorted(values.get("insufficient_data_actions") or []),
        "comparison_operator": values.get("comparison_operator"),
        "evaluation_periods": int(values.get("evaluation_periods") or 0),
        "datapoints_to_alarm": _int(values.get("datapoints_to_alarm")),
        "threshold": _number(values.get("threshold")),
        "threshold_metric_id": _text(values.get("threshold_metric_id")),
        "metric_name": _text(values.get("metric_name")),
        "namespace": _text(values.get("namespace")),
        "period": _int(values.get("period")),
        "statistic": _text(values.get("statistic")),
        "extended_statistic": _text(values.get("extended_statistic")),
        "unit": _text(values.get("unit")),
        "dimensions": dict(values.get("dimensions") or {}),
        # Terraform's default and AWS's when unset: "missing".
        "treat_missing_data": values.get("treat_missing_data") or "missing",
        "evaluate_low_sample_count_percentiles": _text(values.get("evaluate_low_sample_count_percentiles")),
    }


def _alarm_attrs(item: Attrs) -> Attrs:
    shaped = _shape(
        {
            "alarm_name": item.get("AlarmName"),
            "alarm_description": item.get("AlarmDescription"),
            "actions_enabled": item.get("ActionsEnabled"),
            "alarm_actions": item.get("AlarmActions"),
            "ok_actions": item.get("OKActions"),
            "insufficient_data_actions": item.get("InsufficientDataActions"),
            "comparison_operator": item.get("ComparisonOperator"),
            "evaluation_periods": item.get("EvaluationPeriods"),
            "datapoints_to_alarm": item.get("DatapointsToAlarm"),
            "threshold": item.get("Threshold"),
            "threshold_metric_id": item.get("ThresholdMetricId"),
            "metric_name": item.get("MetricName"),
            "namespace": item.get("Namespace"),
            "period": item.get("Period"),
            "statistic": item.get("Statistic"),
            "extended_statistic": item.get("ExtendedStatistic"),
            "unit": item.get("Unit"),
            "dimensions": {d["Name"]: d["Value"] for d in item.get("Dimensions") or []},
            "treat_missing_data": item.get("TreatMissingData"),
            "evaluate_low_sample_count_percentiles": item.get("EvaluateLowSampleCountPercentile"),
        }
    )
    return {**shaped, "metric_query": _live_queries(item), "tags": tags(item)}


def _alarm_desired(attrs: Attrs) -> Attrs:
    return {**_shape(attrs), "metric_query": _declared_queries(attrs), "tags": declared_tags(attrs)}


def _put_request(declared: Attrs) -> Attrs:
    """The whole declared alarm as PutMetricAlarm takes it (it replaces the alarm's definition)."""
    optional = {
        "AlarmDescription": declared["alarm_description"],
        "DatapointsToAlarm": declared["datapoints_to_alarm"],
        "Threshold": declared["threshold"],
        "ThresholdMetricId": declared["threshold_metric_id"],
        "MetricName": declared["metric_name"],
        "Namespace": declared["namespace"],
        "Period": declared["period"],
        "Statistic": declared["statistic"],
        "ExtendedStatistic": declared["extended_statistic"],
        "Unit": declared["unit"],
        "EvaluateLowSampleCountPercentile": declared["evaluate_low_sample_count_percentiles"],
    }
    request: Attrs = {
        "AlarmName": declared["alarm_name"],
        "ActionsEnabled": declared["actions_enabled"],
        "AlarmActions": declared["alarm_actions"],
        "OKActions": declared["ok_actions"],
        "InsufficientDataActions": declared["insufficient_data_actions"],
        "ComparisonOperator": declared["comparison_operator"],
        "EvaluationPeriods": declared["evaluation_periods"],
        "TreatMissingData": declared["treat_missing_data"],
        **{key: value for key, value in optional.items() if value is not None},
    }
    if declared["dimensions"]:
        request["Dimensions"] = [{"Name": k, "Value": v} for k, v in sorted(declared["dimensions"].items())]
    if declared["metric_query"]:
        request["Metrics"] = [_query_request(query) for query in declared["metric_query"]]
    return request


def _query_request(query: Attrs) -> Attrs:
    request: Attrs = {"Id": query["id"], "ReturnData": query["return_data"]}
    for key, name in (("expression", "Expression"), ("label", "Label"), ("period", "Period")):
        if query[key] is not None:
            request[name] = query[key]
    if query["account_id"]:
        request["AccountId"] = query["account_id"]
    metric = query["metric"]
    if metric:
        stat: Attrs = {
            "Metric": {
                "MetricName": metric["metric_name"],
                "Namespace": metric["namespace"],
                "Dimensions": [{"Name": k, "Value": v} for k, v in sorted(metric["dimensions"].items())],
            },
            "Period": metric["period"],
            "Stat": metric["stat"],
        }
        if metric["unit"]:
            stat["Unit"] = metric["unit"]
        request["MetricStat"] = stat
    return request


_DEFINITION = (
    "alarm_description",
    "actions_enabled",
    "alarm_actions",
    "ok_actions",
    "insufficient_data_actions",
    "comparison_operator",
    "evaluation_periods",
    "datapoints_to_alarm",
    "threshold",
    "threshold_metric_id",
    "metric_name",
    "namespace",
    "period",
    "statistic",
    "extended_statistic",
    "unit",
    "dimensions",
    "treat_missing_data",
    "evaluate_low_sample_count_percentiles",
    "metric_query",
)


@writes("put_metric_alarm", "enable_alarm_actions", "tag_resource", "untag_resource")
def _alarm_restore(resource: Resource, live: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _alarm_desired(resource.attrs)
    paths = {change.path.split(".", 1)[0] for change in changes}
    calls = []
    if paths == {"actions_enabled"} and declared["actions_enabled"]:
        # Someone pressed "disable actions": the direct reversal, nothing else touched.
        calls.append(
            AwsCall("cloudwatch", "enable_alarm_actions", {"AlarmNames": [resource.id]}, resource.region)
        )
    elif paths & set(_DEFINITION):
        calls.append(AwsCall("cloudwatch", "put_metric_alarm", _put_request(declared), resource.region))
    restore, remove = tag_changes(changes)
    arn = str(resource.attrs.get("arn") or (live.attrs.get("arn") if live else "") or "")
    if restore and arn:
        request = {"ResourceARN": arn, "Tags": [{"Key": k, "Value": v} for k, v in restore.items()]}
        calls.append(AwsCall("cloudwatch", "tag_resource", request, resource.region))
    if remove and arn:
        calls.append(
            AwsCall("cloudwatch", "untag_resource", {"ResourceARN": arn, "TagKeys": remove}, resource.region)
        )
    return calls


_ALARM_BY_PATH = {
    **dict.fromkeys(_DEFINITION, ("PutMetricAlarm",)),
    "actions_enabled": ("DisableAlarmActions", "EnableAlarmActions", "PutMetricAlarm"),
    "tags": ("TagResource", "UntagResource"),
}
_ALARM_EVENTS = TypeEvents(
    missing=("DeleteAlarms",),
    unmanaged=("PutMetricAlarm",),
    changed=edits(_ALARM_BY_PATH),
    by_path=_ALARM_BY_PATH,
    touched_by={
        "PutMetricAlarm": "requestParameters.alarmName",
        "DeleteAlarms": "requestParameters.alarmNames",
        "DisableAlarmActions": "requestParameters.alarmNames",
        "EnableAlarmActions": "requestParameters.alarmNames",
        "TagResource": "requestParameters.resourceARN",
        "UntagResource": "requestParameters.resourceARN",
    },
    # Terraform's id is the alarm name; the tag calls give the alarm's ARN.
    ids=IdForms(
        (
            (r"arn:[\w-]+:cloudwatch:[\w-]+:\d{12}:alarm:(?P<name>.+)", "{name}"),
            (r"[^:]+", "{value}"),
        ),
        "an alarm name, or its ARN",
    ),
)


REGISTRY.register(
    ResourceType(
        name="aws_cloudwatch_metric_alarm",
        service="cloudwatch",
        list_call="describe_alarms",
        list_params={"AlarmTypes": ["MetricAlarm"]},
        items_path="MetricAlarms",
        id_key="AlarmName",
        per_item=read_alarm,
        to_attrs=lambda item: {**_alarm_attrs(item), "arn": item.get("AlarmArn")},
        normalise_desired=_alarm_desired,
        compared=("alarm_name", *_DEFINITION, "tags"),
        ignored={
            "arn": "computed (read only to put tags back)",
            "id": "the alarm name",
        },
        aws_default=lambda item: str(item.get("AlarmName", "")).startswith("TargetTracking-"),
        restore_calls=_alarm_restore,
        restorable=(*_DEFINITION, "tags"),
        delete_calls=writes("delete_alarms")(
            lambda live: [AwsCall("cloudwatch", "delete_alarms", {"AlarmNames": [live.id]}, live.region)]
        ),
        describe=lambda resource: f"alarm {resource.attrs.get('alarm_name') or resource.id}",
        read_params=lambda resource: {"AlarmNames": [resource.id], "AlarmTypes": ["MetricAlarm"]},
        events=_ALARM_EVENTS,
        pulumi_tokens=("aws:cloudwatch/metricAlarm:MetricAlarm",),
    )
)
