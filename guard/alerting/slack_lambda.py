"""The Slack app of `guard serve` as an AWS Lambda function (a function URL or API Gateway).

Handler: `guard.alerting.slack_lambda.handler`. Environment: SLACK_SIGNING_SECRET,
SLACK_BOT_TOKEN (or GUARD_SLACK_SECRET_ARN: a Secrets Manager secret holding them as JSON),
GUARD_HISTORY (dynamodb://TABLE: a Lambda has no lasting disk), GUARD_CONFIG
(guard.toml packaged with the function), GUARD_STATES (comma-separated, what a rollback
re-scans), GUARD_ROLLBACK_ROLE. Bolt acknowledges within 3 s and runs the long work (a
rollback) as a lazy listener: the function invokes itself asynchronously, so its role needs
lambda:InvokeFunction on itself (docs/slack-app.md).
"""

from __future__ import annotations

import os
from typing import Any

_HANDLER: Any = None


def _build() -> Any:
    from slack_bolt.adapter.aws_lambda import SlackRequestHandler

    from guard.alerting.history import open_history
    from guard.alerting.lambda_handler import with_slack_secret
    from guard.alerting.server import RollbackSetup, ServeSettings, build_app, check_rollback_role
    from guard.config import Config, load_config

    environ = with_slack_secret(
        os.environ
    )  # GUARD_SLACK_SECRET_ARN: the two secrets off the function's config
    config_path = environ.get("GUARD_CONFIG", "")
    loaded = load_config(config_path) if config_path else Config()
    states = tuple(s for s in environ.get("GUARD_STATES", "").split(",") if s)
    role = environ.get("GUARD_ROLLBACK_ROLE") or loaded.rollback_role
    check_rollback_role(role, loaded)
    settings = ServeSettings.from_environment(
        open_history(environ.get("GUARD_HISTORY") or loaded.history_store or None),
        environ=environ,
        approvers=loaded.approvers,
        channels={a.id: a.slack_channel for a in loaded.accounts if a.slack_channel},
        rollback=RollbackSetup(
            states=states or tuple(s for a in loaded.accounts for s in a.states),
            regions=loaded.regions,
            role_arn=role,
            external_id=loaded.external_id,
        ),
    )
    return SlackRequestHandler(build_app(settings, lambda_mode=True))


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Function URL and API Gateway (REST and HTTP) events; the app is built once per container."""
    global _HANDLER
    if _HANDLER is None:
        _HANDLER = _build()
    if event.get("method") != "NONE":
        event = without_lazy_headers(event)
    result: dict[str, Any] = _HANDLER.handle(event, context)
    return result


LAZY_HEADERS = ("x-slack-bolt-lazy-only", "x-slack-bolt-lazy-function-name")


def without_lazy_headers(event: dict[str, Any]) -> dict[str, Any]:
    """An HTTP event may not claim to be Bolt's lazy self-invocation (that would skip the ack
    and the replay check): only the function's own asynchronous invoke (method NONE) may."""
    cleaned = dict(event)
    for key in ("headers", "multiValueHeaders"):
        headers = event.get(key)
        if isinstance(headers, dict):
            cleaned[key] = {k: v for k, v in headers.items() if str(k).lower() not in LAZY_HEADERS}
    return cleaned
