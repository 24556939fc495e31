"""`guard watch` (loop, signals), the Lambda handler, and the CLI around them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta

import pytest

from guard.alerting.watch import watch_loop
from guard.demo import build_web_estate, delete_https_rule
from tests.slackapi import SlackApi
from tests.test_history import TABLE, create_table

REGION = "us-east-1"


def test_a_crash_in_one_cycle_is_reported_and_the_loop_goes_on():
    stop = threading.Event()
    calls: list[int] = []
    seen: list[tuple[int, object, str | None]] = []

    def cycle():
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the state bucket timed out")
        return f"result {len(calls)}"

    def report(number, result, error):
        seen.append((number, result, error))
        if number == 3:
            stop.set()

    assert watch_loop(cycle, timedelta(0), stop, report) == 3
    assert seen == [
        (1, "result 1", None),
        (2, None, "RuntimeError: the state bucket timed out"),
        (3, "result 3", None),
    ]


@pytest.fixture
def drifted_state(aws, tmp_path):
    built = build_web_estate(aws, REGION)
    state = built.state.write(tmp_path / "terraform.tfstate")
    delete_https_rule(aws, built.lb_group_id, REGION)
    return state


@pytest.mark.parametrize("source", ["--state", "--tf-dir"])
def test_watch_stops_cleanly_on_sigterm(drifted_state, httpserver, tmp_path, source):
    """`watch` reads the same state sources as `scan`: a state file, or a working directory."""
    slack = SlackApi(httpserver).start()
    env = {**os.environ, "GUARD_SLACK_WEBHOOK_URL": slack.webhook_url}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "guard",
            "watch",
            source,
            str(drifted_state if source == "--state" else drifted_state.parent),
            "--region",
            REGION,
            "--interval",
            "1h",
            "--notify",
            "slack",
            "--history",
            str(tmp_path / "h.sqlite3"),
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines = []
    try:
        for line in process.stderr:  # wait for the first cycle to finish
            lines.append(line)
            if "cycle 1" in line:
                break
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    output = "".join(lines) + (rest or "")
    assert process.returncode == 0, output
    assert "cycle 1: 1 finding; 1 new" in output
    assert "SIGTERM received" in output and "stopped after 1 cycle" in output
    assert len(slack.messages("webhook")) == 1
    assert slack.webhook_url not in output


def test_watch_rejects_a_bad_interval_in_one_line(guard, tmp_path):
    result = guard("watch", "--state", tmp_path / "x.tfstate", "--interval", "often")
    assert result.code == 1
    assert result.err.strip() == (
        "guard: error: --interval: 'often' is not a duration; use a number with s, m, h or d, e.g. 5m or 24h"
    )


def test_watch_without_a_state_source_is_one_line_exit_1(guard):
    result = guard("watch", "--region", REGION)
    assert result.code == 1
    assert result.err.strip() == (
        "guard: error: guard watch: no state to compare with; "
        "pass --state, --tf-dir, --pulumi-stack, --pulumi-state with --stack, or --config"
    )


def test_lambda_handler_runs_one_cycle_per_scheduled_event(aws, tmp_path, httpserver):
    from guard.alerting.lambda_handler import handler

    built = build_web_estate(aws, REGION)
    create_table(aws, built.state)  # the history table is declared with the estate
    state = built.state.write(tmp_path / "terraform.tfstate")
    delete_https_rule(aws, built.lb_group_id, REGION)
    slack = SlackApi(httpserver).start()
    environ = {
        "GUARD_STATE": str(state),
        "GUARD_REGIONS": REGION,
        "GUARD_HISTORY": f"dynamodb://{TABLE}",
        "GUARD_SLACK_WEBHOOK_URL": slack.webhook_url,
    }
    event = {
        "version": "0",
        "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": "2024-05-01T10:00:00Z",
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:123456789012:rule/guard-every-5-minutes"],
        "detail": {},
    }
    first = handler(event, None, environ)
    second = handler(event, None, environ)
    assert first["status"] == "complete" and first["new"] == 1 and first["delivered"] == 1
    assert second["new"] == 0 and second["delivered"] == 0
    assert first["scheduled_at"] == "2024-05-01T10:00:00Z"
    assert len(slack.messages("webhook")) == 1
    assert slack.webhook_url not in repr(first)


@pytest.mark.parametrize("command", ["scan", "watch", "history"])
def test_every_alerting_option_is_in_the_cli_reference(command):
    """docs/cli.md is generated from --help (tests/test_docs.py keeps it current): each option
    must be listed in its command's section, not hidden or missing from the help."""
    import re
    from pathlib import Path

    from guard.cli import cli

    text = (Path(__file__).parent.parent / "docs" / "cli.md").read_text()
    section = text.split(f"## guard {command}\n", 1)[1].split("\n## ", 1)[0]
    for param in cli.commands[command].params:
        for name in [*param.opts, *param.secondary_opts]:
            if name.startswith("--") and name != "--help":
                listed = rf"^ +(?:-\w, )?(?:--[\w-]+ / )?{re.escape(name)}(?![\w-])"
                assert re.search(listed, section, re.MULTILINE), f"{command} {name} not in docs/cli.md"


def test_the_history_scope_names_every_source_a_run_reads():
    """A run resolves only its own scope's findings: runs over different sources never share one."""
    from guard.alerting.cycle import scope_of
    from guard.pipeline.run import ScanOptions, scope_sources

    plain = ScanOptions(states=("a.tfstate",), regions=(REGION,))
    assert scope_of(scope_sources(plain), plain.regions) == scope_of(["a.tfstate"], [REGION])  # as before
    scopes = {
        scope_of(scope_sources(options), ())
        for options in (
            ScanOptions(tf_dirs=("network",)),
            ScanOptions(tf_dirs=("app",)),
            ScanOptions(pulumi_state="s3://acme-pulumi", stacks=("org/web/prod",)),
            ScanOptions(pulumi_state="s3://acme-pulumi", stacks=("org/web/staging",)),
            ScanOptions(states=("s3://b/k",), workspace="staging"),
            ScanOptions(states=("s3://b/k",)),
        )
    }
    assert len(scopes) == 6
