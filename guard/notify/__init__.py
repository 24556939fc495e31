"""Notifiers: where alerts go. Slack only, through slack-sdk."""

from guard.notify.slack import (
    BotNotifier,
    DeliveryError,
    SlackNotifier,
    SlackTarget,
    WebhookNotifier,
    make_notifier,
)

__all__ = [
    "BotNotifier",
    "DeliveryError",
    "SlackNotifier",
    "SlackTarget",
    "WebhookNotifier",
    "make_notifier",
]
