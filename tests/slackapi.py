"""Slack's Web API and an incoming webhook, played by pytest-httpserver.

Answers as Slack does (chat.postMessage -> ok, channel, ts; webhook -> "ok"), and
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
        return self

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
