"""Attribution from CloudTrail: LookupEvents through botocore's Stubber (moto lacks it), S3 logs on moto."""

from __future__ import annotations

import gzip
import io
import json
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from rich.console import Console

from guard.aws import Clients
from guard.demo import build_web_estate, delete_https_rule
from guard.enrich.attribution import (
    AttributionSettings,
    LookupEventsSource,
    RateLimiter,
    S3TrailSource,
    actor_from_record,
    attribute,
    describe_actor,
)
from guard.live.resources.security_group_rules import INGRESS, rule_attrs
from guard.model import Change, Drift, DriftKind, Resource
from guard.pipeline.run import scan_states
from guard.render.console import render_console
from guard.render.json import report_to_dict
from tests.cloudtrail_shapes import (
    ACCOUNT,
    CLI_AGENT,
    eventbridge,
    lookup_item,
    modify_instance_type,
    record,
    revoke_ingress_by_permission,
    revoke_ingress_by_rule_id,
    service_identity,
    sso_console_identity,
)

REGION = "us-east-1"
GROUP = "sg-0a1b2c3d4e5f60718"
INSTANCE = "i-0f1e2d3c4b5a69788"
START = datetime(2024, 4, 30, tzinfo=timezone.utc)
END = datetime(2024, 5, 3, tzinfo=timezone.utc)


class FakeClock:
    """Time that moves only when someone sleeps: throttling is asserted on waits, not on timing."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _cloudtrail() -> Any:
    return boto3.client(
        "cloudtrail",
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        endpoint_url="https://cloudtrail.us-east-1.amazonaws.com",
    )


def _source(client: Any, clock: FakeClock) -> LookupEventsSource:
    return LookupEventsSource(lambda region: client, RateLimiter(2.0, clock.clock, clock.sleep))


def _lookup_params(name: str) -> dict[str, Any]:
    return {
        "LookupAttributes": [{"AttributeKey": "ResourceName", "AttributeValue": name}],
        "StartTime": START,
        "EndTime": END,
        "MaxResults": 50,
    }


def _missing_https_rule(group: str = GROUP) -> Drift:
    """The finding for the inline 443 rule of module.edge.aws_security_group.lb, deleted."""
    declared = Resource(
        type=INGRESS,
        id="",
        attrs=rule_attrs(group, "tcp", 443, 443, "HTTPS from anywhere", cidr_ipv4="0.0.0.0/0"),
        address="module.edge.aws_security_group.lb",
        account=ACCOUNT,
        region=REGION,
        declared_type="aws_security_group",
    )
    return Drift(
        DriftKind.MISSING,
        "aws_security_group",
        group,
        declared.address,
        ACCOUNT,
        REGION,
        "module.edge.aws_security_group.lb: ingress tcp/443 from 0.0.0.0/0 was deleted outside Terraform",
        expected=declared,
    )


def _resized_instance(instance: str = INSTANCE) -> Drift:
    declared = Resource("aws_instance", instance, {"instance_type": "t3.small"}, 'aws_instance.web["a"]')
    live = Resource("aws_instance", instance, {"instance_type": "t3.large"}, source="aws")
    return Drift(
        DriftKind.CHANGED,
        "aws_instance",
        instance,
        declared.address,
        ACCOUNT,
        REGION,
        'aws_instance.web["a"]: instance_type changed from t3.small to t3.large',
        changes=(Change("instance_type", "t3.small", "t3.large"),),
        expected=declared,
        actual=live,
    )


def _group_events() -> list[dict[str, Any]]:
    """What LookupEvents returns for the group, newest first, around the incident."""
    home_ip = record(
        "AuthorizeSecurityGroupIngress",
        sso_console_identity(),
        {
            "groupId": GROUP,
            "ipPermissions": {
                "items": [
                    {
                        "ipProtocol": "tcp",
                        "fromPort": 22,
                        "toPort": 22,
                        "ipRanges": {"items": [{"cidrIp": "198.51.100.23/32"}]},
                    }
                ]
            },
        },
        {"_return": True},
        event_id="ev-authorize-home",
        time="2024-05-02T10:16:40Z",
        console=True,
    )
    other_rule = revoke_ingress_by_permission(
        GROUP, 8080, "10.0.0.0/8", event_id="ev-revoke-8080", time="2024-05-02T11:00:00Z"
    )
    the_one = revoke_ingress_by_rule_id(
        GROUP, "sgr-0123456789abcdef0", event_id="ev-revoke-443", time="2024-05-02T10:15:04Z", console=True
    )
    looked = record(
        "DescribeSecurityGroups",
        sso_console_identity(),
        {"securityGroupIdSet": {"items": [{"groupId": GROUP}]}},
        None,
        event_id="ev-describe",
        time="2024-05-02T11:30:00Z",
        read_only=True,
        console=True,
    )
    resources = [("AWS::EC2::SecurityGroup", GROUP)]
    return [lookup_item(r, resources) for r in (looked, other_rule, home_ip, the_one)]


def test_picks_the_console_revoke_of_443_and_names_the_sso_user():
    client, clock = _cloudtrail(), FakeClock()
    with Stubber(client) as stub:
        stub.add_response("lookup_events", {"Events": _group_events()}, _lookup_params(GROUP))
        result = attribute([_missing_https_rule()], _source(client, clock), START, END)
        stub.assert_no_pending_responses()

    [finding] = result.findings
    actor = finding.actor
    assert actor is not None
    assert actor.event_id == "ev-revoke-443"  # not the newer revoke of 8080, nor the authorize
    assert actor.event_name == "RevokeSecurityGroupIngress"
    assert actor.who == "alice@example.com"
    assert actor.identity_type == "AssumedRole"
    assert actor.via == "console"
    assert actor.when == "2024-05-02T10:15:04Z"
    assert describe_actor(actor) == (
        "alice@example.com via SSO permission set AdministratorAccess, in the AWS console without MFA, "
        "from 203.0.113.7 at 2024-05-02T10:15:04Z: RevokeSecurityGroupIngress (event ev-revoke-443)"
    )
    assert result.notes == ()


def test_iam_user_via_the_cli_resized_the_instance():
    client, clock = _cloudtrail(), FakeClock()
    resize = modify_instance_type(INSTANCE, "t3.large", event_id="ev-resize", time="2024-05-01T08:00:00Z")
    later = record(
        "ModifyInstanceAttribute",
        sso_console_identity("carol@example.com"),
        {"instanceId": INSTANCE, "disableApiTermination": {"value": True}},
        {"_return": True},
        event_id="ev-termination-protection",
        time="2024-05-02T09:00:00Z",
        console=True,
    )
    items = [lookup_item(r, [("AWS::EC2::Instance", INSTANCE)]) for r in (later, resize)]
    with Stubber(client) as stub:
        stub.add_response("lookup_events", {"Events": items}, _lookup_params(INSTANCE))
        [finding] = attribute([_resized_instance()], _source(client, clock), START, END).findings

    assert finding.actor is not None
    assert finding.actor.event_id == "ev-resize"
    assert describe_actor(finding.actor) == (
        "IAM user bob (access key AKIA…2345), with the AWS CLI 2.15.30 without MFA, "
        "from 203.0.113.7 at 2024-05-01T08:00:00Z: ModifyInstanceAttribute (event ev-resize)"
    )
    assert finding.actor.principal_arn == f"arn:aws:iam::{ACCOUNT}:user/bob"
    assert finding.actor.user_agent == CLI_AGENT


@pytest.mark.parametrize(
    "identity",
    [
        service_identity("autoscaling.amazonaws.com"),
        {
            "type": "AssumedRole",
            "principalId": "AROA3EXAMPLESLRID:AutoScaling",
            "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling",
            "accountId": ACCOUNT,
            "sessionContext": {
                "sessionIssuer": {
                    "type": "Role",
                    "principalId": "AROA3EXAMPLESLRID",
                    "arn": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/"
                    "AWSServiceRoleForAutoScaling",
                    "accountId": ACCOUNT,
                    "userName": "AWSServiceRoleForAutoScaling",
                },
                "attributes": {"creationDate": "2024-05-02T07:00:00Z", "mfaAuthenticated": "false"},
            },
            "invokedBy": "autoscaling.amazonaws.com",
        },
    ],
    ids=["AWSService", "service-linked-role"],
)
def test_a_service_principal_is_named_as_the_service(identity, request):
    client, clock = _cloudtrail(), FakeClock()
    terminate = record(
        "TerminateInstances",
        identity,
        {"instancesSet": {"items": [{"instanceId": INSTANCE}]}},
        {"instancesSet": {"items": [{"instanceId": INSTANCE}]}},
        event_id="ev-terminate",
        agent="autoscaling.amazonaws.com",
        source_ip="autoscaling.amazonaws.com",
        time="2024-05-02T07:01:00Z",
    )
    declared = Resource("aws_instance", INSTANCE, {"instance_type": "t3.small"}, 'aws_instance.web["a"]')
    missing = Drift(
        DriftKind.MISSING,
        "aws_instance",
        INSTANCE,
        declared.address,
        ACCOUNT,
        REGION,
        "gone",
        expected=declared,
    )
    with Stubber(client) as stub:
        stub.add_response(
            "lookup_events",
            {"Events": [lookup_item(terminate, [("AWS::EC2::Instance", INSTANCE)])]},
            _lookup_params(INSTANCE),
        )
        [finding] = attribute([missing], _source(client, clock), START, END).findings

    assert finding.actor is not None
    assert finding.actor.who == "autoscaling.amazonaws.com"
    assert finding.actor.via == "aws-service"
    assert finding.actor.person is None and finding.actor.email is None
    text = describe_actor(finding.actor)
    words = {
        "AWSService": "the AWS service autoscaling.amazonaws.com",
        "service-linked-role": "autoscaling.amazonaws.com (service-linked role AWSServiceRoleForAutoScaling)",
    }[request.node.callspec.id]
    assert text == f"{words} at 2024-05-02T07:01:00Z: TerminateInstances (event ev-terminate)"


def test_no_matching_event_is_said_as_unknown():
    client, clock = _cloudtrail(), FakeClock()
    only_reads = [e for e in _group_events() if e["ReadOnly"] == "true"]
    with Stubber(client) as stub:
        stub.add_response("lookup_events", {"Events": only_reads}, _lookup_params(GROUP))
        [finding] = attribute([_missing_https_rule()], _source(client, clock), START, END).findings

    assert finding.actor is not None
    assert finding.actor.who == "unknown"
    assert (
        describe_actor(finding.actor) == "unknown: no matching CloudTrail write event was found in the window"
    )


def test_lookups_are_throttled_per_region_paged_and_cached():
    client, clock = _cloudtrail(), FakeClock()
    page_one, page_two = _group_events()[:2], _group_events()[2:]
    with Stubber(client) as stub:
        stub.add_response("lookup_events", {"Events": page_one, "NextToken": "page-2"}, _lookup_params(GROUP))
        stub.add_response(
            "lookup_events", {"Events": page_two}, {**_lookup_params(GROUP), "NextToken": "page-2"}
        )
        stub.add_response("lookup_events", {"Events": []}, _lookup_params(INSTANCE))
        # Two findings on one group share one lookup; the instance gets its own.
        second_rule = _missing_https_rule()
        source = _source(client, clock)
        result = attribute([_missing_https_rule(), second_rule, _resized_instance()], source, START, END)
        stub.assert_no_pending_responses()

    assert source.calls == 3
    assert clock.sleeps == [0.5, 0.5]  # 2 requests per second: each call after the first waits its turn
    assert [f.actor.event_id if f.actor else None for f in result.findings] == [
        "ev-revoke-443",
        "ev-revoke-443",
        None,
    ]


def test_a_throttled_lookup_backs_off_and_retries():
    client, clock = _cloudtrail(), FakeClock()
    with Stubber(client) as stub:
        stub.add_client_error("lookup_events", "ThrottlingException", "Rate exceeded", 400)
        stub.add_client_error("lookup_events", "ThrottlingException", "Rate exceeded", 400)
        stub.add_response("lookup_events", {"Events": _group_events()}, _lookup_params(GROUP))
        [finding] = attribute([_missing_https_rule()], _source(client, clock), START, END).findings

    assert finding.actor is not None and finding.actor.event_id == "ev-revoke-443"
    assert clock.sleeps == [1.0, 2.0]  # the back-off covers the 2/s spacing, so no extra waits


def test_throttled_for_good_skips_that_resource_with_a_note():
    client, clock = _cloudtrail(), FakeClock()
    with Stubber(client) as stub:
        for _ in range(4):
            stub.add_client_error("lookup_events", "ThrottlingException", "Rate exceeded", 400)
        result = attribute([_missing_https_rule()], _source(client, clock), START, END)

    assert result.notes == (
        f"CloudTrail kept throttling lookups for {GROUP} in us-east-1; its change was not attributed",
    )
    [finding] = result.findings
    assert finding.actor is not None and finding.actor.described == f"could not tell: {result.notes[0]}"


def test_access_denied_skips_the_region_once_with_a_note():
    client, clock = _cloudtrail(), FakeClock()
    findings = [_missing_https_rule(), _resized_instance()]
    with Stubber(client) as stub:
        stub.add_client_error(
            "lookup_events",
            "AccessDeniedException",
            f"User: arn:aws:iam::{ACCOUNT}:user/ci is not authorized to perform: cloudtrail:LookupEvents",
            400,
        )
        source = _source(client, clock)
        result = attribute(findings, source, START, END)
        stub.assert_no_pending_responses()

    assert source.calls == 1  # the second finding did not ask again
    [note] = result.notes
    # Each alert says it could not tell, and why.
    assert [f.actor.described if f.actor else None for f in result.findings] == [
        f"could not tell: {note}"
    ] * 2
    assert note.startswith("CloudTrail LookupEvents refused in us-east-1 (AccessDeniedException: User:")
    assert note.endswith("; grant cloudtrail:LookupEvents to attribute changes")


def test_actor_from_a_record_says_unknown_for_what_is_missing():
    bare = {"eventName": "DeleteSecurityGroup", "userIdentity": {"type": "Unknown"}}
    actor = actor_from_record(bare)
    assert actor.who == "unknown"
    assert describe_actor(actor) == (
        "unknown, with an unknown client, from an unknown address at an unknown time: "
        "DeleteSecurityGroup (event unknown)"
    )


# --- end to end: the scan, with CloudTrail stubbed and AWS on moto ------------------------


class _StubbedLookups:
    """A CloudTrail client whose LookupEvents answers come from a Stubber; every other
    CloudTrail operation (DescribeTrails and the rest, which the scan reads for
    aws_cloudtrail) goes to moto."""

    def __init__(self, real: Any, stubbed: Any) -> None:
        self._real = real
        self._stubbed = stubbed

    def lookup_events(self, **params: Any) -> Any:
        return self._stubbed.lookup_events(**params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class StubbedCloudTrail(Clients):
    """Real clients for every service; CloudTrail's LookupEvents, which moto does not
    implement, is stubbed."""

    def __init__(self, session: boto3.Session, cloudtrail: Any) -> None:
        super().__init__(session)
        self.cloudtrail = cloudtrail

    def client(self, service: str, region: str) -> Any:
        real = super().client(service, region)
        return _StubbedLookups(real, self.cloudtrail) if service == "cloudtrail" else real


def _scan_events(group: str, rule_id: str) -> dict[str, Any]:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    revoke = revoke_ingress_by_rule_id(group, rule_id, event_id="ev-live-443", time=now, console=True)
    return {"Events": [lookup_item(revoke, [("AWS::EC2::SecurityGroup", group)])]}


def test_scan_with_attribution_names_who_and_access_denied_leaves_the_result_alone(aws, tmp_path):
    estate = build_web_estate(aws, REGION)
    state = str(estate.state.write(tmp_path / "terraform.tfstate"))
    rules = aws.client("ec2", region_name=REGION).describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [estate.lb_group_id]}]
    )["SecurityGroupRules"]
    rule_id = next(r["SecurityGroupRuleId"] for r in rules if r.get("FromPort") == 443)
    delete_https_rule(aws, estate.lb_group_id, REGION)
    settings = AttributionSettings(lookback_days=1)

    cloudtrail = _cloudtrail()
    with Stubber(cloudtrail) as stub:
        stub.add_response("lookup_events", _scan_events(estate.lb_group_id, rule_id))
        attributed = scan_states([state], [REGION], StubbedCloudTrail(aws, cloudtrail), attribution=settings)
    [finding] = attributed.findings
    assert finding.actor is not None and finding.actor.who == "alice@example.com"
    assert report_to_dict(attributed)["findings"][0]["actor"]["event_id"] == "ev-live-443"
    buffer = io.StringIO()
    render_console(attributed, Console(file=buffer, width=300, color_system=None))
    assert (
        "who: alice@example.com via SSO permission set AdministratorAccess, in the AWS console"
        in buffer.getvalue()
    )

    denied = _cloudtrail()
    with Stubber(denied) as stub:
        stub.add_client_error("lookup_events", "AccessDeniedException", "not authorized", 400)
        refused = scan_states([state], [REGION], StubbedCloudTrail(aws, denied), attribution=settings)
    plain = scan_states([state], [REGION], Clients(aws))
    assert [(f.kind, f.id, f.title, f.severity) for f in refused.findings] == [
        (f.kind, f.id, f.title, f.severity) for f in plain.findings
    ]
    assert refused.findings[0].actor is not None
    assert refused.findings[0].actor.described.startswith("could not tell: CloudTrail LookupEvents refused")
    assert refused.complete
    assert refused.notes == (
        "CloudTrail LookupEvents refused in us-east-1 (AccessDeniedException: not authorized); "
        "grant cloudtrail:LookupEvents to attribute changes",
    )


def test_scan_cli_attribute_flag_against_moto_notes_the_missing_api(aws, guard, tmp_path):
    """moto has no LookupEvents: the scan still reports the deleted rule, exit 2, with a note."""
    estate = build_web_estate(aws, REGION)
    state = estate.state.write(tmp_path / "terraform.tfstate")
    delete_https_rule(aws, estate.lb_group_id, REGION)

    result = guard(
        "scan", "--state", state, "--region", REGION, "--attribute", "--max-attempts", "1", "--format", "json"
    )

    assert result.code == 2, result.err
    report = result.json()
    assert report["summary"]["missing"] == 1
    [note] = report["notes"]
    assert report["findings"][0]["actor"]["text"] == f"could not tell: {note}"
    assert note.startswith("CloudTrail LookupEvents refused in us-east-1")


# --- the organisation trail in S3 ----------------------------------------------------


def _put_log(s3: Any, bucket: str, key: str, records: list[dict[str, Any]]) -> None:
    s3.put_object(Bucket=bucket, Key=key, Body=gzip.compress(json.dumps({"Records": records}).encode()))


def test_organisation_trail_logs_in_s3_are_read_and_indexed(aws):
    s3 = aws.client("s3", region_name=REGION)
    bucket = "org-cloudtrail-logs"
    s3.create_bucket(Bucket=bucket)
    folder = f"AWSLogs/o-abc123def4/{ACCOUNT}/CloudTrail/us-east-1/2024/05/02/"
    revoke = revoke_ingress_by_permission(
        GROUP, 443, "0.0.0.0/0", event_id="ev-s3-443", time="2024-05-02T10:15:04Z"
    )
    noise = modify_instance_type(
        "i-0aaaaaaaaaaaaaaaa", "t3.micro", event_id="ev-other", time="2024-05-02T10:20:00Z"
    )
    _put_log(
        s3, bucket, f"{folder}{ACCOUNT}_CloudTrail_us-east-1_20240502T1015Z_AbCdEf.json.gz", [revoke, noise]
    )
    outside = revoke_ingress_by_permission(
        GROUP, 443, "0.0.0.0/0", event_id="ev-too-old", time="2024-04-01T10:15:04Z"
    )
    _put_log(
        s3, bucket, f"AWSLogs/o-abc123def4/{ACCOUNT}/CloudTrail/us-east-1/2024/04/01/old.json.gz", [outside]
    )

    source = S3TrailSource(s3, bucket, [ACCOUNT], prefix="AWSLogs/o-abc123def4")
    result = attribute([_missing_https_rule(), _resized_instance()], source, START, END)

    rule, instance = result.findings
    assert rule.actor is not None and rule.actor.event_id == "ev-s3-443"
    assert rule.actor.who == "bob" and rule.actor.via == "cli"
    assert instance.actor is not None and instance.actor.who == "unknown"


def test_an_unreadable_trail_bucket_is_a_note(aws):
    source = S3TrailSource(aws.client("s3", region_name=REGION), "no-such-bucket", [ACCOUNT])
    result = attribute([_missing_https_rule()], source, START, END)
    assert result.notes[0].startswith("CloudTrail logs in s3://no-such-bucket/AWSLogs/ could not be read")
    assert result.findings[0].actor is not None
    assert result.findings[0].actor.described == f"could not tell: {result.notes[0]}"


def test_eventbridge_records_feed_the_same_actor_reader():
    detail = revoke_ingress_by_rule_id(GROUP, "sgr-1", event_id="ev-eb", console=True)
    assert actor_from_record(eventbridge(detail)["detail"]).who == "alice@example.com"


def test_window_never_reaches_past_90_days():
    now = datetime(2024, 5, 3, tzinfo=timezone.utc)
    start, end = AttributionSettings(since=datetime(2023, 1, 1), lookback_days=90).window(now)
    assert (end - start).days == 90
    start, _ = AttributionSettings(since=datetime(2024, 5, 1, tzinfo=timezone.utc)).window(now)
    assert start == datetime(2024, 5, 1, tzinfo=timezone.utc)
