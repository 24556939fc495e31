"""`guard serve`: the Slack app behind the buttons and `/guard`, built on slack-bolt.

Bolt checks every request's signature and refuses a timestamp older than five minutes (401);
guard refuses a replayed request (the same signature twice, remembered in history, 401 too).
Every listener acknowledges at once (Slack wants an answer within 3 s); the work that takes
longer (a rollback: a fresh read, the AWS calls, a re-scan) runs as a lazy listener after the
acknowledgement. Served over HTTP at /slack/events (`serve_http`) or from AWS Lambda
(`guard.alerting.slack_lambda.handler`).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from guard.alerting import actions
from guard.alerting.actions import Refusal, may_approve, still_open
from guard.alerting.history.store import OPEN, FindingRecord, HistoryStore, iso, utcnow
from guard.alerting.slack import API_URL_ENV, DEFAULT_API_URL, _filtered_logger, redact, retry_handlers
from guard.config import Approvers
from guard.errors import InputError
from guard.render import slack as slack_ids

EVENTS_PATH = "/slack/events"
GROUP_TTL_SECONDS = 300.0
log = logging.getLogger("guard.serve")


@dataclass(frozen=True)
class RollbackSetup:
    """What a rollback from Slack reads and which role it writes with."""

    states: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    role_arn: str = ""  # the rollback role; never the reader role
    external_id: str = ""
    session: Any = None  # the base boto3 session (None: the standard chain)
    max_attempts: int = 5


def check_rollback_role(role: str, config: Any) -> None:
    """A rollback from Slack never runs with a reader role (guard.toml's defaults or an account's),
    named by ARN or by role name."""
    readers = {config.role, *(account.role for account in config.accounts)} - {""}
    name = role.rsplit("/", 1)[-1]
    if role and any(role == reader or name == reader.rsplit("/", 1)[-1] for reader in readers):
        raise InputError(
            "--rollback-role",
            f"{role} is the reader role",
            "name the rollback role (docs/iam-policy-rollback.json), not the one scans read with",
        )


@dataclass(frozen=True)
class ServeSettings:
    signing_secret: str = field(repr=False)
    token: str = field(repr=False)
    store: HistoryStore
    approvers: Approvers = field(default_factory=Approvers)
    channels: Mapping[str, str] = field(default_factory=dict)  # account -> channel (guard.toml)
    rollback: RollbackSetup = field(default_factory=RollbackSetup)
    api_url: str = DEFAULT_API_URL
    clock: Callable[[], datetime] = utcnow

    @classmethod
    def from_environment(
        cls, store: HistoryStore, environ: Mapping[str, str] | None = None, **values: Any
    ) -> ServeSettings:
        env = os.environ if environ is None else environ
        secret = env.get("SLACK_SIGNING_SECRET", "")
        token = env.get("SLACK_BOT_TOKEN", "")
        if not secret:
            raise InputError(
                "SLACK_SIGNING_SECRET",
                "is not set",
                "copy the Signing Secret from the Slack app's Basic Information page (docs/slack-app.md)",
            )
        if not token:
            raise InputError(
                "SLACK_BOT_TOKEN",
                "is not set",
                "copy the xoxb- Bot User OAuth Token from OAuth & Permissions",
            )
        api_url = env.get(API_URL_ENV) or DEFAULT_API_URL
        return cls(signing_secret=secret, token=token, store=store, api_url=api_url, **values)

    @property
    def secrets(self) -> list[str]:
        return [s for s in (self.signing_secret, self.token) if s]


class Actions:
    """The listeners' work, one Slack client and one history store."""

    def __init__(self, settings: ServeSettings, client: WebClient) -> None:
        self.settings = settings
        self.store = settings.store
        self.client = client
        self._groups: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()  # one decision at a time: the two-person rule counts approvals

    # -- Slack calls -------------------------------------------------------------------

    def say(self, channel: str, thread_ts: str | None, text: str) -> None:
        try:
            self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, unfurl_links=False)
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.error("Slack chat.postMessage failed: %s", redact(str(exc), self.settings.secrets))

    def name_of(self, user: Mapping[str, Any]) -> str:
        """users.info's real name; the payload's username when Slack cannot tell."""
        user_id = str(user.get("id", ""))
        fallback = str(user.get("username") or user.get("name") or user_id)
        try:
            found = self.client.users_info(user=user_id).get("user") or {}
        except (SlackApiError, SlackClientError, OSError):
            return fallback
        profile = found.get("profile") or {}
        return str(found.get("real_name") or profile.get("real_name") or found.get("name") or fallback)

    def members(self, group: str) -> frozenset[str]:
        cached = self._groups.get(group)
        if cached and time.monotonic() - cached[0] < GROUP_TTL_SECONDS:
            return cached[1]
        try:
            users = frozenset(self.client.usergroups_users_list(usergroup=group).get("users") or [])
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.warning(
                "Slack usergroups.users.list %s failed: %s", group, redact(str(exc), self.settings.secrets)
            )
            return frozenset()
        self._groups[group] = (time.monotonic(), users)
        return users

    def approver(self, record: FindingRecord, user_id: str) -> bool:
        chosen = self.settings.approvers.for_account(record.account)
        groups = {group: self.members(group) for group in chosen.usergroups}
        return may_approve(self.settings.approvers, record.account, user_id, groups)

    def mark(self, channel: str, ts: str | None) -> None:
        """chat.update the alert: its blocks, buttons kept, and a line per decision taken on it."""
        original = self.store.sent_at_ts(channel, ts) if ts else None
        if original is None or ts is None:
            return
        blocks = list(original.payload.get("blocks", []))
        for fp in original.fingerprints:
            for row in self.store.decisions(fp):
                line = _decision_line(row)
                if line and len(blocks) < 50:
                    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": line}]})
        try:
            self.client.chat_update(
                channel=channel, ts=ts, text=str(original.payload.get("text", "")), blocks=blocks
            )
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.error("Slack chat.update failed: %s", redact(str(exc), self.settings.secrets))

    # -- the buttons --------------------------------------------------------------------

    def press(self, body: Mapping[str, Any]) -> None:
        """Acknowledge or snooze: anyone in the channel."""
        action = body["actions"][0]
        fingerprint = str(action.get("value", ""))
        channel, ts = _where(body)
        user = body.get("user") or {}
        found = still_open(self.store, fingerprint)
        if isinstance(found, Refusal):
            self.say(channel, ts, f":information_source: {found.text}")
            return
        now = self.settings.clock()
        name = self.name_of(user)
        user_id = str(user.get("id", ""))
        if action["action_id"] == slack_ids.ACK:
            self.store.decide(
                fingerprint, {"acknowledged_by": f"{name} ({user_id})", "acknowledged_at": iso(now)}
            )
            self.store.record_decision(actions.decision(fingerprint, "acknowledge", user_id, name, now))
            self.mark(channel, ts)
            return
        until = iso(now + actions.SNOOZES[action["action_id"]])
        self.store.decide(fingerprint, {"snoozed_until": until})
        self.store.record_decision(actions.decision(fingerprint, "snooze", user_id, name, now, until=until))
        self.mark(channel, ts)

    def open_accept(self, body: Mapping[str, Any]) -> None:
        """Accept as intended: approvers only; the modal asks for a reason and an expiry."""
        fingerprint = str(body["actions"][0].get("value", ""))
        channel, ts = _where(body)
        user_id = str((body.get("user") or {}).get("id", ""))
        found = still_open(self.store, fingerprint)
        if isinstance(found, Refusal):
            self.say(channel, ts, f":information_source: {found.text}")
            return
        if not self.approver(found, user_id):
            self.say(channel, ts, _not_approver(user_id, "accept", found.account))
            return
        metadata = json.dumps({"fingerprint": fingerprint, "channel": channel, "ts": ts})
        try:
            self.client.views_open(trigger_id=body["trigger_id"], view=accept_view(found, metadata))
        except (SlackApiError, SlackClientError, OSError) as exc:
            self.say(
                channel,
                ts,
                f":warning: could not open the accept form: {redact(str(exc), self.settings.secrets)}",
            )

    def accept(self, body: Mapping[str, Any]) -> None:
        view = body["view"]
        meta = json.loads(view.get("private_metadata") or "{}")
        fingerprint, channel, ts = meta.get("fingerprint", ""), meta.get("channel", ""), meta.get("ts")
        form = accept_form(view)
        if isinstance(form, dict):
            return  # the form was answered with its errors and stays open: nothing to record
        reason, days = form
        user = body.get("user") or {}
        user_id = str(user.get("id", ""))
        found = still_open(self.store, fingerprint)
        if isinstance(found, Refusal):
            self.say(channel, ts, f":information_source: {found.text}")
            return
        if not self.approver(found, user_id):  # checked again: the form may outlive a change of approvers
            self.say(channel, ts, _not_approver(user_id, "accept", found.account))
            return
        now = self.settings.clock()
        name = self.name_of(user)
        until = iso(now + timedelta(days=days))
        self.store.decide(
            fingerprint,
            {"accepted_by": f"{name} ({user_id})", "accepted_until": until, "accept_reason": reason},
        )
        self.store.record_decision(
            actions.decision(fingerprint, "accept", user_id, name, now, until=until, reason=reason)
        )
        self.mark(channel, ts)
        change = found.permanent or f"# make {found.address or found.id} in the code match AWS"
        self.say(
            channel,
            ts,
            f"Accepted as intended by <@{user_id}> until {until}: {reason}\n"
            f"No alert for it until then. To make the edit permanent, change the code:\n```{change}```",
        )

    def rollback(self, body: Mapping[str, Any]) -> None:
        """Roll back: approvers only; a disruptive one needs a second, different approver."""
        fingerprint = str(body["actions"][0].get("value", ""))
        channel, ts = _where(body)
        user = body.get("user") or {}
        user_id = str(user.get("id", ""))
        with self._lock:
            found = still_open(self.store, fingerprint)
            if isinstance(found, Refusal):
                self.say(channel, ts, f":information_source: {found.text}")
                return
            if not self.approver(found, user_id):
                self.say(channel, ts, _not_approver(user_id, "roll back", found.account))
                return
            if not found.rollback:
                self.say(
                    channel, ts, f"`{fingerprint}` has no direct AWS reversal: the alert's plan says how"
                )
                return
            setup = self.settings.rollback
            if not setup.role_arn:
                self.say(
                    channel,
                    ts,
                    ":warning: no rollback role is set ([slack] rollback_role in guard.toml or "
                    "GUARD_ROLLBACK_ROLE): nothing done",
                )
                return
            now = self.settings.clock()
            name = self.name_of(user)
            if found.rollback == "disruptive":
                waiting = actions.approvals(self.store, fingerprint, iso(now - actions.APPROVAL_WINDOW))
                others = [d for d in waiting if d.user_id != user_id]
                if not others:
                    if any(d.user_id == user_id for d in waiting):
                        self.say(
                            channel,
                            ts,
                            f"<@{user_id}> approved already: a second, different approver is needed",
                        )
                        return
                    self.store.record_decision(actions.decision(fingerprint, "approve", user_id, name, now))
                    self.mark(channel, ts)
                    self.say(
                        channel,
                        ts,
                        f":raised_hand: <@{user_id}> approved the rollback of `{fingerprint}`. "
                        "It is disruptive: it runs when a second approver presses Roll back "
                        f"within {actions.APPROVAL_WINDOW_TEXT}.",
                    )
                    return
            self.say(channel, ts, f":rewind: rolling back `{fingerprint}` for <@{user_id}>…")
            outcome = run_rollback(found, setup)
            after = self.settings.clock()
            self.store.record_decision(
                actions.decision(fingerprint, "rollback", user_id, name, after, detail=outcome.summary)
            )
            if outcome.closed:
                self.store.resolve(fingerprint, iso(after))
            self.mark(channel, ts)
            self.say(channel, ts, outcome.text)

    def status(self, channel: str) -> str:
        """`/guard status`: open findings of the channel's accounts, newest first, with their state."""
        accounts = {account for account, wanted in self.settings.channels.items() if wanted == channel}
        records = self.store.findings(OPEN)
        accounts |= {r.account for r in records if r.slack_channel == channel}
        chosen = sorted(
            (r for r in records if r.account in accounts), key=lambda r: r.first_seen, reverse=True
        )
        if not chosen:
            return "No open findings for this channel's accounts."
        now = self.settings.clock()
        lines = [f"*{len(chosen)} open finding{'s' if len(chosen) != 1 else ''}*"]
        for record in chosen[:40]:
            lines.append(
                f"• `{record.fingerprint}` {record.headline} · {record.account} {record.region or 'global'} "
                f"· since {record.first_seen} · *{record.state(now)}*"
            )
        if len(chosen) > 40:
            lines.append(f"… and {len(chosen) - 40} more: `guard history`")
        return "\n".join(lines)


def _decision_line(row: Any) -> str | None:
    who = f"<@{row.user_id}>"
    if row.action == "acknowledge":
        return f":eyes: `{row.fingerprint}` acknowledged by {who} at {row.at}"
    if row.action == "snooze":
        return f":zzz: `{row.fingerprint}` snoozed by {who} until {row.until}"
    if row.action == "accept":
        return f":handshake: `{row.fingerprint}` accepted as intended by {who} until {row.until}"
    if row.action == "approve":
        return f":raised_hand: `{row.fingerprint}` rollback approved by {who}"
    if row.action == "rollback":
        return f":rewind: `{row.fingerprint}` rolled back by {who} at {row.at}: {row.detail}"[:2000]
    return None


def _where(body: Mapping[str, Any]) -> tuple[str, str | None]:
    channel = str(
        (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")
    )
    container = body.get("container") or {}
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    return channel, str(ts) if ts else None


def _not_approver(user_id: str, verb: str, account: str) -> str:
    return (
        f":no_entry: <@{user_id}> is not an approver for account {account or '?'}: only the users and "
        f"user groups in guard.toml [slack.approvers] may {verb}. Nothing done."
    )


def accept_form(view: Mapping[str, Any]) -> tuple[str, int] | dict[str, str]:
    """The accept form's reason and days, or its errors by block id (Slack shows them inline)."""
    values = (view.get("state") or {}).get("values") or {}
    reason = str(((values.get("reason") or {}).get("reason") or {}).get("value") or "").strip()
    chosen = ((values.get("expiry") or {}).get("expiry") or {}).get("selected_option") or {}
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = "Say why this edit is intended: it is kept in history"
    days = int(chosen["value"]) if str(chosen.get("value", "")).isdigit() else 0
    if days not in actions.ACCEPT_DAYS:
        errors["expiry"] = "Pick " + ", ".join(f"{d}" for d in actions.ACCEPT_DAYS) + " days"
    return errors or (reason[:500], days)


def accept_view(record: FindingRecord, metadata: str) -> dict[str, Any]:
    options = [
        {"text": {"type": "plain_text", "text": f"{days} days"}, "value": str(days)}
        for days in actions.ACCEPT_DAYS
    ]
    return {
        "type": "modal",
        "callback_id": actions.ACCEPT_VIEW,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": "Accept as intended"},
        "submit": {"type": "plain_text", "text": "Accept"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{record.headline}*"[:3000]}},
            {
                "type": "input",
                "block_id": "reason",
                "label": {"type": "plain_text", "text": "Why is this edit intended?"},
                "element": {"type": "plain_text_input", "action_id": "reason", "multiline": True},
            },
            {
                "type": "input",
                "block_id": "expiry",
                "label": {"type": "plain_text", "text": "Accept for"},
                "element": {
                    "type": "static_select",
                    "action_id": "expiry",
                    "initial_option": options[1],
                    "options": options,
                },
            },
        ],
    }


@dataclass(frozen=True)
class Outcome:
    text: str
    summary: str
    closed: bool


def run_rollback(record: FindingRecord, setup: RollbackSetup) -> Outcome:
    """The finding's direct reversal through `guard rollback --apply --only` (pipeline.rollback),
    with the rollback role, its stale check and its re-scan."""
    from guard.alerting.fingerprint import fingerprint
    from guard.aws import Clients, new_session, short_error
    from guard.errors import GuardError
    from guard.pipeline.accounts import Target, assumed_session
    from guard.pipeline.rollback import RollbackStatus, rollback

    base = setup.session or new_session()
    regions = setup.regions or ((record.region,) if record.region else ())
    try:
        session = assumed_session(
            base,
            Target(role_arn=setup.role_arn, external_id=setup.external_id, regions=regions),
            "guard-rollback",
        )
        result = rollback(
            setup.states,
            regions,
            Clients(session, max_attempts=setup.max_attempts),
            only=(record.address or record.id,),
            apply=True,
            pick=lambda drift: fingerprint(drift) == record.fingerprint,
        )
    except GuardError as exc:
        return Outcome(
            f":warning: rollback of `{record.fingerprint}` did not run: {exc}", f"not run: {exc}", False
        )
    except Exception as exc:
        detail = short_error(exc)
        return Outcome(
            f":warning: rollback of `{record.fingerprint}` did not run: {detail}", f"not run: {detail}", False
        )
    if not result.selected:
        text = f"`{record.fingerprint}` is no longer found as alerted (fixed or changed since): nothing done"
        return Outcome(f":information_source: {text}", "stale: nothing done", False)
    lines = []
    for run in result.runs:
        lines.append(f"• {run.drift.address or run.drift.id}: *{run.outcome.value}* {run.detail}".rstrip())
    done = any(run.outcome is RollbackStatus.DONE for run in result.runs)
    after = result.after
    if after is not None and not after.complete:
        rescan = "re-scan incomplete: " + ", ".join(f"{n.type} in {n.region}" for n in after.not_checked)
    elif result.closed and not result.remaining:
        rescan = "re-scan: clean, the finding is closed"
    else:
        rescan = f"re-scan: {len(result.remaining)} finding(s) still open"
    closed = bool(result.closed) and not result.remaining and after is not None and after.complete
    emoji = ":white_check_mark:" if closed else (":warning:" if done else ":information_source:")
    text = f"{emoji} Rollback of `{record.fingerprint}`:\n" + "\n".join(lines) + f"\n{rescan}"
    summary = "; ".join(f"{run.outcome.value} {run.detail}".strip() for run in result.runs) + f"; {rescan}"
    return Outcome(text, summary, closed)


def build_app(settings: ServeSettings, lambda_mode: bool = False) -> App:
    """The Bolt app: buttons, the accept form, and `/guard`."""
    logger = _filtered_logger("guard.serve.bolt", settings.secrets)
    base_url = settings.api_url if settings.api_url.endswith("/") else settings.api_url + "/"
    client = WebClient(
        token=settings.token, base_url=base_url, timeout=10, logger=logger, retry_handlers=retry_handlers(2)
    )
    app = App(
        signing_secret=settings.signing_secret,
        token=settings.token,
        client=client,
        token_verification_enabled=False,
        process_before_response=lambda_mode,
        logger=logger,
    )
    work = Actions(settings, client)

    @app.middleware
    def refuse_replays(req: Any, resp: Any, next: Callable[[], Any]) -> Any:
        if req.lazy_only and (req.context.get("lambda_request") or {}).get("method") == "NONE":
            # Bolt's Lambda adapter re-invokes the function with the acknowledged request to run
            # the lazy listener; only an asynchronous self-invocation carries method NONE (the
            # handler strips the lazy headers from HTTP events), so this is not a replay.
            return next()
        signature = (req.headers.get("x-slack-signature") or [""])[0]
        stamp = (req.headers.get("x-slack-request-timestamp") or [""])[0]
        if not work.store.claim_request(f"{stamp}:{signature}", time.time()):
            log.warning("refused a replayed Slack request (signature seen before)")
            return BoltResponse(status=401, body="replayed request refused")
        return next()

    def just_ack(ack: Callable[..., None]) -> None:
        ack()

    def press(body: dict[str, Any]) -> None:
        work.press(body)

    def open_accept(body: dict[str, Any]) -> None:
        work.open_accept(body)

    def accept(body: dict[str, Any]) -> None:
        work.accept(body)

    def roll_back(body: dict[str, Any]) -> None:
        work.rollback(body)

    for action_id in (slack_ids.ACK, slack_ids.SNOOZE_4H, slack_ids.SNOOZE_1D):
        app.action(action_id)(ack=just_ack, lazy=[press])
    app.action(slack_ids.ACCEPT)(ack=just_ack, lazy=[open_accept])

    def check_form(ack: Callable[..., None], body: dict[str, Any]) -> None:
        form = accept_form(body.get("view") or {})
        if isinstance(form, dict):
            ack(response_action="errors", errors=form)
        else:
            ack()

    app.view(actions.ACCEPT_VIEW)(ack=check_form, lazy=[accept])
    app.action(slack_ids.ROLLBACK)(ack=just_ack, lazy=[roll_back])

    @app.command("/guard")
    def guard_command(ack: Callable[..., None], command: dict[str, Any]) -> None:
        words = str(command.get("text", "")).split()
        if words[:1] in ([], ["status"]):
            ack(response_type="ephemeral", text=work.status(str(command.get("channel_id", ""))))
        else:
            ack(
                response_type="ephemeral",
                text="Usage: `/guard status` (open findings of this channel's accounts)",
            )

    return app


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)


def wsgi_app(app: App) -> Callable[..., Any]:
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    handler = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Sequence[bytes]:
        if environ.get("REQUEST_METHOD") == "GET" and environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok\n"]
        return list(handler(environ, start_response))

    return application


def make_http_server(app: App, host: str, port: int) -> WSGIServer:
    """A threaded HTTP server for /slack/events (and GET /healthz for a load balancer)."""
    return make_server(host, port, wsgi_app(app), server_class=_Server, handler_class=_QuietHandler)
