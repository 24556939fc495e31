"""Promise: nothing lost. A `guard watch` killed (SIGKILL) while it posts to Slack leaves
its SQLite history consistent, and the next cycle sends every undelivered alert exactly
once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading

from werkzeug import Request, Response

from guard.demo import build_web_estate, delete_https_rule
from tests.slackapi import SlackApi

REGION = "us-east-1"
SLOW_PATH = "/services/T0000/B0000/slowhook"


def test_watch_killed_mid_post_loses_nothing_and_sends_once(aws, httpserver, guard, tmp_path, monkeypatch):
    built = build_web_estate(aws, REGION)
    state = built.state.write(tmp_path / "terraform.tfstate")
    delete_https_rule(aws, built.lb_group_id, REGION)
    history = tmp_path / "history.sqlite3"

    slack = SlackApi(httpserver).start()
    arrived, release = threading.Event(), threading.Event()
    hold_first = [True]

    def slow_webhook(request: Request) -> Response:
        if hold_first[0]:  # the first post hangs until guard is dead, then fails
            hold_first[0] = False
            arrived.set()
            release.wait(120)
            return Response("upstream connect error", status=503)
        return slack._webhook(request)

    httpserver.expect_request(SLOW_PATH, method="POST").respond_with_handler(slow_webhook)
    webhook = httpserver.url_for(SLOW_PATH)
    env = {**os.environ, "GUARD_SLACK_WEBHOOK_URL": webhook}
    args = ["--state", str(state), "--region", REGION, "--notify", "slack", "--history", str(history)]
    process = subprocess.Popen(
        [sys.executable, "-m", "guard", "watch", *args, "--interval", "1h"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert arrived.wait(120), "watch never posted"
        process.kill()  # SIGKILL: no handler, no cleanup, mid-request
        process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
        release.set()
    assert process.returncode == -9

    with sqlite3.connect(history) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        open_findings = db.execute("SELECT fingerprint FROM findings WHERE status = 'open'").fetchall()
        pending = db.execute("SELECT id FROM outbox").fetchall()
    assert len(open_findings) == 1, "the finding the killed cycle saw is recorded"
    assert len(pending) == 1, "its alert is still in the outbox, not marked sent"
    assert slack.posts == []

    # The next cycle (the lock the dead process held is taken over) sends it, once.
    monkeypatch.setenv("GUARD_SLACK_WEBHOOK_URL", webhook)
    for _ in range(2):
        result = guard("scan", *args, "--lock-wait", "5")
        assert result.code == 2, result.err
    messages = slack.messages("webhook")
    assert len(messages) == 1, [m["text"] for m in messages]
    assert "tcp/443" in str(messages[0])
    with sqlite3.connect(history) as db:
        assert db.execute("SELECT COUNT(*) FROM outbox").fetchone() == (0,)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
