"""Slack delivery through slack-sdk: a bot token (threads, chat.update) or an incoming webhook.

The token and the webhook URL are secrets: they go to slack-sdk and nowhere else.
Every log record of the clients passes a filter that blanks them, and every error
raised from here has them removed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from slack_sdk import WebClient, WebhookClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from guard.errors import GuardError, InputError
from guard.render.slack import SlackMessage

API_URL_ENV = "GUARD_SLACK_API_URL"
DEFAULT_API_URL = "https://slack.com/api/"
REDACTED = "(redacted)"
RATE_LIMIT_RETRIES = 5

# Errors about one message, not about the setup: retrying the same body cannot help.
MESSAGE_ERRORS = frozenset(
    {
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "too_many_attachments",
        "invalid_payload",
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
    }
)

# users.lookupByEmail needs this bot scope; without it every lookup answers missing_scope.
LOOKUP_SCOPE = "users:read.email"
# Answers that no lookup with this token can get past: stop asking until the process restarts.
LOOKUP_REFUSED = frozenset(
    {
        "missing_scope",
        "not_allowed_token_type",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "no_permission",
        "ekm_access_denied",
        "team_access_not_granted",
    }
)
MISS_TTL_SECONDS = 3600.0  # someone not in Slack yet may join: ask again after an hour

log = logging.getLogger("guard.alerting")


class DeliveryError(GuardError):
    """Slack did not take a message. `permanent` when the message itself is refused."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Redactor(logging.Filter):
    """Blanks every secret out of a log record before any handler sees it."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        cleaned = redact(text, self.secrets)
        if cleaned != text:
            record.msg, record.args = cleaned, None
        return True


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def _secret_parts(webhook_url: str | None, token: str | None) -> list[str]:
    parts = [p for p in (webhook_url, token) if p]
    if webhook_url:
        path = urlsplit(webhook_url).path
        if path.strip("/"):
            parts.append(path)  # a client may log the path on its own
    return sorted(parts, key=len, reverse=True)


def _filtered_logger(name: str, secrets: list[str]) -> logging.Logger:
    logger = logging.getLogger(name)
    for existing in list(logger.filters):
        if isinstance(existing, Redactor):
            logger.removeFilter(existing)
    logger.addFilter(Redactor(secrets))
    return logger


def retry_handlers(rate_limit_retries: int = RATE_LIMIT_RETRIES) -> list[RetryHandler]:
    """Connection resets, 429 with Retry-After, and one retry of a 500/503."""
    return [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=rate_limit_retries),
        ServerErrorRetryHandler(max_retry_count=1),
    ]


class LookupRefused(Exception):
    """The token cannot look anyone up (e.g. missing_scope): no lookup will succeed."""


class LookupFailed(Exception):
    """This lookup did not answer (ratelimited, unreachable): try again on a later run."""


class SlackDirectory:
    """Slack user ids by e-mail address, remembered for the life of the process.

    One per workspace and token (`directory_for`), so a watch loop, which builds a notifier
    every cycle, asks Slack once per person; someone not found is asked again after an hour.
    """

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, miss_ttl: float = MISS_TTL_SECONDS
    ) -> None:
        self.clock = clock
        self.miss_ttl = miss_ttl
        self.lookups = 0
        self.refused: str | None = None  # why lookups stopped for good
        self._found: dict[str, str] = {}
        self._missed: dict[str, float] = {}

    def user_ids(self, lookup: Callable[[str], str | None], emails: Iterable[str]) -> dict[str, str]:
        """Lower-cased e-mail -> user id of those found; `lookup` answers one address (None: nobody)."""
        found: dict[str, str] = {}
        for email in sorted({e.strip().lower() for e in emails if e and "@" in e}):
            if email in self._found:
                found[email] = self._found[email]
                continue
            missed_at = self._missed.get(email)
            if self.refused or (missed_at is not None and self.clock() - missed_at < self.miss_ttl):
                continue
            self.lookups += 1
            try:
                user = lookup(email)
            except LookupRefused as exc:
                self.refused = str(exc)
                log.warning(
                    "Slack refused users.lookupByEmail (%s): alerts name people without mentioning them; "
                    "give the app the %s scope and reinstall it",
                    exc,
                    LOOKUP_SCOPE,
                )
                continue
            except LookupFailed as exc:
                log.warning("Slack users.lookupByEmail failed (%s): names stay plain in this run", exc)
                break  # ratelimited or unreachable: do not press on with the rest now
            if user:
                found[email] = self._found[email] = user
            else:
                self._missed[email] = self.clock()
        return found


_DIRECTORIES: dict[tuple[str, str], SlackDirectory] = {}


def directory_for(target: SlackTarget) -> SlackDirectory:
    """The process's directory for this workspace and token (keyed by a hash: the token is a secret)."""
    key = (target.api_url or DEFAULT_API_URL, hashlib.sha256((target.token or "").encode()).hexdigest())
    return _DIRECTORIES.setdefault(key, SlackDirectory())


def forget_people() -> None:
    """Drop every remembered lookup (a new Slack app, or a test's fresh Slack)."""
    _DIRECTORIES.clear()


@dataclass(frozen=True)
class SlackTarget:
    """Where alerts go. `repr` never shows the secrets."""

    webhook_url: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    channel: str | None = None
    api_url: str | None = None

    @classmethod
    def from_options(
        cls,
        webhook_url: str | None,
        token: str | None,
        channel: str | None,
        environ: dict[str, str] | None = None,
    ) -> SlackTarget:
        env = os.environ if environ is None else environ
        webhook_url = webhook_url or env.get("GUARD_SLACK_WEBHOOK_URL") or None
        token = token or env.get("SLACK_BOT_TOKEN") or None
        channel = channel or env.get("GUARD_SLACK_CHANNEL") or None
        if token and webhook_url:
            raise InputError(
                "--slack-token/--slack-webhook",
                "both a bot token and a webhook URL are set",
                "use one: a bot token with --slack-channel (threads replies), or a webhook URL",
            )
        if not token and not webhook_url:
            raise InputError(
                "--notify slack",
                "no Slack destination",
                "set --slack-webhook (or GUARD_SLACK_WEBHOOK_URL), or --slack-token "
                "(or SLACK_BOT_TOKEN) with --slack-channel",
            )
        if token and not channel:
            raise InputError(
                "--slack-channel", "a bot token needs a channel", "pass --slack-channel '#alerts' or its id"
            )
        if webhook_url and urlsplit(webhook_url).scheme not in ("http", "https"):
            raise InputError(
                "--slack-webhook",
                "not an http(s) URL",
                "copy the incoming webhook URL from the Slack app's settings",
            )
        return cls(webhook_url=webhook_url, token=token, channel=channel, api_url=env.get(API_URL_ENV))

    @property
    def secrets(self) -> list[str]:
        return _secret_parts(self.webhook_url, self.token)

    def describe(self) -> str:
        return f"Slack channel {self.channel} (bot token)" if self.token else "Slack incoming webhook"


class SlackNotifier(ABC):
    """Posts messages; `post` returns the message's ts when Slack gives one."""

    can_thread = False
    can_update = False

    def __init__(self, target: SlackTarget) -> None:
        self.target = target
        self.secrets = target.secrets

    @abstractmethod
    def post(
        self, message: SlackMessage, thread_ts: str | None = None, channel: str | None = None
    ) -> str | None:
        """Post; returns the message's ts when Slack gives one. `channel` (bot token only)
        overrides the target's: a per-account channel, or the thread's."""

    def mentions(self, emails: Iterable[str]) -> dict[str, str]:
        """Slack user ids by lower-cased e-mail, for `alert_messages(..., mentions=)`.

        Never fails: whoever is not found, or cannot be looked up, keeps a plain name.
        An incoming webhook cannot look anyone up.
        """
        return {}

    def update(self, channel: str, ts: str, message: SlackMessage) -> None:
        raise DeliveryError("this Slack destination cannot edit messages", permanent=True)

    @property
    def channel(self) -> str:
        return self.target.channel or "webhook"

    def _failure(self, what: str, exc: BaseException, permanent: bool = False) -> DeliveryError:
        return DeliveryError(redact(f"{what}: {exc}", self.secrets), permanent=permanent)


class BotNotifier(SlackNotifier):
    """chat.postMessage and chat.update with a bot token (xoxb-...)."""

    can_thread = True
    can_update = True

    def __init__(
        self,
        target: SlackTarget,
        client: WebClient | None = None,
        directory: SlackDirectory | None = None,
        lookup_client: WebClient | None = None,
    ) -> None:
        super().__init__(target)
        base_url = target.api_url or DEFAULT_API_URL
        base_url = base_url if base_url.endswith("/") else base_url + "/"
        logger = _filtered_logger("guard.alerting.slack_sdk.web", self.secrets)
        self.client = client or WebClient(
            token=target.token, base_url=base_url, timeout=30, logger=logger, retry_handlers=retry_handlers()
        )
        # Lookups never wait out a 429 (a name without a mention is fine); posts do.
        self.lookup_client = (
            lookup_client
            or client
            or WebClient(
                token=target.token,
                base_url=base_url,
                timeout=10,
                logger=logger,
                retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1)],
            )
        )
        self.directory = directory or directory_for(target)
        self.posted_channel: str | None = None

    def mentions(self, emails: Iterable[str]) -> dict[str, str]:
        return self.directory.user_ids(self._lookup, emails)

    def _lookup(self, email: str) -> str | None:
        """users.lookupByEmail: the member's id; None when no active member has that address."""
        try:
            response = self.lookup_client.users_lookupByEmail(email=email)
        except SlackApiError as exc:
            error = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
            if error == "users_not_found":
                return None
            if error in LOOKUP_REFUSED:
                raise LookupRefused(redact(error, self.secrets)) from None
            raise LookupFailed(redact(error, self.secrets)) from None
        except (SlackClientError, OSError) as exc:
            raise LookupFailed(redact(str(exc) or type(exc).__name__, self.secrets)) from None
        user = response.get("user") or {}
        if not isinstance(user, dict) or user.get("deleted") or not user.get("id"):
            return None  # a deactivated member cannot be notified
        return str(user["id"])

    def post(
        self, message: SlackMessage, thread_ts: str | None = None, channel: str | None = None
    ) -> str | None:
        arguments: dict[str, Any] = {
            "channel": channel or self.target.channel,
            "text": message.text,
            "blocks": list(message.blocks),
            "unfurl_links": False,
            "unfurl_media": False,
        }
        if thread_ts:
            arguments["thread_ts"] = thread_ts
        response = self._call("chat.postMessage", self.client.chat_postMessage, arguments)
        self.posted_channel = str(response.get("channel") or arguments["channel"])
        return str(response["ts"]) if response.get("ts") else None

    def update(self, channel: str, ts: str, message: SlackMessage) -> None:
        arguments = {"channel": channel, "ts": ts, "text": message.text, "blocks": list(message.blocks)}
        self._call("chat.update", self.client.chat_update, arguments)

    def _call(self, method: str, function: Any, arguments: dict[str, Any]) -> Any:
        try:
            return function(**arguments)
        except SlackApiError as exc:
            error = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
            raise DeliveryError(
                redact(f"Slack {method} failed: {error}", self.secrets), permanent=error in MESSAGE_ERRORS
            ) from None
        except (SlackClientError, OSError) as exc:
            raise self._failure(f"Slack {method} could not be reached", exc) from None


class WebhookNotifier(SlackNotifier):
    """An incoming webhook: answers `ok`, gives no ts, so it cannot thread or edit."""

    def __init__(self, target: SlackTarget, client: WebhookClient | None = None) -> None:
        super().__init__(target)
        assert target.webhook_url
        self.client = client or WebhookClient(
            url=target.webhook_url,
            timeout=30,
            logger=_filtered_logger("guard.alerting.slack_sdk.webhook", self.secrets),
            retry_handlers=retry_handlers(),
        )

    def post(
        self, message: SlackMessage, thread_ts: str | None = None, channel: str | None = None
    ) -> str | None:
        try:
            response = self.client.send_dict({"text": message.text, "blocks": list(message.blocks)})
        except (SlackClientError, OSError) as exc:
            raise self._failure("the Slack webhook could not be reached", exc) from None
        if response.status_code == 200:
            return None
        body = (response.body or "").strip()[:200]
        raise DeliveryError(
            redact(f"the Slack webhook answered HTTP {response.status_code}: {body}", self.secrets),
            permanent=body in MESSAGE_ERRORS,
        )


def make_notifier(target: SlackTarget) -> SlackNotifier:
    return BotNotifier(target) if target.token else WebhookNotifier(target)
