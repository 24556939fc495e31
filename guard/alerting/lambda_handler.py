"""AWS Lambda entry points: one alert cycle per scheduled invocation, or CloudTrail events.

`guard.alerting.lambda_handler.handler`, scheduled by EventBridge (docs/deployment.md), and
`guard.alerting.lambda_handler.event_handler`, for an EventBridge rule on CloudTrail API calls,
directly or through an SQS queue (docs/event-driven.md). Both read the same environment,
so both use one history scope: a finding the event path posted is resolved by the schedule
in the same thread, and a message one could not deliver is sent by the next run of either.

Environment: GUARD_STATE (Terraform states, comma-separated: files, s3://, https://),
GUARD_TF_DIR, GUARD_PULUMI_STACK, GUARD_PULUMI_STATE with GUARD_STACK, GUARD_CONFIG
(guard.toml: a path, or s3://BUCKET/KEY), GUARD_ACCOUNTS and GUARD_ROLE, GUARD_REGIONS,
GUARD_RULES (`builtin` or folders), GUARD_HISTORY (dynamodb://TABLE: a Lambda's disk does not
outlive it), GUARD_SLACK_WEBHOOK_URL or SLACK_BOT_TOKEN with GUARD_SLACK_CHANNEL,
GUARD_REMIND_AFTER, GUARD_LOCK_WAIT, GUARD_ATTRIBUTE (`false` turns CloudTrail lookups off),
GUARD_SLACK_SECRET_ARN (a Secrets Manager secret whose JSON holds SLACK_BOT_TOKEN,
GUARD_SLACK_WEBHOOK_URL and/or GUARD_SLACK_CHANNEL: read once per cold start, never logged).
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from guard.alerting.history import HistoryBusy
from guard.alerting.watch import AlertSettings, alert_once, describe_cycle
from guard.aws import Clients, new_session, short_error, wire_logs_off
from guard.errors import GuardError, InputError
from guard.pipeline.run import ScanOptions, run_scan, scope_sources

log = logging.getLogger("guard.lambda")

_LAMBDA_HISTORY = "/tmp/change-guard-history.sqlite3"

# The keys a Slack secret may set: the same names as the environment variables they stand for.
# SLACK_SIGNING_SECRET is for the Slack app's function (guard.alerting.slack_lambda).
SLACK_SECRET_KEYS = (
    "SLACK_BOT_TOKEN",
    "GUARD_SLACK_WEBHOOK_URL",
    "GUARD_SLACK_CHANNEL",
    "SLACK_SIGNING_SECRET",
)
_secrets: dict[str, dict[str, str]] = {}  # secret ARN -> its Slack values, for the container's life


def with_slack_secret(environ: Mapping[str, str], session: Any = None) -> dict[str, str]:
    """The environment with GUARD_SLACK_SECRET_ARN's values added (once per cold start).

    A variable set on the function wins over the secret; a secret that cannot be read, is not
    JSON or holds other keys is one clear error that names the secret, never its value.
    """
    env = dict(environ)
    arn = env.get("GUARD_SLACK_SECRET_ARN", "").strip()
    if not arn:
        return env
    if arn not in _secrets:
        _secrets[arn] = _read_slack_secret(arn, session or new_session())
    for key, value in _secrets[arn].items():
        if not env.get(key):
            env[key] = value
    return env


def _read_slack_secret(arn: str, session: Any) -> dict[str, str]:
    import json

    try:
        client = session.client("secretsmanager")
        with wire_logs_off():
            answer = client.get_secret_value(SecretId=arn)
    except (ClientError, BotoCoreError) as exc:
        problem = f"{arn} cannot be read ({short_error(exc)})"
        raise InputError(
            "GUARD_SLACK_SECRET_ARN", problem, "check the secret and secretsmanager:GetSecretValue"
        ) from None
    try:
        values = json.loads(answer.get("SecretString") or "")
    except ValueError:
        values = None
    if not isinstance(values, dict) or any(not isinstance(v, str) for v in values.values()):
        raise InputError(
            "GUARD_SLACK_SECRET_ARN",
            f"{arn} is not a JSON object of strings",
            f"store JSON with {', '.join(SLACK_SECRET_KEYS)}",
        )
    unknown = sorted(set(values) - set(SLACK_SECRET_KEYS))
    if unknown:
        raise InputError(
            "GUARD_SLACK_SECRET_ARN",
            f"{arn} holds keys guard does not read: {', '.join(unknown)}",
            f"use only {', '.join(SLACK_SECRET_KEYS)}",
        )
    return {key: value for key, value in values.items() if value}


def _list(name: str, environ: Mapping[str, str]) -> tuple[str, ...]:
    raw = environ.get(name, "").replace("\n", ",")
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def _config_path(location: str, session: Any) -> str:
    """guard.toml from the package or the function's disk, or fetched from S3 once per cold start."""
    if not location.startswith("s3://"):
        return location
    bucket, _, key = location[len("s3://") :].partition("/")
    if not bucket or not key:
        raise InputError("GUARD_CONFIG", f"{location!r} names no object", "use s3://BUCKET/KEY")
    target = os.path.join(tempfile.gettempdir(), f"guard-config-{bucket}-{key.replace('/', '_')}")
    if not os.path.exists(target):
        try:
            session.client("s3").download_file(bucket, key, target)
        except (ClientError, BotoCoreError) as exc:
            problem = f"{location} cannot be read ({short_error(exc)})"
            raise InputError("GUARD_CONFIG", problem, "check the object and s3:GetObject") from None
    return target


def options_from(environ: Mapping[str, str], session: Any = None) -> ScanOptions:
    """What the function reads, from its environment: the same choices `guard scan` has as flags."""
    config = environ.get("GUARD_CONFIG", "")
    if config:
        config = _config_path(config, session or new_session())
    options = ScanOptions(
        states=_list("GUARD_STATE", environ),
        tf_dirs=_list("GUARD_TF_DIR", environ),
        pulumi_stacks=_list("GUARD_PULUMI_STACK", environ),
        pulumi_state=environ.get("GUARD_PULUMI_STATE", ""),
        stacks=_list("GUARD_STACK", environ),
        workspace=environ.get("GUARD_WORKSPACE", ""),
        regions=_list("GUARD_REGIONS", environ),
        config=config,
        accounts=_list("GUARD_ACCOUNTS", environ),
        role=environ.get("GUARD_ROLE", ""),
        external_id=environ.get("GUARD_EXTERNAL_ID", ""),
        progress=False,
    )
    if not (options.states or options.tf_dirs or options.pulumi_stacks or options.stacks or config):
        raise InputError(
            "GUARD_STATE",
            "is not set, and neither is GUARD_CONFIG",
            "set GUARD_STATE to the state(s) to check, comma-separated, or GUARD_CONFIG to a guard.toml",
        )
    rules = _list("GUARD_RULES", environ)
    if rules:
        from guard.rules.loader import load_rules

        options = replace(options, rules=load_rules([r for r in rules if r != "builtin"]))
    return options


def settings_from(environ: Mapping[str, str], options: ScanOptions) -> AlertSettings:
    history = environ.get("GUARD_HISTORY")
    if not history or not history.startswith("dynamodb://"):
        log.warning("GUARD_HISTORY is not dynamodb://TABLE: history on Lambda's disk is lost between runs")
    config = None
    if options.config:
        from guard.config import load_config

        config = load_config(options.config, environ)
    return AlertSettings.from_options(
        notify="slack" if environ.get("GUARD_SLACK_WEBHOOK_URL") or environ.get("SLACK_BOT_TOKEN") else None,
        history=history or (config.history_store if config else "") or _LAMBDA_HISTORY,
        remind_after=environ.get("GUARD_REMIND_AFTER", "24h"),
        lock_wait=float(environ.get("GUARD_LOCK_WAIT", "10")),
        environ=dict(environ),
        config=config,
    )


def _attributing(options: ScanOptions, settings: AlertSettings, environ: Mapping[str, str]) -> ScanOptions:
    """Who did it, by default when the function alerts (GUARD_ATTRIBUTE=false turns it off)."""
    wanted = environ.get("GUARD_ATTRIBUTE", "").strip().lower()
    if wanted in ("0", "false", "no", "off") or (not wanted and settings.target is None):
        return options
    from guard.enrich.attribution import AttributionSettings

    return replace(options, attribution=AttributionSettings())


def handler(event: dict[str, Any], context: Any, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Returns a summary (visible in the invocation result); raises only when the cycle failed."""
    env = with_slack_secret(dict(os.environ) if environ is None else environ)
    options = options_from(env)
    settings = settings_from(env, options)
    options = _attributing(options, settings, env)
    scheduled_at = event.get("time") if isinstance(event, dict) else None
    try:
        result = alert_once(
            scope_sources(options),
            options.regions,
            Clients(),
            settings,
            scan_once=lambda: run_scan(options),
        )
    except HistoryBusy as exc:
        # Another invocation has this scope: not a failure, and a retry would not help.
        log.warning("%s", exc)
        return {"status": "busy", "scheduled_at": scheduled_at, "message": str(exc)}
    report = result.report
    summary = {
        "status": "complete" if report.complete else "incomplete",
        "scheduled_at": scheduled_at,
        "account": report.account,
        "regions": list(report.regions),
        "findings": len(report.findings),
        "new": len(result.new),
        "reminded": len(result.reminded),
        "resolved": len(result.resolved),
        "delivered": result.delivery.delivered,
        "outbox_pending": result.delivery.pending,
        "not_checked": [f"{n.type} in {n.region}" for n in report.not_checked],
    }
    log.info("guard: %s", settings.clean(describe_cycle(result)))
    return summary


def event_handler(
    event: dict[str, Any], context: Any = None, environ: dict[str, str] | None = None
) -> dict[str, Any]:
    """EventBridge events of CloudTrail API calls (one, or an SQS batch): what each touched,
    read, compared, recorded and posted like a scan's findings.

    For an SQS batch the answer carries `batchItemFailures` (the messages to retry: SQS
    redelivers them, then its dead-letter queue keeps them), so one bad message or a busy
    history never loses the rest of the batch.
    """
    from guard.alerting.events import alert_events
    from guard.pipeline.on_event import check_events
    from guard.render.events import outcome_to_dict

    env = with_slack_secret(dict(os.environ) if environ is None else environ)
    options = options_from(env)
    settings = settings_from(env, options)
    clients = Clients()
    sources = scope_sources(options)
    messages = _sqs_messages(event)
    batches = messages or [("", event)]
    failures: list[dict[str, str]] = []
    outcomes: list[Any] = []
    new = resolved = 0
    for message_id, document in batches:
        try:
            checked = check_events(document, options, clients, source=_source(message_id))
            alerts = alert_events(checked, sources, options.regions, settings)
        except (GuardError, OSError) as exc:
            if not message_id:
                raise
            log.error(
                "SQS message %s not processed (will be retried): %s", message_id, settings.clean(str(exc))
            )
            failures.append({"itemIdentifier": message_id})
            continue
        for outcome in checked:
            log.warning("%s %s: %s: %s", outcome.event_name, outcome.event_id, outcome.status, outcome.reason)
        if alerts.results:
            log.info("guard: alerts: %s", settings.clean(alerts.describe()))
        outcomes += checked
        new += alerts.new
        resolved += alerts.resolved
    answer: dict[str, Any] = {
        "alerts": sum(len(o.report.findings) for o in outcomes if o.report),
        "new": new,
        "resolved": resolved,
        "outcomes": [outcome_to_dict(o) for o in outcomes],
    }
    if messages:
        answer["batchItemFailures"] = failures
    return answer


def _source(message_id: str) -> str:
    return f"SQS message {message_id}" if message_id else "the Lambda event"


def _sqs_messages(event: Any) -> list[tuple[str, Any]]:
    """(message id, EventBridge event) of each SQS message in a batch; empty when not SQS."""
    records = event.get("Records") if isinstance(event, dict) else None
    if not isinstance(records, list) or not records:
        return []
    if not all(isinstance(r, dict) and r.get("eventSource") == "aws:sqs" for r in records):
        return []
    return [(str(r.get("messageId") or ""), {"Records": [r]}) for r in records]
