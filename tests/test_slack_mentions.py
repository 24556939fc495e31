"""The person behind a change, mentioned in Slack: users.lookupByEmail through slack-sdk against the
local Slack API, remembered across a watch loop's notifiers; every failure falls back to the plain name."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from guard.alerting.slack import (
    BotNotifier,
    SlackDirectory,
    SlackTarget,
    WebhookNotifier,
    directory_for,
    forget_people,
)
from guard.enrich.attribution import actor_from_record
from guard.enrich.finish import finish_report
from guard.model import Drift, DriftKind, Report
from guard.render.slack import Alert, actor_emails, alert_messages, limit_violations, who_line
from tests.cloudtrail_shapes import (
    ACCOUNT,
    CONSOLE_AGENT,
    iam_user_identity,
    record,
    revoke_ingress_by_rule_id,
    root_identity,
)
from tests.cloudtrail_shapes import sso_console_identity as sso
from tests.slackapi import SlackApi

TOKEN = "xoxb-1111-2222-tokenSECRETvalue"
GROUP = "sg-0a1b2c3d4e5f60718"
ALICE_WHO = (
    "*Who:* alice@example.com (<@U0ALICE>) via SSO permission set AdministratorAccess, in the AWS console "
    "with MFA, from 203.0.113.7 at 2024-05-02T10:15:04Z: RevokeSecurityGroupIngress (event ev-sso)"
)
ALICE_PLAIN = ALICE_WHO.replace(" (<@U0ALICE>)", "")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def slack(httpserver):
    forget_people()  # the directory lives for the process; each test gets a fresh Slack
    yield SlackApi(httpserver).start()
    forget_people()


def bot(slack: SlackApi, directory: SlackDirectory | None = None) -> BotNotifier:
    return BotNotifier(
        SlackTarget(token=TOKEN, channel="#alerts", api_url=slack.api_url), directory=directory
    )


def alert(identity=None, event_id="ev-sso") -> Alert:
    rec = revoke_ingress_by_rule_id(
        GROUP, "sgr-0123456789abcdef0", identity=identity or sso(mfa=True), event_id=event_id, console=True
    )
    drift = Drift(
        DriftKind.MISSING,
        "aws_security_group",
        GROUP,
        "module.edge.aws_security_group.lb",
        ACCOUNT,
        "us-east-1",
        "ingress tcp/443 from 0.0.0.0/0 was deleted outside Terraform",
        actor=actor_from_record(rec),
    )
    [finished] = finish_report(Report(ACCOUNT, ("us-east-1",), ("terraform.tfstate",), (drift,))).findings
    return Alert(finished, "fp-" + event_id)


def post(notifier, alerts: list[Alert]) -> None:
    """What an alert cycle does: look the people up, render with the mentions, post."""
    mentions = notifier.mentions(actor_emails(alerts))
    for message in alert_messages(alerts, mentions):
        assert limit_violations(message) == []
        notifier.post(message)


def posted_who(slack: SlackApi, method: str = "chat.postMessage") -> list[str]:
    return [
        line
        for body in slack.messages(method)
        for block in body["blocks"]
        if block["type"] == "section"
        for line in block["text"]["text"].splitlines()
        if line.startswith("*Who:*")
    ]


def test_an_sso_user_found_by_email_is_mentioned_beside_their_name(slack):
    slack.people = {"Alice@Example.com": "U0ALICE"}  # Slack matches the address whatever its case
    post(bot(slack), [alert()])
    assert posted_who(slack) == [ALICE_WHO]
    assert slack.lookups == ["alice@example.com"]
    [lookup_request] = [r for r, _ in slack.server.log if r.path.endswith("users.lookupByEmail")]
    assert lookup_request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_a_watch_loop_asks_slack_once_per_person(slack):
    slack.people = {"alice@example.com": "U0ALICE"}
    for cycle in range(3):  # guard watch builds a notifier every cycle
        post(bot(slack), [alert(event_id=f"ev-{cycle}")])
    assert slack.lookups == ["alice@example.com"]
    assert all("(<@U0ALICE>)" in line for line in posted_who(slack))
    assert len(posted_who(slack)) == 3


def test_users_not_found_posts_the_plain_name_and_asks_again_an_hour_later(slack):
    clock = Clock()
    directory = SlackDirectory(clock=clock)
    post(bot(slack, directory), [alert()])
    post(bot(slack, directory), [alert()])
    assert posted_who(slack) == [ALICE_PLAIN, ALICE_PLAIN]
    assert slack.lookups == ["alice@example.com"]  # the miss is remembered

    slack.people = {"alice@example.com": "U0ALICE"}  # she joins the workspace
    clock.now = 3601.0
    post(bot(slack, directory), [alert()])
    assert posted_who(slack)[-1] == ALICE_WHO
    assert slack.lookups == ["alice@example.com", "alice@example.com"]


def test_missing_scope_falls_back_to_the_name_says_which_scope_and_stops_asking(slack, caplog):
    slack.people = {"alice@example.com": "U0ALICE", "carol@example.com": "U0CAROL"}
    slack.scopes = {"chat:write"}
    alerts = [alert(), alert(sso("carol@example.com"), "ev-carol")]
    with caplog.at_level(logging.WARNING, logger="guard.alerting"):
        post(bot(slack), alerts)
        post(bot(slack), alerts)
    assert len(slack.messages()) == 2  # both posts went out
    assert not any("<@" in line for line in posted_who(slack))
    assert ALICE_PLAIN in posted_who(slack)
    assert slack.lookups == ["alice@example.com"]  # the refusal holds for every address and every cycle
    [warning] = [r.getMessage() for r in caplog.records if "lookupByEmail" in r.getMessage()]
    assert "missing_scope" in warning and "users:read.email" in warning
    assert TOKEN not in caplog.text


def test_ratelimited_lookup_posts_at_once_with_the_name_and_tries_again_next_run(slack):
    slack.people = {"alice@example.com": "U0ALICE"}
    slack.script.append(
        (
            429,
            {"Retry-After": "30", "Content-Type": "application/json"},
            '{"ok": false, "error": "ratelimited"}',
        )
    )
    post(bot(slack), [alert()])
    assert posted_who(slack) == [ALICE_PLAIN]
    assert slack.requests == 2  # one refused lookup, not waited out, then the post
    post(bot(slack), [alert()])
    assert posted_who(slack)[-1] == ALICE_WHO


def test_slack_unreachable_for_lookups_still_posts(slack):
    notifier = bot(slack)
    notifier.lookup_client.base_url = "http://127.0.0.1:9/api/"  # nothing listens on the discard port
    post(notifier, [alert()])
    assert posted_who(slack) == [ALICE_PLAIN]


def test_a_webhook_cannot_look_anyone_up_and_posts_the_plain_name(slack):
    slack.people = {"alice@example.com": "U0ALICE"}
    notifier = WebhookNotifier(SlackTarget(webhook_url=slack.webhook_url))
    post(notifier, [alert()])
    assert posted_who(slack, "webhook") == [ALICE_PLAIN]
    assert slack.lookups == []


def test_people_without_an_email_are_not_looked_up(slack):
    rec = record("DeleteSecurityGroup", root_identity(), {"groupId": GROUP}, event_id="ev-root", console=True)
    rec["userAgent"] = CONSOLE_AGENT
    root = Alert(replace(alert().drift, actor=actor_from_record(rec)), "fp-root")
    assert actor_emails([root]) == set()
    assert bot(slack).mentions(actor_emails([root])) == {}
    assert slack.lookups == []


def test_the_directory_is_per_workspace_and_token():
    one = SlackTarget(token=TOKEN, channel="#a", api_url="http://slack.test/api/")
    assert directory_for(one) is directory_for(SlackTarget(token=TOKEN, channel="#b", api_url=one.api_url))
    assert directory_for(one) is not directory_for(
        SlackTarget(token="xoxb-other", channel="#a", api_url=one.api_url)
    )
    forget_people()


def test_who_line_puts_the_mention_beside_the_name_and_flags_root():
    sso_actor = alert().drift.actor
    assert sso_actor is not None
    assert who_line(sso_actor, {"alice@example.com": "U0ALICE"}) == ALICE_WHO
    assert who_line(sso_actor, {}) == ALICE_PLAIN
    assert who_line(sso_actor) == ALICE_PLAIN
    rec = record("DeleteSecurityGroup", root_identity(), {"groupId": GROUP}, event_id="ev-root", console=True)
    root_actor = actor_from_record(rec)
    assert who_line(root_actor).startswith(f"*Who:* :rotating_light: {root_actor.who}")


def test_an_iam_user_named_by_email_is_mentioned_beside_the_name(slack):
    slack.people = {"dave@example.com": "U0DAVE"}
    user = alert(iam_user_identity("dave@example.com"), "ev-dave")
    post(bot(slack), [user])
    [line] = posted_who(slack)
    assert line.startswith(
        "*Who:* IAM user dave@example.com (<@U0DAVE>) (access key AKIA…2345), in the AWS console"
    )
