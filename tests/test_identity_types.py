"""What the identity types promise beyond the sweep: an access key's secret is never read
nor printed, and an inactive key nobody declared is no finding; an attachment or membership
declared two ways is reported once (and a fight between two declarations says so); on-event
reads the exclusive attachment and the user's memberships again."""

from __future__ import annotations

from tests.cases.identity import AK_USER, build_access_key


def _scan(guard, state, tmp_path):
    path = state.write(tmp_path / "terraform.tfstate")
    result = guard("scan", "--state", path, "--region", "us-east-1", "--format", "json")
    assert result.code in (0, 2), result.err
    return result


def test_an_inactive_key_nobody_declared_is_no_finding_an_active_one_is(aws, guard, tmp_path):
    from guard.demo.state import TerraformState

    state, ctx = TerraformState(), {}
    build_access_key(aws, state, ctx)
    iam = aws.client("iam")
    spare = iam.create_access_key(UserName=AK_USER)["AccessKey"]["AccessKeyId"]
    iam.update_access_key(UserName=AK_USER, AccessKeyId=spare, Status="Inactive")
    assert _scan(guard, state, tmp_path).json()["findings"] == []

    iam.update_access_key(UserName=AK_USER, AccessKeyId=spare, Status="Active")
    found = [(f["kind"], f["id"]) for f in _scan(guard, state, tmp_path).json()["findings"]]
    assert found == [("unmanaged", spare)]


def test_the_secret_in_state_is_never_printed(aws, guard, tmp_path):
    from guard.demo.state import TerraformState

    state, ctx = TerraformState(), {}
    build_access_key(aws, state, ctx)
    aws.client("iam").update_access_key(UserName=AK_USER, AccessKeyId=ctx["access_key_id"], Status="Inactive")
    for output in ("json", "console", "markdown", "sarif"):
        path = state.write(tmp_path / "terraform.tfstate")
        result = guard("scan", "--state", path, "--region", "us-east-1", "--format", output)
        assert result.code == 2, result.err
        assert ctx["secret"] not in result.out + result.err
        assert "BEXAMPLESMTPPASSWORD" not in result.out + result.err


def test_an_exclusive_attachment_and_a_per_user_one_of_the_same_policy_are_one_finding(aws, guard, tmp_path):
    """Bob's attachment is declared per user, but the exclusive attachment of the same policy
    does not list him: Terraform detaches and re-attaches it on every apply. The exclusive
    attachment reports it, saying why; the per-user one is matched, not reported again."""
    from guard.demo.state import TerraformState
    from tests.cases.identity_attachments import PA_USERS, build_exclusive_attachment
    from tests.support.identity import iam_owner_policy_attachment_attributes

    state, ctx = TerraformState(), {}
    build_exclusive_attachment(aws, state, ctx)
    aws.client("iam").attach_user_policy(UserName=PA_USERS[1], PolicyArn=ctx["policy_arn"])
    state.add(
        "aws_iam_user_policy_attachment",
        "bob",
        iam_owner_policy_attachment_attributes("user", PA_USERS[1], ctx["policy_arn"]),
    )
    findings = _scan(guard, state, tmp_path).json()["findings"]
    assert [(f["kind"], f["type"], f["id"]) for f in findings] == [
        ("changed", "aws_iam_policy_attachment", ctx["policy_arn"])
    ]
    assert (
        "user sweep-pa-bob (aws_iam_user_policy_attachment.bob) is declared there too" in findings[0]["title"]
    )
    # Taking it away is a delete: offered, never run without --delete-unmanaged.
    assert [step["kind"] for step in findings[0]["rollback"]] == ["delete", "iac"]


def test_a_membership_declared_per_group_and_per_user_is_reported_once(aws, guard, tmp_path):
    """Dana's developer group is declared by the group's exclusive aws_iam_group_membership
    and by her own aws_iam_user_group_membership: taken out of it, she is one finding, the
    group's, not a second one on her membership."""
    from guard.demo.state import TerraformState
    from tests.cases.identity_attachments import UGM_GROUPS, UGM_USER, build_user_group_membership
    from tests.support.identity import iam_group_membership_attributes

    state, ctx = TerraformState(), {}
    build_user_group_membership(aws, state, ctx)
    state.add(
        "aws_iam_group_membership",
        "developers",
        iam_group_membership_attributes("sweep-ugm-developers-members", UGM_GROUPS[0], [UGM_USER]),
    )
    assert _scan(guard, state, tmp_path).json()["findings"] == []

    aws.client("iam").remove_user_from_group(GroupName=UGM_GROUPS[0], UserName=UGM_USER)
    findings = _scan(guard, state, tmp_path).json()["findings"]
    assert [(f["type"], f["address"]) for f in findings] == [
        ("aws_iam_group_membership", "aws_iam_group_membership.developers")
    ]


def test_an_owner_declared_by_the_exclusive_and_a_per_user_attachment_is_one_finding(aws, guard, tmp_path):
    """Alice is in the exclusive attachment's users and has her own
    aws_iam_user_policy_attachment: the policy detached from her is the per-user finding alone."""
    from guard.demo.state import TerraformState
    from tests.cases.identity_attachments import PA_USERS, build_exclusive_attachment
    from tests.support.identity import iam_owner_policy_attachment_attributes

    state, ctx = TerraformState(), {}
    build_exclusive_attachment(aws, state, ctx)
    state.add(
        "aws_iam_user_policy_attachment",
        "alice",
        iam_owner_policy_attachment_attributes("user", PA_USERS[0], ctx["policy_arn"]),
    )
    assert _scan(guard, state, tmp_path).json()["findings"] == []

    aws.client("iam").detach_user_policy(UserName=PA_USERS[0], PolicyArn=ctx["policy_arn"])
    findings = _scan(guard, state, tmp_path).json()["findings"]
    assert [(f["kind"], f["address"]) for f in findings] == [
        ("missing", "aws_iam_user_policy_attachment.alice")
    ]


def test_an_exclusive_attachment_whose_every_owner_has_its_own_is_not_also_missing(aws, guard, tmp_path):
    """Each owner the exclusive attachment lists has its own per-owner attachment too: the
    policy detached from all of them is their findings, not one more for the exclusive one."""
    from guard.demo.state import TerraformState
    from tests.cases.identity_attachments import (
        PA_GROUP,
        PA_ROLE,
        PA_USERS,
        _detach_everywhere,
        build_exclusive_attachment,
    )
    from tests.support.identity import iam_owner_policy_attachment_attributes

    state, ctx = TerraformState(), {}
    build_exclusive_attachment(aws, state, ctx)
    for kind, name in (("user", PA_USERS[0]), ("role", PA_ROLE), ("group", PA_GROUP)):
        attrs = iam_owner_policy_attachment_attributes(kind, name, ctx["policy_arn"])
        state.add(f"aws_iam_{kind}_policy_attachment", kind, attrs)
    assert _scan(guard, state, tmp_path).json()["findings"] == []

    _detach_everywhere(aws, ctx)
    findings = _scan(guard, state, tmp_path).json()["findings"]
    assert sorted((f["kind"], f["address"]) for f in findings) == [
        ("missing", "aws_iam_group_policy_attachment.group"),
        ("missing", "aws_iam_role_policy_attachment.role"),
        ("missing", "aws_iam_user_policy_attachment.user"),
    ]


def _on_event(guard, state, tmp_path, name, request):
    import json

    from tests.cloudtrail_shapes import eventbridge, iam_user_identity, record

    detail = record(name, iam_user_identity(), request, event_id=f"ev-{name}", source="iam.amazonaws.com")
    event = tmp_path / "event.json"
    event.write_text(json.dumps(eventbridge(detail)), encoding="utf-8")
    path = state.write(tmp_path / "terraform.tfstate")
    result = guard("on-event", "--state", path, "--event", event, "--format", "json")
    assert result.code == 2, result.err
    [outcome] = result.json()["events"]
    return [(f["kind"], f["address"]) for f in outcome["report"]["findings"]]


def test_on_event_reads_the_policy_again_with_its_exclusive_attachment(aws, guard, tmp_path):
    from guard.demo.state import TerraformState
    from tests.cases.identity_attachments import PA_USERS, build_exclusive_attachment

    state, ctx = TerraformState(), {}
    build_exclusive_attachment(aws, state, ctx)
    aws.client("iam").attach_user_policy(UserName=PA_USERS[1], PolicyArn=ctx["policy_arn"])
    request = {"userName": PA_USERS[1], "policyArn": ctx["policy_arn"]}
    found = _on_event(guard, state, tmp_path, "AttachUserPolicy", request)
    assert found == [("changed", "aws_iam_policy_attachment.read_logs")]


def test_on_event_reads_the_policy_again_when_a_role_of_its_exclusive_attachment_is_detached(
    aws, guard, tmp_path
):
    from guard.demo.state import TerraformState
    from tests.cases.identity_attachments import PA_ROLE, build_exclusive_attachment

    state, ctx = TerraformState(), {}
    build_exclusive_attachment(aws, state, ctx)
    aws.client("iam").detach_role_policy(RoleName=PA_ROLE, PolicyArn=ctx["policy_arn"])
    request = {"roleName": PA_ROLE, "policyArn": ctx["policy_arn"]}
    found = _on_event(guard, state, tmp_path, "DetachRolePolicy", request)
    assert found == [("changed", "aws_iam_policy_attachment.read_logs")]


def test_on_event_reads_the_user_again_with_its_group_memberships(aws, guard, tmp_path):
    from guard.demo.state import TerraformState
    from tests.cases.identity_attachments import UGM_GROUPS, UGM_USER, build_user_group_membership

    state, ctx = TerraformState(), {}
    build_user_group_membership(aws, state, ctx)
    aws.client("iam").remove_user_from_group(GroupName=UGM_GROUPS[0], UserName=UGM_USER)
    request = {"groupName": UGM_GROUPS[0], "userName": UGM_USER}
    found = _on_event(guard, state, tmp_path, "RemoveUserFromGroup", request)
    assert found == [("changed", "aws_iam_user_group_membership.dana_engineering")]


def test_two_exclusive_attachments_of_one_policy_are_each_compared_and_say_they_fight(aws, guard, tmp_path):
    from guard.demo.state import TerraformState
    from tests.cases.identity_attachments import PA_USERS, build_exclusive_attachment
    from tests.support.identity import iam_policy_attachment_attributes

    state, ctx = TerraformState(), {}
    build_exclusive_attachment(aws, state, ctx)
    aws.client("iam").attach_user_policy(UserName=PA_USERS[1], PolicyArn=ctx["policy_arn"])
    state.add(
        "aws_iam_policy_attachment",
        "bob_reads_logs",
        iam_policy_attachment_attributes("sweep-pa-bob-reads-logs", ctx["policy_arn"], users=[PA_USERS[1]]),
    )
    findings = _scan(guard, state, tmp_path).json()["findings"]
    assert sorted(f["address"] for f in findings) == [
        "aws_iam_policy_attachment.bob_reads_logs",
        "aws_iam_policy_attachment.read_logs",
    ]
    assert all("exclusive attachment of the same policy" in f["title"] for f in findings)
