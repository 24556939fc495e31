"""Many accounts in one run: assume a role in each, scan them in a bounded pool, merge one report.

An account that cannot be assumed or read is reported by name and the others go on;
the run is then incomplete (exit 3). State is read with the runner's own credentials
(state buckets usually live in a central account), AWS with the assumed role's.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from typing import IO, TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from guard.aws import Clients, new_session, short_error
from guard.errors import GuardError
from guard.live import REGISTRY
from guard.live.types import Registry
from guard.model import NotChecked, Report, Unreadable
from guard.state.sources import StateSource, load_sources

if TYPE_CHECKING:
    import boto3

    from guard.enrich.attribution import AttributionSettings
    from guard.rules.loader import RuleSet

log = logging.getLogger(__name__)

ASSUME_SECONDS = 3600


@dataclass(frozen=True)
class Target:
    """One account to scan: where its state is, which role reads it, which regions."""

    account_id: str = ""  # empty: whatever account the current credentials are in
    name: str = ""
    role_arn: str = ""  # empty: the current credentials, no AssumeRole
    external_id: str = ""
    regions: tuple[str, ...] = ()
    sources: tuple[StateSource, ...] = ()
    slack_channel: str = ""
    calls_per_second: float = 0.0  # every AWS call in this account waits its turn; 0: no limit

    @property
    def label(self) -> str:
        if self.account_id and self.name:
            return f"{self.account_id} ({self.name})"
        return self.account_id or self.name or "current credentials"


def role_arn(role: str, account_id: str) -> str:
    """A role name means the same role name in every account."""
    if not role or role.startswith("arn:"):
        return role
    return f"arn:aws:iam::{account_id}:role/{role.lstrip('/')}"


def known_types(registry: Registry) -> set[str]:
    return set(registry.types) | set(registry.expansions) | set(registry.aliases)


def assumed_session(base: boto3.Session, target: Target, session_name: str) -> boto3.Session:
    """STS AssumeRole with the external id when one is set; credentials last one hour."""
    region = base.region_name or (target.regions[0] if target.regions else "us-east-1")
    params: dict[str, Any] = {
        "RoleArn": target.role_arn,
        "RoleSessionName": session_name[:64],
        "DurationSeconds": ASSUME_SECONDS,
    }
    if target.external_id:
        params["ExternalId"] = target.external_id
    credentials = base.client("sts", region_name=region).assume_role(**params)["Credentials"]
    return new_session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=region,
    )


def scan_target(
    target: Target,
    base: boto3.Session,
    max_attempts: int,
    session_name: str = "change-guard",
    registry: Registry = REGISTRY,
    rules: RuleSet | None = None,
    attribution: AttributionSettings | None = None,
    services: Sequence[str] = (),
) -> Report:
    from guard.pipeline.scan import scan

    loaded = load_sources(target.sources, base, known_types(registry))
    session = assumed_session(base, target, session_name) if target.role_arn else base
    from guard.ratelimit import TokenBucket

    limiter = TokenBucket(target.calls_per_second) if target.calls_per_second > 0 else None
    clients = Clients(session, max_attempts=max_attempts, limiter=limiter)
    if target.account_id:
        region = target.regions[0] if target.regions else (session.region_name or "us-east-1")
        actual = clients.account_id(region)
        if actual != target.account_id:
            raise GuardError(f"the credentials are for account {actual}, not {target.account_id}")
    return scan(
        loaded.resources,
        target.regions,
        clients,
        registry,
        rules=rules,
        attribution=attribution,
        sources=loaded.read,
        unreadable=loaded.unreadable,
        services=services,
    )


class Progress:
    """A rich progress bar on a terminal; one plain line per account in CI logs."""

    def __init__(self, total: int, stream: IO[str] | None = None, bar: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.bar = self.stream.isatty() if bar is None else bar
        self.total = total
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.bar:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(
                TextColumn("scanning accounts"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                console=Console(file=self.stream),
                transient=True,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task("", total=self.total)
        return self

    def done(self, label: str, outcome: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=1, description=f"{label}: {outcome}")
        else:
            print(f"guard: account {label}: {outcome}", file=self.stream, flush=True)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(None, None, None)


def scan_accounts(
    targets: Sequence[Target],
    base: boto3.Session,
    max_attempts: int,
    workers: int = 4,
    session_name: str = "change-guard",
    registry: Registry = REGISTRY,
    progress: Progress | None = None,
    scan_one: Callable[..., Report] = scan_target,
    rules: RuleSet | None = None,
    attribution: AttributionSettings | None = None,
    failed: Sequence[Unreadable] = (),
    services: Sequence[str] = (),
) -> Report:
    """Scan every target, at most `workers` at a time; a failed one is reported, not fatal.
    `failed`: accounts already known to be unreadable (e.g. by the organisation walk)."""
    reports: dict[Target, Report] = {}
    failed = list(failed)
    progress = progress or Progress(len(targets))
    with progress, ThreadPoolExecutor(max_workers=max(1, min(workers, len(targets)))) as pool:
        futures: dict[Future[Report], Target] = {
            pool.submit(
                scan_one, target, base, max_attempts, session_name, registry, rules, attribution, services
            ): target
            for target in targets
        }
        for future in as_completed(futures):
            target = futures[future]
            try:
                report = future.result()
            except (GuardError, ClientError, BotoCoreError) as exc:
                reason = short_error(exc) if isinstance(exc, (ClientError, BotoCoreError)) else str(exc)
                if target.role_arn and isinstance(exc, ClientError):
                    reason = f"cannot assume {target.role_arn}: {reason}"
                log.warning("account %s not scanned: %s", target.label, reason)
                failed.append(Unreadable("account", target.label, reason))
                progress.done(target.label, f"NOT SCANNED ({reason})")
                continue
            except Exception as exc:  # a bug in one account must not hide the others
                log.exception("account %s", target.label)
                failed.append(Unreadable("account", target.label, f"internal error: {exc!r}"))
                progress.done(target.label, "NOT SCANNED (internal error)")
                continue
            reports[target] = report
            state = "complete" if report.complete else "incomplete"
            progress.done(target.label, f"{len(report.findings)} findings, {state}")
    ordered = [reports[t] for t in targets if t in reports]
    return merge_reports(ordered, sorted(failed, key=lambda u: u.name))


def merge_reports(reports: Sequence[Report], failed: Sequence[Unreadable] = ()) -> Report:
    """One report over several accounts; what was not checked keeps its account in the reason."""
    from guard.enrich.finish import finish_report
    from guard.enrich.graph import merge_views

    if len(reports) == 1 and not failed:
        return reports[0]
    accounts = tuple(r.account for r in reports if r.account)
    unsupported: Counter[str] = Counter()
    not_checked: list[NotChecked] = []
    for report in reports:
        unsupported.update(report.unsupported_types)
        not_checked += [
            replace(item, reason=f"account {report.account}: {item.reason}") for item in report.not_checked
        ]
    findings = sorted(
        (finding for report in reports for finding in report.findings),
        key=lambda d: (d.account or "", d.address or "~", d.type, d.id, d.title),
    )
    merged = Report(
        account=accounts[0] if len(accounts) == 1 else None,
        regions=tuple(sorted({region for r in reports for region in r.regions})),
        sources=tuple(dict.fromkeys(source for r in reports for source in r.sources)),
        findings=tuple(findings),
        not_checked=tuple(not_checked),
        checked_types=tuple(sorted({t for r in reports for t in r.checked_types})),
        unsupported_types=dict(sorted(unsupported.items())),
        managed_total=sum(r.managed_total for r in reports),
        managed_checked=sum(r.managed_checked for r in reports),
        out_of_scope=sum(r.out_of_scope for r in reports),
        started_at=min((r.started_at for r in reports), default=""),
        duration_seconds=max((r.duration_seconds for r in reports), default=0.0),
        unreadable=tuple(u for r in reports for u in r.unreadable) + tuple(failed),
        accounts=accounts,
        notes=tuple(n for r in reports for n in r.notes),
        api_calls=sum(r.api_calls for r in reports),
        throttled_calls=sum(r.throttled_calls for r in reports),
        estate=merge_views([(r.account or "?", r.estate) for r in reports if r.estate is not None]),
        violations=tuple(v for r in reports for v in r.violations),
    )
    return finish_report(merged)
