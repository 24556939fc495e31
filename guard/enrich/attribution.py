"""Who made each change: the CloudTrail management event that most likely did it.

For each finding, the events on its resource in a window (LookupEvents by resource
name, or an organisation trail's log files in S3) are matched to the kind of change
declared for its type in guard/live/events.py; the best match names the actor.
Attribution never changes a finding's verdict: a source that cannot be read is
skipped with a note.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from guard.aws import Clients, short_error
from guard.live import REGISTRY
from guard.live.events import events_for
from guard.model import Actor, ChangedVia, Drift

log = logging.getLogger(__name__)

MAX_LOOKBACK_DAYS = 90  # CloudTrail event history keeps 90 days
LOOKUPS_PER_SECOND = 2.0  # LookupEvents' documented limit, per account and region
_THROTTLED = {"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded"}
_SSO_ROLE = "AWSReservedSSO_"
_MACHINE_SESSION = re.compile(
    r"^(i-[0-9a-f]+|botocore-session-\d+|aws-go-sdk-\d+|\d+|[0-9a-f-]{16,}|"
    r"AutoScaling|ecs-tasks|lambda|terraform.*|pulumi.*|GitHubActions.*)$",
    re.IGNORECASE,
)
_ID = re.compile(r"^[a-z][a-z0-9]*-[0-9a-f]{8,17}$")


class AttributionUnavailable(Exception):
    """The event source cannot answer for this region or resource; the reason is the note."""


@dataclass(frozen=True)
class TrailEvent:
    """One CloudTrail management event, whichever source it came from."""

    event_id: str
    event_name: str
    time: datetime
    read_only: bool
    record: dict[str, Any]


class EventSource(Protocol):
    def events(self, region: str, name: str, start: datetime, end: datetime) -> list[TrailEvent]:
        """Write and read events naming `name` in the window, newest first."""
        ...


# --- reading events -------------------------------------------------------------------


def _utc(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    text = str(value or "1970-01-01T00:00:00Z").replace("Z", "+00:00")
    return _utc(datetime.fromisoformat(text))


def _read_only(value: Any) -> bool:
    return str(value).lower() == "true"


def event_from_record(record: dict[str, Any]) -> TrailEvent:
    """A CloudTrail record (a log file's `Records[]` item, or EventBridge's `detail`)."""
    return TrailEvent(
        event_id=str(record.get("eventID") or ""),
        event_name=str(record.get("eventName") or ""),
        time=_utc(record.get("eventTime")),
        read_only=_read_only(record.get("readOnly")),
        record=record,
    )


def event_from_lookup(item: dict[str, Any]) -> TrailEvent:
    """A LookupEvents `Events[]` item; the full record is the `CloudTrailEvent` JSON string."""
    try:
        record = json.loads(item.get("CloudTrailEvent") or "{}")
    except json.JSONDecodeError:
        record = {}
    return TrailEvent(
        event_id=str(item.get("EventId") or record.get("eventID") or ""),
        event_name=str(item.get("EventName") or record.get("eventName") or ""),
        time=_utc(item.get("EventTime") or record.get("eventTime")),
        read_only=_read_only(item.get("ReadOnly", record.get("readOnly"))),
        record=record if isinstance(record, dict) else {},
    )


class RateLimiter:
    """At most `per_second` calls per key (a region); callers wait their turn."""

    def __init__(
        self,
        per_second: float = LOOKUPS_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / per_second
        self.clock = clock
        self.sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> None:
        with self._lock:
            now = self.clock()
            turn = max(now, self._next.get(key, now))
            self._next[key] = turn + self.interval
        if turn > now:
            self.sleep(turn - now)


class LookupEventsSource:
    """CloudTrail event history (LookupEvents): 90 days, one region per call, 2 calls/s.

    Throttled client-side per region, cached per (region, name) for the run; a region
    that refuses (AccessDenied, not subscribed) is skipped after its first refusal.
    """

    def __init__(
        self,
        client_for: Callable[[str], Any],
        limiter: RateLimiter | None = None,
        max_pages: int = 5,
        throttle_retries: int = 3,
    ) -> None:
        self.client_for = client_for
        self.limiter = limiter or RateLimiter()
        self.max_pages = max_pages
        self.throttle_retries = throttle_retries
        self.calls = 0
        self._cache: dict[tuple[str, str], list[TrailEvent]] = {}
        self._refused: dict[str, str] = {}

    @classmethod
    def from_clients(cls, clients: Clients, **kwargs: Any) -> LookupEventsSource:
        return cls(lambda region: clients.client("cloudtrail", region), **kwargs)

    def events(self, region: str, name: str, start: datetime, end: datetime) -> list[TrailEvent]:
        if region in self._refused:
            raise AttributionUnavailable(self._refused[region])
        key = (region, name)
        if key not in self._cache:
            self._cache[key] = self._lookup(region, name, start, end)
        return self._cache[key]

    def _lookup(self, region: str, name: str, start: datetime, end: datetime) -> list[TrailEvent]:
        client = self.client_for(region)
        params: dict[str, Any] = {
            "LookupAttributes": [{"AttributeKey": "ResourceName", "AttributeValue": name}],
            "StartTime": start,
            "EndTime": end,
            "MaxResults": 50,
        }
        found: list[TrailEvent] = []
        for _ in range(self.max_pages):
            page = self._call(client, region, name, params)
            found.extend(event_from_lookup(item) for item in page.get("Events") or [])
            token = page.get("NextToken")
            if not token:
                break
            params["NextToken"] = token
        return sorted(found, key=lambda e: e.time, reverse=True)

    def _call(self, client: Any, region: str, name: str, params: dict[str, Any]) -> dict[str, Any]:
        for attempt in range(self.throttle_retries + 1):
            self.limiter.wait(region)
            self.calls += 1
            try:
                return dict(client.lookup_events(**params))
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                if code in _THROTTLED and attempt < self.throttle_retries:
                    self.limiter.sleep(2.0**attempt)  # AWS's own throttle: back off, then retry
                    continue
                if code in _THROTTLED:
                    raise AttributionUnavailable(
                        f"CloudTrail kept throttling lookups for {name} in {region}; "
                        "its change was not attributed"
                    ) from None
                reason = f"CloudTrail LookupEvents refused in {region} ({short_error(exc)})"
                if code in ("AccessDeniedException", "AccessDenied", "UnauthorizedOperation"):
                    reason += "; grant cloudtrail:LookupEvents to attribute changes"
                self._refused[region] = reason
                raise AttributionUnavailable(reason) from None
            except BotoCoreError as exc:
                reason = f"CloudTrail could not be reached in {region} ({short_error(exc)})"
                self._refused[region] = reason
                raise AttributionUnavailable(reason) from None
        raise AssertionError("unreachable")


class S3TrailSource:
    """An organisation (or account) trail's log files in S3, read once per region and indexed.

    Layout: `<prefix><account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz`, where the prefix
    is `AWSLogs/` for an account trail and `AWSLogs/o-<org id>/` for an organisation trail.
    """

    def __init__(self, s3: Any, bucket: str, accounts: Sequence[str], prefix: str = "AWSLogs/") -> None:
        self.s3 = s3
        self.bucket = bucket
        self.accounts = tuple(accounts)
        self.prefix = prefix if not prefix or prefix.endswith("/") else prefix + "/"
        self._index: dict[str, dict[str, list[TrailEvent]]] = {}

    def events(self, region: str, name: str, start: datetime, end: datetime) -> list[TrailEvent]:
        if region not in self._index:
            try:
                self._index[region] = self._read(region, start, end)
            except (ClientError, BotoCoreError) as exc:
                raise AttributionUnavailable(
                    f"CloudTrail logs in s3://{self.bucket}/{self.prefix} could not be read "
                    f"for {region} ({short_error(exc)})"
                ) from None
        return self._index[region].get(name, [])

    def _read(self, region: str, start: datetime, end: datetime) -> dict[str, list[TrailEvent]]:
        index: dict[str, list[TrailEvent]] = defaultdict(list)
        paginator = self.s3.get_paginator("list_objects_v2")
        for account in self.accounts:
            for day in _days(start, end):
                folder = f"{self.prefix}{account}/CloudTrail/{region}/{day:%Y/%m/%d}/"
                for page in paginator.paginate(Bucket=self.bucket, Prefix=folder):
                    for item in page.get("Contents") or []:
                        for record in self._records(item["Key"]):
                            event = event_from_record(record)
                            if start <= event.time <= end:
                                for name in names_in(record):
                                    index[name].append(event)
        for events in index.values():
            events.sort(key=lambda e: e.time, reverse=True)
        return dict(index)

    def _records(self, key: str) -> list[dict[str, Any]]:
        body = self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        if key.endswith(".gz"):
            body = gzip.decompress(body)
        try:
            records = json.loads(body).get("Records") or []
        except (ValueError, AttributeError):
            log.warning("skipping %s: not a CloudTrail log file", key)
            return []
        return [record for record in records if isinstance(record, dict)]


def _days(start: datetime, end: datetime) -> Iterator[datetime]:
    day = start.replace(hour=0, minute=0, second=0, microsecond=0)
    while day <= end:
        yield day
        day += timedelta(days=1)


def names_in(record: dict[str, Any]) -> set[str]:
    """The resource names an event mentions, as LookupEvents would index them."""
    names: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and (_ID.match(value) or value.startswith("arn:")):
            names.add(value)
            if value.startswith("arn:"):
                names.add(re.split(r"[/:]", value)[-1])

    walk(record.get("requestParameters"))
    walk(record.get("responseElements"))
    for resource in record.get("resources") or []:
        walk(resource.get("ARN") if isinstance(resource, dict) else None)
    return names


# --- who ---------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s/]+@[^@\s/]+\.[A-Za-z]{2,}$")
_SSO_PERMISSION_SET = re.compile(r"^AWSReservedSSO_(.+)_[0-9a-f]{16}$")
# The tool a channel's user agent names: (channel, its product token, what to call it; "": the token).
_CLIENTS: tuple[tuple[ChangedVia, re.Pattern[str], str], ...] = (
    ("pulumi", re.compile(r"\bPulumi-?Aws(?:Native)?/(\S+)", re.IGNORECASE), "pulumi-aws"),
    ("opentofu", re.compile(r"\bOpenTofu/(\S+)", re.IGNORECASE), "OpenTofu"),
    ("terraform", re.compile(r"\bTerraform/([0-9][^\s)]*)?", re.IGNORECASE), "Terraform"),
    ("cli", re.compile(r"(?:^|[\s\[])aws-cli/(\S+)", re.IGNORECASE), "aws-cli"),
    ("sdk", re.compile(r"\b(Boto3|aws-sdk-[a-z0-9-]+|aws-cdk|Botocore)/([^\s)\]]+)", re.IGNORECASE), ""),
)


def channel(record: dict[str, Any]) -> ChangedVia:
    """Console, CLI, Terraform, OpenTofu, Pulumi, CloudFormation, an SDK or an AWS service.

    From the user agent, and from `invokedBy` when a service made the call for the principal.
    """
    identity = record.get("userIdentity") or {}
    agent = str(record.get("userAgent") or "").lower()
    invoked_by = str(identity.get("invokedBy") or "")
    if invoked_by == "cloudformation.amazonaws.com" or agent == "cloudformation.amazonaws.com":
        return "cloudformation"
    if identity.get("type") == "AWSService" or invoked_by.endswith(".amazonaws.com"):
        return "aws-service"
    if str(record.get("sessionCredentialFromConsole")).lower() == "true":
        return "console"
    if "pulumi" in agent:  # before Terraform: Pulumi's AWS provider is bridged from Terraform's
        return "pulumi"
    if "opentofu" in agent:  # only where OpenTofu names itself (its S3 backend); its providers say Terraform
        return "opentofu"
    if "terraform" in agent:
        return "terraform"
    if agent.startswith("aws-cli/") or " aws-cli/" in agent or "[aws-cli/" in agent:
        return "cli"
    if (
        agent in ("aws internal", "signin.amazonaws.com")
        or agent.startswith(("console.", "mozilla/", "[s3console"))
        or "console.amazonaws.com" in agent
    ):
        return "console"
    if agent.endswith(".amazonaws.com"):
        return "aws-service"
    if any(mark in agent for mark in ("boto3", "botocore", "aws-sdk", "aws-cdk", "change-guard")):
        return "sdk"
    return "unknown"


def client_of(user_agent: str | None, via: ChangedVia) -> str | None:
    """The tool and its version the user agent names for this channel: `Terraform 1.7.5`, `Boto3 1.34.2`."""
    for kind, pattern, name in _CLIENTS:
        if kind != via:
            continue
        found = pattern.search(user_agent or "")
        if found is None:
            return name or None
        if not name:  # an SDK names itself
            return f"{found.group(1)} {found.group(2)}"
        return f"{name} {found.group(1)}" if found.group(1) else name
    return None


def actor_from_record(record: dict[str, Any], event_id: str | None = None) -> Actor:
    identity = record.get("userIdentity") or {}
    kind = identity.get("type")
    arn = identity.get("arn") or None
    via = channel(record)
    context = identity.get("sessionContext") or {}
    role = (context.get("sessionIssuer") or {}).get("userName") or _role(arn)
    session = str(arn).rsplit("/", 1)[-1] if kind == "AssumedRole" and arn else None
    sso = _SSO_PERMISSION_SET.match(role or "") if kind == "AssumedRole" else None
    person = _person(identity, via)
    return Actor(
        who=_who(identity, via) or arn or "unknown",
        principal_arn=arn,
        identity_type=kind,
        via=via,
        source_ip=record.get("sourceIPAddress") or None,
        user_agent=record.get("userAgent") or None,
        when=_iso(record.get("eventTime")),
        event_name=record.get("eventName") or None,
        event_id=event_id or record.get("eventID") or None,
        event_source=record.get("eventSource") or None,
        region=record.get("awsRegion") or None,
        person=person,
        email=person if person and _EMAIL.match(person) else None,
        role_name=(role or None) if kind == "AssumedRole" else None,
        session_name=session or None,
        permission_set=sso.group(1) if sso else None,
        access_key=_masked_key(identity.get("accessKeyId")),
        mfa=_mfa(identity),
        invoked_by=identity.get("invokedBy") or None,
        client=client_of(record.get("userAgent"), via),
    )


def _iso(value: Any) -> str | None:
    return _utc(value).isoformat().replace("+00:00", "Z") if value else None


def _masked_key(key: Any) -> str | None:
    """Only the kind (AKIA long-term, ASIA temporary) and the last 4: enough to tell a user's keys apart."""
    text = str(key or "")
    return f"{text[:4]}…{text[-4:]}" if len(text) >= 12 else None


def _mfa(identity: dict[str, Any]) -> bool | None:
    attributes = (identity.get("sessionContext") or {}).get("attributes") or {}
    flag = str(attributes.get("mfaAuthenticated", "")).lower()
    if flag in ("true", "false"):
        return flag == "true"
    if identity.get("type") == "IAMUser" and str(identity.get("accessKeyId") or "").startswith("AKIA"):
        return False  # a long-term access key signs without MFA, and CloudTrail then sends no attributes
    return None


def _service_linked(identity: dict[str, Any]) -> bool:
    issuer = ((identity.get("sessionContext") or {}).get("sessionIssuer") or {}).get("arn") or ""
    return "/aws-service-role/" in issuer


def _person(identity: dict[str, Any], via: str) -> str | None:
    """The human behind the principal, when the record names one; None for automation and services."""
    kind = identity.get("type")
    context = identity.get("sessionContext") or {}
    if kind == "AssumedRole":
        if _service_linked(identity):
            return None
        if context.get("sourceIdentity"):
            return str(context["sourceIdentity"])
        role = str((context.get("sessionIssuer") or {}).get("userName") or "")
        session = str(identity.get("arn") or "").rsplit("/", 1)[-1]
        if role.startswith(_SSO_ROLE):  # Identity Center always names the session after its user
            return session or None
        human = session and not _MACHINE_SESSION.match(session)
        return session if human and ("@" in session or via == "console") else None
    if kind == "IAMUser":
        return identity.get("userName") or None
    if kind == "FederatedUser":
        return str(identity.get("arn") or "").rsplit("/", 1)[-1] or None
    if kind == "IdentityCenterUser":
        return (identity.get("onBehalfOf") or {}).get("userId") or identity.get("userName") or None
    return None


def _who(identity: dict[str, Any], via: str) -> str | None:
    kind = identity.get("type")
    if kind == "AssumedRole" and _service_linked(identity):  # the service did it
        issuer = ((identity.get("sessionContext") or {}).get("sessionIssuer") or {}).get("arn") or ""
        return str(identity.get("invokedBy") or issuer)
    if kind in ("AssumedRole", "IAMUser", "FederatedUser", "IdentityCenterUser"):
        return _person(identity, via)
    if kind == "AWSService":
        return identity.get("invokedBy") or "an AWS service"
    if kind == "Root":
        return f"the root user of account {identity.get('accountId') or 'unknown'}"
    if kind == "AWSAccount":
        return f"account {identity.get('accountId') or 'unknown'} ({identity.get('principalId') or '?'})"
    return None


_VIA = {
    "console": "in the AWS console",
    "cli": "with the AWS CLI",
    "terraform": "with Terraform",
    "opentofu": "with OpenTofu",
    "pulumi": "with Pulumi",
    "cloudformation": "through CloudFormation",
    "sdk": "with an AWS SDK",
    "aws-service": "through an AWS service",
    "unknown": "with an unknown client",
}


def describe_actor(actor: Actor) -> str:
    """Who, how, from where and when, in one sentence every renderer shows:

    `alice@example.com via SSO permission set AdministratorAccess, in the AWS console with MFA,
    from 203.0.113.7 at 2024-05-02T10:15:04Z: RevokeSecurityGroupIngress (event 3f1e…)`.
    """
    if actor.event_id is None and actor.event_name is None:
        return f"{actor.who}: no matching CloudTrail write event was found in the window"
    head = ", ".join(part for part in (identity_words(actor), _how(actor)) if part)
    if actor.source_ip and actor.source_ip.endswith(".amazonaws.com"):
        head += f" at {actor.when or 'an unknown time'}"  # a service's own address: the words name it
    else:
        head += f", from {actor.source_ip or 'an unknown address'} at {actor.when or 'an unknown time'}"
    return f"{head}: {actor.event_name or 'unknown event'} (event {actor.event_id or 'unknown'})"


def identity_words(actor: Actor) -> str:
    """Who, as a person reads it: the SSO user and permission set, the IAM user and key, the role session."""
    kind = actor.identity_type
    if kind == "Root":
        account = (actor.principal_arn or "").split(":")[4:5] or ["unknown"]
        return f"the ROOT USER of account {account[0] or 'unknown'}"
    if kind == "AWSService":
        return f"the AWS service {actor.who}"
    if kind == "IAMUser" and actor.person:
        key = actor.access_key or ""
        return f"IAM user {actor.person}" + (f" (access key {key})" if key.startswith("AKIA") else "")
    if kind == "FederatedUser" and actor.person:  # GetFederationToken
        return f"federated user {actor.person}"
    if kind == "IdentityCenterUser" and actor.person:
        return f"Identity Center user {actor.person}"
    if kind == "AssumedRole" and actor.role_name:
        if actor.who.endswith(".amazonaws.com") and actor.person is None:
            return f"{actor.who} (service-linked role {actor.role_name})"
        if actor.person and actor.permission_set:
            return f"{actor.person} via SSO permission set {actor.permission_set}"
        if actor.person:
            return f"{actor.person} with role {actor.role_name}"
        session = f" (session {actor.session_name})" if actor.session_name else ""
        return f"role {actor.role_name}{session}"
    role = _role(actor.principal_arn)  # an actor built without the resolved fields
    if role and role not in actor.who and actor.who != actor.principal_arn:
        return f"{actor.who} (role {role})"
    return actor.who


def _how(actor: Actor) -> str | None:
    """The channel, the tool's version and, for a person or root, whether MFA was used."""
    if actor.via == "aws-service" and (
        actor.identity_type == "AWSService" or actor.who.endswith(".amazonaws.com")
    ):
        return None  # the identity already names the service
    how = _VIA.get(actor.via, f"via {actor.via}")
    if actor.via == "aws-service" and actor.invoked_by:
        how = f"through {actor.invoked_by}"
    elif actor.client and actor.via in ("cli", "terraform", "opentofu"):
        how = f"{how} {actor.client.split(' ', 1)[-1]}" if " " in actor.client else how
    elif actor.client and actor.via in ("pulumi", "sdk"):
        how = f"{how} ({actor.client})"
    if actor.mfa is not None and (actor.person or actor.identity_type == "Root"):
        how += " with MFA" if actor.mfa else " without MFA"
    return how


def _role(arn: str | None) -> str | None:
    if arn and ":assumed-role/" in arn:
        return arn.split(":assumed-role/", 1)[1].split("/", 1)[0]
    return None


# --- matching a finding to its event ----------------------------------------------


def lookup_name(drift: Drift) -> str | None:
    """The name CloudTrail knows the changed resource by (a rule is named by its group)."""
    subject = drift.actual or drift.expected
    if subject is None:
        return drift.id or None
    declared = events_for(subject.type, REGISTRY)
    if declared and declared.lookup_attr:
        value = subject.attrs.get(declared.lookup_attr)
        return str(value) if value else None
    return subject.id or drift.id or None


def best_event(drift: Drift, events: Iterable[TrailEvent]) -> TrailEvent | None:
    """The newest write event of the right kind, preferring one that names the change itself."""
    subject = drift.expected or drift.actual
    declared = events_for(subject.type, REGISTRY) if subject else None
    paths = tuple(change.path for change in drift.changes)
    wanted = declared.for_change(drift.kind.value, paths) if declared else ()
    scored = [
        (score, event.time, event)
        for event in events
        if not event.read_only and (not wanted or event.event_name in wanted)
        for score in [_score(drift, event)]
        if score >= 0
    ]
    if not scored:
        return None
    return max(scored, key=lambda item: (item[0], item[1]))[2]


def _score(drift: Drift, event: TrailEvent) -> int:
    """How precisely the event names this change (its rule, ports, attribute); -1: another rule."""
    parameters = event.record.get("requestParameters") or {}
    subject = drift.expected or drift.actual
    score = 0
    looked_up = lookup_name(drift)  # every event found names it; only a finer id tells
    named = json.dumps([parameters, event.record.get("responseElements")])
    for resource in (drift.expected, drift.actual):
        if resource is not None and resource.id and resource.id != looked_up and resource.id in named:
            score += 3  # names the rule by its id
    declaration = REGISTRY.about(subject.type) if subject is not None else None
    if subject is not None and declaration is not None and declaration.event_matches is not None:
        matches = declaration.event_matches(subject.attrs, event.record)
        if matches and not any(matches) and score == 0:
            return -1  # the event changed others held with it (other rules of the group)
        score += max(matches, default=0)
    for change in drift.changes:
        camel = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), change.path.split(".", 1)[0])
        if camel in parameters:
            score += 1
            value = parameters[camel]
            if isinstance(value, dict) and value.get("value") == change.actual:
                score += 1
    return score


# --- the attribution step ----------------------------------------------------------


@dataclass(frozen=True)
class AttributionSettings:
    since: datetime | None = None  # the last clean scan, when history knows it
    lookback_days: int = MAX_LOOKBACK_DAYS
    trail_bucket: str | None = None  # read an organisation trail's logs instead of LookupEvents
    trail_prefix: str = "AWSLogs/"

    def window(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        end = now or datetime.now(timezone.utc)
        earliest = end - timedelta(days=min(self.lookback_days, MAX_LOOKBACK_DAYS))
        start = max(_utc(self.since), earliest) if self.since else earliest
        return start, end


@dataclass(frozen=True)
class Attribution:
    findings: tuple[Drift, ...]
    notes: tuple[str, ...] = ()
    lookups: int = 0


def attribute(
    findings: Sequence[Drift],
    source: EventSource,
    start: datetime,
    end: datetime,
    default_region: str = "us-east-1",
) -> Attribution:
    """Each finding with its actor; findings the source cannot answer for keep `actor=None`."""
    notes: list[str] = []
    out: list[Drift] = []
    for drift in findings:
        name = lookup_name(drift)
        if name is None:
            out.append(drift)
            continue
        try:
            events = source.events(drift.region or default_region, name, start, end)
        except AttributionUnavailable as exc:
            if str(exc) not in notes:
                notes.append(str(exc))
            # The alert says it could not tell, and why; the run is not incomplete for that.
            out.append(replace(drift, actor=Actor(who="unknown", described=f"could not tell: {exc}")))
            continue
        event = best_event(drift, events)
        actor = actor_from_record(event.record, event.event_id) if event else Actor(who="unknown")
        if event is not None and actor.event_name is None:
            actor = replace(actor, event_name=event.event_name)
        out.append(replace(drift, actor=actor))
    return Attribution(tuple(out), tuple(notes), getattr(source, "calls", 0))


def attribute_findings(
    findings: Sequence[Drift],
    clients: Clients,
    account: str,
    settings: AttributionSettings,
    default_region: str,
) -> Attribution:
    """The scan's attribution step: pick the source from the settings, then `attribute`."""
    if not findings:
        return Attribution(tuple(findings))
    start, end = settings.window()
    source: EventSource
    if settings.trail_bucket:
        source = S3TrailSource(
            clients.client("s3", default_region), settings.trail_bucket, [account], settings.trail_prefix
        )
    else:
        source = LookupEventsSource.from_clients(clients)
    return attribute(findings, source, start, end, default_region)
