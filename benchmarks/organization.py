# ruff: noqa: E402  (the repository root goes on sys.path before guard is imported)
"""What does a central runner cost for a whole organisation?

Builds an AWS organisation on a local moto server: N member accounts in four OUs, each with
a VPC and a web security group (443 open, 22 from the office) in each of two regions, and
one Terraform state per account and region written where [organization]'s `states`
pattern finds it. Then runs `guard scan --config guard.toml` (a fresh process each time:
Organizations discovery, AssumeRole into every account, every type read in both regions)
for each (workers, calls_per_second) pair and records wall time, AWS requests, the
slowest account, and that the result is complete and clean.

    python benchmarks/organization.py                      # 200 accounts x 2 regions, the default grid
    python benchmarks/organization.py --quick              # 6 accounts, one run (4:20): a smoke run (CI)
    python benchmarks/organization.py --accounts 50 --runs 4:0 16:20

Every emulator answer waits --latency-ms first (30 by default), as a call to AWS does. No
timing is asserted here or anywhere: results go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scan import network_latency
from guard.demo.emulator import moto_server
from guard.demo.state import TerraformState, rule_block, security_group_attributes, vpc_attributes

REGIONS = ("us-east-1", "eu-west-1")
OUS = ("Prod", "Staging", "Dev", "Shared")
# moto creates this role in every account Organizations makes, trusting the management account.
SETUP_ROLE = "OrganizationAccountAccessRole"


def build_organisation(session: boto3.Session, accounts: int) -> list[tuple[str, str]]:
    """The organisation: `accounts` members spread over four OUs. Returns (id, name) of every
    account, the management account first (it is listed and scanned like the others)."""
    org = session.client("organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    units = [org.create_organizational_unit(ParentId=root, Name=n)["OrganizationalUnit"]["Id"] for n in OUS]
    management = session.client("sts").get_caller_identity()["Account"]
    made = [(management, "management")]
    for index in range(accounts):
        name = f"member-{index:03d}"
        status = org.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]
        org.move_account(
            AccountId=status["AccountId"], SourceParentId=root, DestinationParentId=units[index % len(units)]
        )
        made.append((status["AccountId"], name))
    return made


def account_session(session: boto3.Session, account_id: str, management: str) -> boto3.Session:
    if account_id == management:
        return session
    credentials = session.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/{SETUP_ROLE}", RoleSessionName="setup"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def provision_account(session: boto3.Session, account_id: str, folder: Path) -> None:
    """In each region: a VPC and a web group, applied and written to state as Terraform would."""
    for region in REGIONS:
        ec2 = session.client("ec2", region_name=region)
        state = TerraformState()
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]
        state.add("aws_vpc", "main", vpc_attributes(vpc, account_id, region))
        group_id = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc["VpcId"])[
            "GroupId"
        ]
        ec2.authorize_security_group_ingress(
            GroupId=group_id,
            IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
                {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.1.0.0/16"}]},
            ],
        )
        group = {"GroupId": group_id, "GroupName": "web", "Description": "web", "VpcId": vpc["VpcId"]}
        ingress = [
            rule_block("tcp", 443, 443, cidr_blocks=("0.0.0.0/0",)),
            rule_block("tcp", 22, 22, cidr_blocks=("10.1.0.0/16",)),
        ]
        egress = [rule_block("-1", 0, 0, cidr_blocks=("0.0.0.0/0",))]
        state.add(
            "aws_security_group", "web", security_group_attributes(group, account_id, region, ingress, egress)
        )
        state.write(folder / f"{account_id}-{region}.tfstate")


def write_config(folder: Path, workers: int, calls_per_second: float) -> Path:
    path = folder / f"guard-{workers}-{calls_per_second:g}.toml"
    regions = ", ".join(f'"{r}"' for r in REGIONS)
    path.write_text(
        f"""
[organization]
role = "guard-readonly"
regions = [{regions}]
states = ["{folder}/{{account_id}}-{{region}}.tfstate"]
workers = {workers}
calls_per_second = {calls_per_second}
""",
        encoding="utf-8",
    )
    return path


def run_guard(config: Path, env: dict[str, str]) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "guard", "scan", "--config", str(config), "--format", "json", "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    load = os.getloadavg()[0]  # the machine is shared: say how busy it was
    if done.returncode not in (0, 2, 3):
        raise SystemExit(f"guard scan exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    report = json.loads(done.stdout)
    summary = report["summary"]
    return {
        "seconds": seconds,
        "load_average": load,
        "exit": done.returncode,
        "accounts": len(report["accounts"]),
        "calls": report["api_calls"],
        "findings": summary["findings"],
        "complete": report["complete"],
        "titles": sorted({f["title"] for f in report["findings"]})[:10],
        "not_read": [f"{n['type']} {n['region']}: {n['reason'][:80]}" for n in summary["not_checked"]]
        + [f"{u['what']} {u['name']}: {u['reason'][:80]}" for u in summary["unreadable"]],
    }


def parse_run(text: str) -> tuple[int, float]:
    workers, _, rate = text.partition(":")
    return int(workers), float(rate or 0)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="6 accounts, one run (4:20): smoke run for CI")
    parser.add_argument("--accounts", type=int, help="member accounts (default 200)")
    parser.add_argument(
        "--runs",
        nargs="*",
        help="WORKERS:CALLS_PER_SECOND pairs (0: no limit); default 1:0 4:0 16:0 32:0 16:20",
    )
    parser.add_argument(
        "--latency-ms", type=float, default=30.0, help="added to every emulator answer (default 30)"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    accounts = args.accounts or (6 if args.quick else 200)
    runs = [
        parse_run(r)
        for r in (args.runs or (["4:20"] if args.quick else ["1:0", "4:0", "16:0", "32:0", "16:20"]))
    ]
    results: dict[str, Any] = {
        "accounts": accounts,
        "regions": list(REGIONS),
        "latency_ms": args.latency_ms,
        "runs": [],
    }
    with tempfile.TemporaryDirectory() as scratch, moto_server(REGIONS[0]) as endpoint:
        folder = Path(scratch)
        session = boto3.Session(region_name=REGIONS[0])
        started = time.perf_counter()
        made = build_organisation(session, accounts)
        management = made[0][0]
        with ThreadPoolExecutor(8) as pool:
            list(
                pool.map(
                    lambda a: provision_account(account_session(session, a[0], management), a[0], folder),
                    made,
                )
            )
        results["provision_seconds"] = time.perf_counter() - started
        print(
            f"{len(made)} accounts x {len(REGIONS)} regions built in {results['provision_seconds']:.1f}s",
            flush=True,
        )
        env = {**os.environ, "AWS_ENDPOINT_URL": endpoint}
        with network_latency(args.latency_ms):
            for workers, rate in runs:
                outcome = {
                    "workers": workers,
                    "calls_per_second": rate,
                    **run_guard(write_config(folder, workers, rate), env),
                }
                results["runs"].append(outcome)
                print(
                    f"workers {workers:>2} | calls/s per account {rate or 'no limit'!s:>8} | "
                    f"{outcome['seconds']:7.1f}s | {outcome['accounts']} accounts | {outcome['calls']} calls "
                    f"({outcome['calls'] / max(1, outcome['accounts']):.0f} per account) | "
                    f"findings {outcome['findings']} | exit {outcome['exit']} "
                    f"| load {outcome['load_average']:.1f}"
                    + ("" if outcome["complete"] else f" | INCOMPLETE: {'; '.join(outcome['not_read'][:5])}"),
                    flush=True,
                )
                for title in outcome["titles"]:
                    print(f"  finding: {title}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
