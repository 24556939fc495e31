"""Slack's Web API and an incoming webhook, played by pytest-httpserver.

Answers as Slack does (chat.postMessage -> ok, channel, ts; webhook -> "ok";
users.lookupByEmail -> the member, users_not_found, or missing_scope without
users:read.email), and
checks every body against Slack's documented limits on its own, the way Slack
rejects a message: `invalid_blocks`.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

WEBHOOK_PATH = "/services/T0000/B0000/webhookSECRETpart"


@dataclass
class Posted:
    method: str
    body: dict[str, Any]
    authorization: str | None


@dataclass
class SlackApi:
    server: HTTPServer
    posts: list[Posted] = field(default_factory=list)  # accepted requests only
    requests: int = 0
    script: deque[tuple[int, dict[str, str], str]] = field(default_factory=deque)  # status, headers, body
    down: bool = False
    next_ts: int = 1700000000
    people: dict[str, str] = field(default_factory=dict)  # e-mail -> member id, for users.lookupByEmail
    scopes: set[str] = field(default_factory=lambda: {"chat:write", "users:read", "users:read.email"})
    lookups: list[str] = field(default_factory=list)  # every address asked for, answered or not
    groups: dict[str, list[str]] = field(default_factory=dict)  # user group id -> member ids
    names: dict[str, str] = field(default_factory=dict)  # member id -> real name, for users.info
    views: list[dict[str, Any]] = field(default_factory=list)  # views.open bodies

    @property
    def api_url(self) -> str:
        return self.server.url_for("/api/")

    @property
    def webhook_url(self) -> str:
        return self.server.url_for(WEBHOOK_PATH)

    def start(self) -> SlackApi:
        for method in ("chat.postMessage", "chat.update"):
            self.server.expect_request(f"/api/{method}", method="POST").respond_with_handler(self._api)
        self.server.expect_request(WEBHOOK_PATH, method="POST").respond_with_handler(self._webhook)
        self.server.expect_request("/api/users.lookupByEmail").respond_with_handler(self._lookup_by_email)
        for method in ("auth.test", "users.info", "usergroups.users.list", "views.open"):
            self.server.expect_request(f"/api/{method}").respond_with_handler(self._app_api)
        return self

    def _app_api(self, request: Request) -> Response:
        """auth.test (Bolt asks once), users.info, usergroups.users.list and views.open, as Slack answers."""
        scripted = self._scripted()
        if scripted is not None:
            return scripted
        method = request.path.rsplit("/", 1)[-1]
        values: dict[str, Any] = dict(request.values)
        if request.is_json:
            values.update(request.get_json())
        answer: dict[str, Any]
        if not (request.headers.get("Authorization") or "").startswith("Bearer xoxb-"):
            answer = {"ok": False, "error": "not_authed"}
        elif method == "auth.test":
            answer = {
                "ok": True,
                "url": "https://example.slack.com/",
                "team": "Example",
                "user": "guard",
                "team_id": "T0000",
                "user_id": "U0GUARDBOT",
                "bot_id": "B0GUARD",
                "is_enterprise_install": False,
            }
        elif method == "users.info":
            user = str(values.get("user", ""))
            if user not in self.names:
                answer = {"ok": False, "error": "user_not_found"}
            else:
                name = self.names[user]
                answer = {
                    "ok": True,
                    "user": {
                        "id": user,
                        "team_id": "T0000",
                        "name": name.split()[0].lower(),
                        "deleted": False,
                        "real_name": name,
                        "is_bot": False,
                        "profile": {"real_name": name, "display_name": name.split()[0]},
                    },
                }
        elif method == "usergroups.users.list":
            group = str(values.get("usergroup", ""))
            answer = (
                {"ok": True, "users": self.groups[group]}
                if group in self.groups
                else {"ok": False, "error": "no_such_subteam"}
            )
        else:  # views.open
            view = values.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            if not values.get("trigger_id") or not isinstance(view, dict):
                answer = {"ok": False, "error": "invalid_arguments"}
            else:
                self.views.append({"trigger_id": values["trigger_id"], "view": view})
                answer = {"ok": True, "view": {"id": f"V{len(self.views):04d}", **view}}
        self.posts.append(Posted(method, values, request.headers.get("Authorization")))
        return Response(json.dumps(answer), 200, content_type="application/json")

    def _scripted(self) -> Response | None:
        self.requests += 1
        if self.down:
            return Response("upstream connect error", status=503)
        if self.script:
            status, headers, body = self.script.popleft()
            return Response(body, status=status, headers=headers)
        return None

    def _api(self, request: Request) -> Response:
        scripted = self._scripted()
        if scripted is not None:
            return scripted
        body = request.get_json()
        method = request.path.rsplit("/", 1)[-1]
        problem = slack_rejects(body)
        if problem:
            return Response(
                json.dumps({"ok": False, "error": "invalid_blocks", "detail": problem}),
                200,
                content_type="application/json",
            )
        self.posts.append(Posted(method, body, request.headers.get("Authorization")))
        if method == "chat.update":
            answer = {"ok": True, "channel": body["channel"], "ts": body["ts"]}
        else:
            self.next_ts += 1
            answer = {"ok": True, "channel": "C0ALERTS", "ts": f"{self.next_ts}.000100"}
        return Response(json.dumps(answer), 200, content_type="application/json")

    def _lookup_by_email(self, request: Request) -> Response:
        """GET (slack-sdk's verb) or a form POST; the token's scopes decide, as Slack's do."""
        scripted = self._scripted()
        if scripted is not None:
            return scripted
        email = request.values.get("email", "")
        self.lookups.append(email)
        answer: dict[str, Any]
        if "users:read.email" not in self.scopes:
            answer = {
                "ok": False,
                "error": "missing_scope",
                "needed": "users:read.email",
                "provided": ",".join(sorted(self.scopes)),
            }
        elif not email:
            answer = {"ok": False, "error": "invalid_arguments"}
        elif (member := self._member(email)) is None:
            answer = {"ok": False, "error": "users_not_found"}
        else:
            answer = {"ok": True, "user": member}
        return Response(json.dumps(answer), 200, content_type="application/json")

    def _member(self, email: str) -> dict[str, Any] | None:
        for known, member_id in self.people.items():
            if known.lower() == email.lower():  # Slack matches addresses without regard to case
                name = known.split("@", 1)[0]
                return {
                    "id": member_id,
                    "team_id": "T0000",
                    "name": name,
                    "deleted": False,
                    "real_name": name.title(),
                    "is_bot": False,
                    "profile": {"email": known, "real_name": name.title(), "display_name": name},
                }
        return None

    def _webhook(self, request: Request) -> Response:
        scripted = self._scripted()
        if scripted is not None:
            return scripted
        body = request.get_json()
        if slack_rejects(body):
            return Response("invalid_blocks", status=400)
        self.posts.append(Posted("webhook", body, None))
        return Response("ok", 200)

    def messages(self, method: str = "chat.postMessage") -> list[dict[str, Any]]:
        return [p.body for p in self.posts if p.method == method]


def slack_rejects(body: dict[str, Any]) -> str | None:
    """Slack's documented limits, written out independently of guard's renderer."""
    blocks = body.get("blocks") or []
    if len(blocks) > 50:
        return "more than 50 blocks"
    for block in blocks:
        if block["type"] == "header" and len(block["text"]["text"]) > 150:
            return "header over 150"
        if block["type"] == "section" and not 0 < len(block["text"]["text"]) <= 3000:
            return "section text over 3000"
        if block["type"] == "context" and not 0 < len(block["elements"]) <= 10:
            return "context elements"
    if not body.get("text") and not blocks:
        return "no text"
    return None
