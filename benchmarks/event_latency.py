# ruff: noqa: E402  (the repository root goes on sys.path before guard is imported)
"""Seconds to Slack: from a CloudTrail event handed to `guard on-event` to the Slack post accepted.

Builds the demo's web estate on a local moto server (every answer delayed as AWS's are,
30 ms by default, as in benchmarks/scan.py) and a local Slack API, then hands
`guard on-event --notify slack` (a new process each time: process start included) events
of mixed types, in the exact EventBridge shape:
  - a console revoke of the 443 rule (drift: one post),
  - a CLI instance resize (drift: one post),
  - a tag edit on a subnet and on the VPC (read and compared: clean),
  - a read-only call and a call on a type guard does not follow (ignored: no AWS call).
Each drift event gets a history of its own, so each one posts. Records, per kind and in
all: p50 and p95 of the wall time from the process start to the Slack post accepted
(drift events) or to the process exit (the rest).

    python benchmarks/event_latency.py            # 50 events
    python benchmarks/event_latency.py --events 10

No timing is asserted here or anywhere: results go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scan import network_latency
from guard.demo import WebEstate, build_web_estate, delete_https_rule
from guard.demo.emulator import moto_server
from tests.cloudtrail_shapes import (
    describe_security_groups,
    eventbridge,
    modify_instance_type,
    record,
    revoke_ingress_by_permission,
    sso_console_identity,
)

REGION = "us-east-1"
TOKEN = "xoxb-benchmark-token"


class SlackStub(BaseHTTPRequestHandler):
    """chat.postMessage as Slack answers it; notes when each post was accepted."""

    accepted: list[float] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = json.dumps({"ok": True, "channel": "C0BENCH", "ts": f"{time.time():.6f}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        SlackStub.accepted.append(time.perf_counter())

    def log_message(self, *args: Any) -> None:
        return None


def _tag_event(resource_id: str, event_id: str) -> dict[str, Any]:
    return record(
        "CreateTags",
        sso_console_identity(),
        {
            "resourcesSet": {"items": [{"resourceId": resource_id}]},
            "tagSet": {"items": [{"key": "Owner", "value": "web"}]},
        },
        {"requestId": "7f809123-4456-4789-a0b1-c2d3e4f5a6b7", "_return": True},
        event_id=event_id,
    )


def _unfollowed(event_id: str) -> dict[str, Any]:
    call = record("PutMetricData", sso_console_identity(), {"namespace": "App"}, None, event_id=event_id)
    return {**call, "eventSource": "monitoring.amazonaws.com"}


Kind = tuple[str, bool, Callable[[WebEstate, str], dict[str, Any]]]  # name, posts, event


def kinds() -> list[Kind]:
    return [
        (
            "443 rule revoked (console)",
            True,
            lambda e, i: revoke_ingress_by_permission(e.lb_group_id, 443, "0.0.0.0/0", event_id=i),
        ),
        (
            "instance resized (CLI)",
            True,
            lambda e, i: modify_instance_type(e.instance_ids[0], "t3.large", event_id=i),
        ),
        ("subnet tagged", False, lambda e, i: _tag_event(e.subnet_ids[0], i)),
        ("VPC tagged", False, lambda e, i: _tag_event(e.vpc_id, i)),
        ("read-only call", False, lambda e, i: describe_security_groups(e.lb_group_id, event_id=i)),
        ("type not followed", False, lambda e, i: _unfollowed(i)),
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def run(events: int, latency_ms: float) -> dict[str, Any]:
    slack = ThreadingHTTPServer(("127.0.0.1", 0), SlackStub)
    threading.Thread(target=slack.serve_forever, daemon=True).start()
    api_url = f"http://127.0.0.1:{slack.server_address[1]}/api/"
    timings: dict[str, list[float]] = {}
    with moto_server(REGION) as endpoint, tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        session = boto3.Session(region_name=REGION)
        estate = build_web_estate(session, REGION)
        state = estate.state.write(folder / "terraform.tfstate")
        delete_https_rule(session, estate.lb_group_id, REGION)
        ec2 = session.client("ec2", region_name=REGION)
        ec2.stop_instances(InstanceIds=[estate.instance_ids[0]])
        ec2.modify_instance_attribute(InstanceId=estate.instance_ids[0], InstanceType={"Value": "t3.large"})
        env = {
            **os.environ,
            "AWS_ENDPOINT_URL": endpoint,
            "GUARD_SLACK_API_URL": api_url,
            "PYTHONPATH": str(ROOT),
        }
        env.pop("GUARD_HISTORY", None)
        mix = kinds()
        with network_latency(latency_ms):
            for index in range(events):
                name, posts, make = mix[index % len(mix)]
                event_file = folder / f"event-{index}.json"
                event_file.write_text(json.dumps(eventbridge(make(estate, f"ev-{index}"))), encoding="utf-8")
                before = len(SlackStub.accepted)
                started = time.perf_counter()
                done = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "guard",
                        "on-event",
                        "--state",
                        str(state),
                        "--region",
                        REGION,
                        "--event",
                        str(event_file),
                        "--format",
                        "json",
                        "--notify",
                        "slack",
                        "--slack-token",
                        TOKEN,
                        "--slack-channel",
                        "#bench",
                        "--history",
                        str(folder / f"history-{index}.sqlite3"),
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                ended = time.perf_counter()
                posted = SlackStub.accepted[before:]
                if posts and not posted:
                    raise SystemExit(f"{name}: no Slack post (exit {done.returncode}): {done.stderr.strip()}")
                if not posts and posted:
                    raise SystemExit(f"{name}: posted to Slack, but should not have")
                timings.setdefault(name, []).append((posted[0] if posted else ended) - started)
    slack.shutdown()
    every = [t for values in timings.values() for t in values]
    return {
        "events": events,
        "latency_ms": latency_ms,
        "p50_seconds": statistics.median(every),
        "p95_seconds": percentile(every, 0.95),
        "by_kind": {
            name: {"n": len(v), "p50_seconds": statistics.median(v), "p95_seconds": percentile(v, 0.95)}
            for name, v in timings.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=50, help="events to hand over (default 50)")
    parser.add_argument("--latency-ms", type=float, default=30.0, help="added to every emulator answer")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    result = run(args.events, args.latency_ms)
    for name, numbers in result["by_kind"].items():
        p50, p95 = numbers["p50_seconds"], numbers["p95_seconds"]
        print(f"{name:<28} n={numbers['n']:>3}  p50 {p50:5.2f}s  p95 {p95:5.2f}s")
    p50, p95 = result["p50_seconds"], result["p95_seconds"]
    print(f"{'all events':<28} n={result['events']:>3}  p50 {p50:5.2f}s  p95 {p95:5.2f}s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
