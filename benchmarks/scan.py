# ruff: noqa: E402  (the repository root goes on sys.path before guard is imported)
"""How close is `guard scan` to the API floor, and how far ahead of a per-resource refresh?

Provisions an estate on a local moto server, writes the matching Terraform state, then
measures in one run against the same server:
  (a) `guard scan` (a subprocess): wall time, peak RSS, AWS requests;
  (b) the floor: the bare paginated list/describe calls for the same types, boto3 only;
  (c) a resource-by-resource refresh: one describe per resource, 10 at a time, as
      `terraform plan -refresh-only` does with its default -parallelism=10.
Also: parse time and peak memory of a generated 100,000-resource state, and the CPU
time of reconcile (normalise + diff) for the provisioned estate.

    python benchmarks/scan.py              # 1,000 and 10,000 resources
    python benchmarks/scan.py --quick      # a small smoke run (CI), under a minute
    python benchmarks/scan.py --sizes 2000 # chosen sizes

No timing is asserted here or anywhere: results go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guard.aws import Clients
from guard.demo.emulator import machine_image, moto_server
from guard.demo.state import (
    TerraformState,
    instance_attributes,
    rule_block,
    security_group_attributes,
    subnet_attributes,
    vpc_attributes,
)
from guard.live import REGISTRY
from guard.live.collector import collect
from guard.reconcile.match import reconcile
from guard.state import read_state_file
from tests.support.full_estate import build_full_estate

REGION = "us-east-1"


def provision(session: boto3.Session, size: int, state: TerraformState) -> dict[str, list[str]]:
    """About `size` declared resources: groups with two inline rules, subnets, instances."""
    ec2 = session.client("ec2", region_name=REGION)
    account = session.client("sts", region_name=REGION).get_caller_identity()["Account"]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]
    state.add("aws_vpc", "main", vpc_attributes(vpc, account, REGION))
    # Per 10 resources: 2 groups (each + 2 rules = 6 rule-level checks), 2 subnets, 6 instances.
    units = max(1, size // 10)
    groups = units * 2
    subnets = units * 2
    instances = size - groups - subnets - 2 - max(1, -(-(size - groups - subnets) // 4000))

    def make_group(index: int) -> dict[str, Any]:
        group_id = ec2.create_security_group(
            GroupName=f"bench-{index}", Description="bench", VpcId=vpc["VpcId"]
        )["GroupId"]
        ec2.revoke_security_group_egress(
            GroupId=group_id, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
        )
        ec2.authorize_security_group_ingress(
            GroupId=group_id,
            IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
                {
                    "IpProtocol": "tcp",
                    "FromPort": 22,
                    "ToPort": 22,
                    "IpRanges": [{"CidrIp": f"10.{index % 250}.0.0/16"}],
                },
            ],
        )
        return {
            "GroupId": group_id,
            "GroupName": f"bench-{index}",
            "Description": "bench",
            "VpcId": vpc["VpcId"],
        }

    def make_subnet(index: int) -> dict[str, Any]:
        return dict(
            ec2.create_subnet(
                VpcId=vpc["VpcId"],
                CidrBlock=f"10.0.{index // 16}.{index % 16 * 16}/28",
                AvailabilityZone=f"{REGION}a",
            )["Subnet"]
        )

    # One at a time: moto's CreateSecurityGroup and CreateSubnet walk the backend's dicts
    # unlocked, and concurrent creates broke the 10,000 run ("dictionary changed size").
    made_groups = [make_group(index) for index in range(groups)]
    made_subnets = [make_subnet(index) for index in range(subnets)]
    for index, group in enumerate(made_groups):
        ingress = [
            rule_block("tcp", 443, 443, cidr_blocks=("0.0.0.0/0",)),
            rule_block("tcp", 22, 22, cidr_blocks=(f"10.{index % 250}.0.0/16",)),
        ]
        state.add(
            "aws_security_group",
            "bench",
            security_group_attributes(group, account, REGION, ingress, []),
            index_key=index,
        )
    for index, subnet in enumerate(made_subnets):
        state.add("aws_subnet", "bench", subnet_attributes(subnet, account), index_key=index)

    # Instances need addresses: their own VPC, one /20 subnet (4,091 usable) per 4,000.
    fleet_vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]
    state.add("aws_vpc", "fleet", vpc_attributes(fleet_vpc, account, REGION))
    fleet = []
    for block in range(max(1, -(-instances // 4000))):
        subnet = ec2.create_subnet(
            VpcId=fleet_vpc["VpcId"], CidrBlock=f"10.1.{block * 16}.0/20", AvailabilityZone=f"{REGION}b"
        )["Subnet"]
        fleet.append(subnet["SubnetId"])
        state.add("aws_subnet", "fleet", subnet_attributes(subnet, account), index_key=block)
    image = machine_image(ec2)
    # One batch at a time: moto hands out a subnet's addresses from one generator.
    for start in range(0, instances, 100):
        ec2.run_instances(
            ImageId=image,
            InstanceType="t3.micro",
            MinCount=min(100, instances - start),
            MaxCount=min(100, instances - start),
            SubnetId=fleet[start // 4000],
        )
    index = 0
    for page in ec2.get_paginator("describe_instances").paginate():
        for reservation in page["Reservations"]:
            for instance in reservation["Instances"]:
                state.add(
                    "aws_instance", "bench", instance_attributes(instance, account, REGION), index_key=index
                )
                index += 1
    return {
        "groups": [g["GroupId"] for g in made_groups],
        "subnets": [s["SubnetId"] for s in made_subnets],
        "instances": [str(i) for i in range(index)],
    }


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM; ru_maxrss would include the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(code: str, env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    """Run Python code in a fresh process; returns wall seconds and what it printed as JSON."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, json.loads(done.stdout.strip().splitlines()[-1])


def measure_guard(state_paths: list[Path], env: dict[str, str]) -> dict[str, Any]:
    code = textwrap.dedent(f"""
        import json, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from benchmarks.scan import peak_rss_mb
        from guard.aws import Clients
        from guard.pipeline.run import scan_states
        started = time.perf_counter()
        report = scan_states({[str(p) for p in state_paths]!r}, [{REGION!r}], Clients())
        print(json.dumps({{"seconds": time.perf_counter() - started, "calls": report.api_calls,
                          "findings": len(report.findings), "complete": report.complete,
                          "titles": [f.title for f in report.findings][:10],
                          "rss_mb": peak_rss_mb()}}))
    """)
    _, result = _child(code, env)
    return result


def floor_calls() -> list[tuple[str, str, dict[str, Any]]]:
    """Every list call guard's declarations make in one region (each once), nothing more."""
    calls: dict[tuple[str, str, str], tuple[str, str, dict[str, Any]]] = {}
    for declaration in REGISTRY.types.values():
        if declaration.per_parent is not None:
            continue  # listed per parent: none exist in this estate
        params = dict(declaration.list_params)
        calls[(declaration.service, declaration.list_call, json.dumps(params, sort_keys=True))] = (
            declaration.service,
            declaration.list_call,
            params,
        )
        if declaration.companion_call:
            calls[(declaration.service, declaration.companion_call[0], "{}")] = (
                declaration.service,
                declaration.companion_call[0],
                {},
            )
    return list(calls.values())


def measure_floor(env: dict[str, str]) -> dict[str, Any]:
    """The same list calls as guard (incl. STS for the account), paginated, 16 at a time."""
    code = textwrap.dedent(f"""
        import json, time, boto3
        from concurrent.futures import ThreadPoolExecutor
        started = time.perf_counter()  # client creation counts: guard pays it too
        session = boto3.Session(region_name={REGION!r})
        calls = [0]
        clients = {{}}
        def client(service):
            if service not in clients:
                clients[service] = session.client(service)
                clients[service].meta.events.register(
                    "before-send.*", lambda **_: calls.__setitem__(0, calls[0] + 1))
            return clients[service]
        client("sts").get_caller_identity()
        jobs = {floor_calls()!r}
        for service, _, _ in jobs:
            client(service)
        def read(job):
            service, operation, params = job
            c = client(service)
            if c.can_paginate(operation):
                return sum(1 for _ in c.get_paginator(operation).paginate(**params))
            return getattr(c, operation)(**params)
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(read, jobs))
        print(json.dumps({{"seconds": time.perf_counter() - started, "calls": calls[0]}}))
    """)
    _, result = _child(code, env)
    return result


def measure_refresh(ids: dict[str, list[str]], env: dict[str, str]) -> dict[str, Any]:
    code = textwrap.dedent(f"""
        import json, time, boto3
        from concurrent.futures import ThreadPoolExecutor
        ec2 = boto3.client("ec2", region_name={REGION!r})
        calls = [0]
        ec2.meta.events.register("before-send.*", lambda **_: calls.__setitem__(0, calls[0] + 1))
        groups, subnets = {ids["groups"]!r}, {ids["subnets"]!r}
        instance_ids = [i["InstanceId"] for p in ec2.get_paginator("describe_instances").paginate()
                        for r in p["Reservations"] for i in r["Instances"]]
        calls[0] = 0
        jobs = ([lambda g=g: ec2.describe_security_groups(GroupIds=[g]) for g in groups]
                + [lambda s=s: ec2.describe_subnets(SubnetIds=[s]) for s in subnets]
                + [lambda i=i: ec2.describe_instances(InstanceIds=[i]) for i in instance_ids])
        started = time.perf_counter()
        with ThreadPoolExecutor(10) as pool:
            list(pool.map(lambda job: job(), jobs))
        print(json.dumps({{"seconds": time.perf_counter() - started, "calls": calls[0]}}))
    """)
    _, result = _child(code, env)
    return result


def measure_reconcile(state_paths: list[Path]) -> dict[str, Any]:
    declared = [resource for path in state_paths for resource in read_state_file(path)]
    clients = Clients()
    account = clients.account_id(REGION)
    live = collect(clients, account, (REGION,), REGISTRY.types.values(), declared=declared)
    started = time.process_time()
    result = reconcile(declared, live, REGISTRY)
    return {
        "cpu_seconds": time.process_time() - started,
        "findings": len(result.findings),
        "declared": len(declared),
        "live": len(live.resources),
    }


def generated_state(count: int, path: Path) -> Path:
    """A state of `count` resources in the shape Terraform writes (instances and groups)."""
    state = TerraformState()
    for index in range(count):
        if index % 2:
            group = {
                "GroupId": f"sg-{index:017x}",
                "GroupName": f"g{index}",
                "Description": "d",
                "VpcId": "vpc-1",
            }
            attrs = security_group_attributes(
                group, "123456789012", REGION, [rule_block("tcp", 443, 443, cidr_blocks=("0.0.0.0/0",))], []
            )
            state.add("aws_security_group", "g", attrs, module=f"module.m{index % 50}", index_key=index)
        else:
            instance = {
                "InstanceId": f"i-{index:017x}",
                "ImageId": "ami-1",
                "InstanceType": "t3.micro",
                "SubnetId": "subnet-1",
                "Placement": {"AvailabilityZone": "us-east-1a"},
                "Tags": [{"Key": "Name", "Value": f"web-{index}"}],
            }
            state.add(
                "aws_instance",
                "web",
                instance_attributes(instance, "123456789012", REGION),
                module=f"module.m{index % 50}",
                index_key=index,
            )
    return state.write(path)


def measure_parse(count: int, folder: Path) -> dict[str, Any]:
    path = generated_state(count, folder / f"generated-{count}.tfstate")
    code = textwrap.dedent(f"""
        import json, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from benchmarks.scan import peak_rss_mb
        from guard.state import read_state_file
        before = peak_rss_mb()
        started = time.perf_counter()
        resources = read_state_file({str(path)!r})
        seconds = time.perf_counter() - started
        print(json.dumps({{"seconds": seconds, "resources": len(resources),
                          "rss_growth_mb": peak_rss_mb() - before}}))
    """)
    # The reader refuses files over GUARD_MAX_STATE_MB (128 by default) before reading them.
    _, result = _child(code, {**os.environ, "GUARD_MAX_STATE_MB": "4096"})
    result["file_mb"] = path.stat().st_size / 1e6
    result["memory_over_file"] = result["rss_growth_mb"] * 1.048576 / result["file_mb"]
    return result


@contextlib.contextmanager
def network_latency(milliseconds: float) -> Iterator[None]:
    """Every request the emulator answers first waits this long, as a call to AWS does.

    moto answers in a few milliseconds; AWS in tens. Without it, one call per resource
    looks cheaper than it is in every real account.
    """
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original = DomainDispatcherApplication.__call__

    def delayed(self: Any, environ: Any, start_response: Any) -> Any:
        time.sleep(milliseconds / 1000)
        return original(self, environ, start_response)

    DomainDispatcherApplication.__call__ = delayed  # type: ignore[method-assign]
    try:
        yield
    finally:
        DomainDispatcherApplication.__call__ = original  # type: ignore[method-assign]


def run_size(size: int, folder: Path, latency_ms: float) -> dict[str, Any]:
    with moto_server(REGION) as endpoint:
        session = boto3.Session(region_name=REGION)
        state = TerraformState()
        started = time.perf_counter()
        ids = provision(session, size, state)
        every = build_full_estate(session, folder / f"every-type-{size}")
        paths = [state.write(folder / f"estate-{size}.tfstate"), *every.paths]
        provisioned = time.perf_counter() - started
        env = {**os.environ, "AWS_ENDPOINT_URL": endpoint}
        with network_latency(latency_ms):
            guard = measure_guard(paths, env)
            floor = measure_floor(env)
            refresh = measure_refresh(ids, env)
        reconciled = measure_reconcile(paths)
    return {
        "size": size,
        "types_in_estate": len(every.types),
        "latency_ms": latency_ms,
        "declared": reconciled["declared"],
        "provision_seconds": provisioned,
        "guard": guard,
        "floor": floor,
        "refresh": refresh,
        "reconcile": reconciled,
        "guard_over_floor": guard["seconds"] / floor["seconds"],
        "refresh_over_guard": refresh["seconds"] / guard["seconds"],
        "reconcile_share_of_scan": reconciled["cpu_seconds"] / guard["seconds"],
        "resources_per_call": reconciled["declared"] / max(1, guard["calls"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run for CI")
    parser.add_argument("--sizes", type=int, nargs="*", help="estate sizes (default 1000 10000)")
    parser.add_argument("--parse-size", type=int, help="resources in the generated state (default 100000)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--parse-only", action="store_true", help="only the state-parse measurement")
    parser.add_argument(
        "--latency-ms", type=float, default=30.0, help="added to every emulator answer (default 30, as AWS)"
    )
    args = parser.parse_args()
    sizes = [] if args.parse_only else args.sizes or ([200] if args.quick else [1000, 10000])
    parse_size = args.parse_size or (5000 if args.quick else 100_000)
    results: dict[str, Any] = {"sizes": []}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for size in sizes:
            outcome = run_size(size, folder, args.latency_ms)
            results["sizes"].append(outcome)
            print(
                f"{outcome['declared']:>6} declared | guard {outcome['guard']['seconds']:6.2f}s "
                f"{outcome['guard']['calls']:>4} calls {outcome['guard']['rss_mb']:6.0f} MB | "
                f"floor {outcome['floor']['seconds']:6.2f}s {outcome['floor']['calls']:>4} calls | "
                f"refresh {outcome['refresh']['seconds']:7.2f}s {outcome['refresh']['calls']:>6} calls | "
                f"guard/floor {outcome['guard_over_floor']:.2f} "
                f"refresh/guard {outcome['refresh_over_guard']:.1f} | "
                f"reconcile cpu {outcome['reconcile']['cpu_seconds']:.3f}s "
                f"({outcome['reconcile_share_of_scan']:.1%} of scan) | "
                f"{outcome['resources_per_call']:.0f} resources per call | "
                f"findings {outcome['guard']['findings']} | "
                f"{outcome['types_in_estate']} types in the estate",
                flush=True,
            )
            for title in outcome["guard"]["titles"]:
                print(f"  finding: {title}")
        parsed = measure_parse(parse_size, folder)
        results["parse"] = parsed
        print(
            f"parse {parsed['resources']} resources ({parsed['file_mb']:.0f} MB): {parsed['seconds']:.2f}s, "
            f"RSS growth {parsed['rss_growth_mb']:.0f} MiB = {parsed['memory_over_file']:.1f}x the file",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
