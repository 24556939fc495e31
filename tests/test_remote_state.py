"""Remote state: Terraform's S3 and HTTP backends, --tf-dir backend blocks, Pulumi's S3 backend."""

from __future__ import annotations

import gzip
import json

import pytest
from werkzeug import Response

from guard.demo import DEFAULT_TAGS, build_web_estate, delete_https_rule
from tests.pulumi_estate import web_estate_export
from tests.support.services import s3_bucket_attributes

REGION = "us-east-1"
KEY = "network/terraform.tfstate"


@pytest.fixture
def estate(aws):
    return build_web_estate(aws, REGION)


@pytest.fixture
def bucket(aws):
    s3 = aws.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="acme-tf-state")
    return s3


def _put(s3, key, estate, bucket="acme-tf-state"):
    """Store the estate's state in the bucket. The bucket is declared in that state (a backend
    bucket its own stack manages): guard reads every S3 bucket, and one in no state is unmanaged."""
    estate.state.add(
        "aws_s3_bucket", "tf_state", s3_bucket_attributes(bucket, REGION), module="module.bootstrap"
    )
    # As the provider's default_tags left it.
    tags = [{"Key": k, "Value": v} for k, v in DEFAULT_TAGS.items()]
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags})
    s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(estate.state.document()).encode())


def _unreadable(result):
    return {u["name"]: u["reason"] for u in result.json()["summary"]["unreadable"]}


def test_s3_state_scans_clean_then_finds_the_deleted_rule(guard, aws, estate, bucket):
    _put(bucket, KEY, estate)
    url = f"s3://acme-tf-state/{KEY}"
    clean = guard("scan", "--state", url, "--region", REGION, "--format", "json")
    assert clean.code == 0, clean.err
    assert clean.json()["sources"] == [url]
    delete_https_rule(aws, estate.lb_group_id, REGION)
    drifted = guard("scan", "--state", url, "--region", REGION, "--format", "json")
    assert drifted.code == 2
    (finding,) = drifted.json()["findings"]
    assert (finding["kind"], finding["id"], finding["source"]) == ("missing", estate.lb_group_id, url)
    assert finding["address"] == "module.edge.aws_security_group.lb"


@pytest.mark.parametrize(
    ("stored_at", "args"),
    [
        ("env:/staging/" + KEY, ["--state", f"s3://acme-tf-state/{KEY}", "--workspace", "staging"]),
        ("env:/staging/" + KEY, ["--state", f"s3://acme-tf-state/env:/staging/{KEY}"]),
        (
            "workspaces/staging/" + KEY,
            [
                "--state",
                f"s3://acme-tf-state/{KEY}",
                "--workspace",
                "staging",
                "--workspace-key-prefix",
                "workspaces",
            ],
        ),
    ],
)
def test_s3_workspaces(guard, estate, bucket, stored_at, args):
    _put(bucket, stored_at, estate)
    # The default workspace holds something else.
    bucket.put_object(Bucket="acme-tf-state", Key=KEY, Body=json.dumps(EMPTY_STATE).encode())
    result = guard("scan", *args, "--region", REGION, "--format", "json")
    assert result.code == 0, result.err
    assert result.json()["sources"] == [f"s3://acme-tf-state/{stored_at}"]
    assert result.json()["summary"]["coverage"]["managed"] == 9  # the web estate's eight and the bucket


EMPTY_STATE = {"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "x", "resources": []}


def test_single_missing_s3_state_is_one_line_exit_1(guard, aws, bucket):
    result = guard("scan", "--state", "s3://acme-tf-state/nope.tfstate", "--region", REGION)
    assert result.code == 1
    assert result.err.strip().count("\n") == 0
    assert "s3://acme-tf-state/nope.tfstate: no such object" in result.err


def test_missing_and_corrupt_states_are_reported_and_the_others_scanned(guard, aws, estate, bucket):
    _put(bucket, KEY, estate)
    bucket.put_object(Bucket="acme-tf-state", Key="broken.tfstate", Body=b'{"version": 4, "resources": [')
    delete_https_rule(aws, estate.lb_group_id, REGION)
    result = guard(
        "scan",
        "--state",
        f"s3://acme-tf-state/{KEY}",
        "--state",
        "s3://acme-tf-state/gone.tfstate",
        "--state",
        "s3://acme-tf-state/broken.tfstate",
        "--state",
        "s3://no-such-bucket/terraform.tfstate",
        "--region",
        REGION,
        "--format",
        "json",
    )
    assert result.code == 3, result.err
    report = result.json()
    assert report["complete"] is False
    unreadable = _unreadable(result)
    assert set(unreadable) == {
        "s3://acme-tf-state/gone.tfstate",
        "s3://acme-tf-state/broken.tfstate",
        "s3://no-such-bucket/terraform.tfstate",
    }
    assert "no such object" in unreadable["s3://acme-tf-state/gone.tfstate"]
    assert "not valid JSON" in unreadable["s3://acme-tf-state/broken.tfstate"]
    assert "no such bucket" in unreadable["s3://no-such-bucket/terraform.tfstate"]
    # The readable state was still compared: the deleted rule is found.
    assert [(f["kind"], f["id"]) for f in report["findings"]] == [("missing", estate.lb_group_id)]


def test_unread_state_in_console_report(guard, aws, estate, bucket):
    _put(bucket, KEY, estate)
    result = guard(
        "scan",
        "--state",
        f"s3://acme-tf-state/{KEY}",
        "--state",
        "s3://acme-tf-state/gone.tfstate",
        "--region",
        REGION,
    )
    assert result.code == 3
    assert "INCOMPLETE" in result.out
    assert "state s3://acme-tf-state/gone.tfstate: no such object" in result.out
    assert "No drift" not in result.out


# Terraform's HTTP backend -------------------------------------------------------------


@pytest.fixture
def http_state(httpserver, aws, estate):
    body = json.dumps(estate.state.document())
    httpserver.expect_request(
        "/api/v4/projects/42/terraform/state/prod", headers={"Authorization": "Bearer glpat-s3cr3t"}
    ).respond_with_data(body, content_type="application/json")
    httpserver.expect_request(
        "/api/v4/projects/42/terraform/state/prod", headers={"PRIVATE-TOKEN": "glpat-s3cr3t"}
    ).respond_with_data(body, content_type="application/json")
    httpserver.expect_request(
        "/api/v4/projects/42/terraform/state/prod", headers={"Authorization": "Basic Z2l0bGFiOnBhc3N3b3Jk"}
    ).respond_with_data(body, content_type="application/json")
    httpserver.expect_request("/api/v4/projects/42/terraform/state/prod").respond_with_response(
        Response("unauthorized", status=401)
    )
    httpserver.expect_request("/api/v4/projects/42/terraform/state/gone").respond_with_response(
        Response("not found", status=404)
    )
    return httpserver.url_for("/api/v4/projects/42/terraform/state/prod")


def test_http_backend_without_credentials_is_denied(guard, http_state, monkeypatch):
    for name in ("GUARD_STATE_AUTH", "GUARD_STATE_AUTH_HEADER", "TF_HTTP_USERNAME", "TF_HTTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    result = guard("scan", "--state", http_state, "--region", REGION)
    assert result.code == 1
    assert "access denied (HTTP 401)" in result.err and "GUARD_STATE_AUTH" in result.err


@pytest.mark.parametrize(
    "environment",
    [
        {"GUARD_STATE_AUTH": "Bearer glpat-s3cr3t"},
        {"GUARD_STATE_AUTH": "glpat-s3cr3t", "GUARD_STATE_AUTH_HEADER": "PRIVATE-TOKEN"},
        {"TF_HTTP_USERNAME": "gitlab", "TF_HTTP_PASSWORD": "password"},
    ],
)
def test_http_backend_reads_with_the_header_from_the_environment(guard, http_state, monkeypatch, environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    result = guard("scan", "--state", http_state + "?ref=main", "--region", REGION, "--format", "json")
    assert result.code == 0, result.err
    assert result.json()["sources"] == [http_state]  # the query string is not shown
    assert "s3cr3t" not in result.out + result.err


def test_http_backend_missing_state_in_a_multi_source_run(guard, http_state, httpserver, monkeypatch):
    monkeypatch.setenv("GUARD_STATE_AUTH", "Bearer glpat-s3cr3t")
    gone = httpserver.url_for("/api/v4/projects/42/terraform/state/gone")
    result = guard("scan", "--state", http_state, "--state", gone, "--region", REGION, "--format", "json")
    assert result.code == 3
    assert "HTTP 404" in _unreadable(result)[gone]


# --tf-dir: the backend block ---------------------------------------------------------


def test_tf_dir_reads_the_s3_backend_block_and_selected_workspace(guard, estate, bucket, tmp_path):
    _put(bucket, "workspaces/staging/" + KEY, estate)
    (tmp_path / "backend.tf").write_text(
        """
terraform {
  required_version = ">= 1.5"
  backend "s3" {
    bucket               = "acme-tf-state"
    key                  = "network/terraform.tfstate"
    region               = "us-east-1"
    workspace_key_prefix = "workspaces"
    encrypt              = true
    dynamodb_table       = "tf-locks"
  }
}
"""
    )
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "main" {\n  cidr_block = "10.20.0.0/16"\n}\n')
    (tmp_path / ".terraform").mkdir()
    (tmp_path / ".terraform" / "environment").write_text("staging")
    result = guard("scan", "--tf-dir", tmp_path, "--region", REGION, "--format", "json")
    assert result.code == 0, result.err
    assert result.json()["sources"] == [f"s3://acme-tf-state/workspaces/staging/{KEY}"]


def test_tf_dir_partial_backend_config_from_terraform_init(guard, estate, bucket, tmp_path):
    _put(bucket, KEY, estate)
    (tmp_path / "backend.tf").write_text('terraform {\n  backend "s3" {}\n}\n')
    (tmp_path / ".terraform").mkdir()
    (tmp_path / ".terraform" / "terraform.tfstate").write_text(
        json.dumps(
            {
                "version": 3,
                "serial": 1,
                "backend": {
                    "type": "s3",
                    "config": {"bucket": "acme-tf-state", "key": KEY, "region": REGION, "profile": None},
                    "hash": 1234,
                },
            }
        )
    )
    result = guard("scan", "--tf-dir", tmp_path, "--region", REGION, "--format", "json")
    assert result.code == 0, result.err
    assert result.json()["sources"] == [f"s3://acme-tf-state/{KEY}"]


def test_tf_dir_with_a_backend_guard_does_not_read(guard, tmp_path):
    (tmp_path / "backend.tf").write_text('terraform {\n  backend "gcs" {\n    bucket = "x"\n  }\n}\n')
    result = guard("scan", "--tf-dir", tmp_path, "--region", REGION)
    assert result.code == 1
    assert 'backend "gcs"' in result.err and "terraform state pull" in result.err
    assert result.err.strip().count("\n") == 0


# Pulumi's self-managed S3 backend ------------------------------------------------------


@pytest.mark.parametrize("compressed", [False, True])
def test_pulumi_s3_backend(guard, aws, estate, compressed):
    s3 = aws.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="acme-pulumi")
    body = json.dumps(web_estate_export(aws, estate, REGION).checkpoint()).encode()
    key = "team-a/.pulumi/stacks/web/prod.json"
    if compressed:
        body, key = gzip.compress(body), key + ".gz"
    s3.put_object(Bucket="acme-pulumi", Key=key, Body=body)
    args = ("--pulumi-state", "s3://acme-pulumi/team-a", "--stack", "organization/web/prod")
    before = guard("scan", *args, "--region", REGION, "--format", "json")
    assert before.json()["sources"] == ["s3://acme-pulumi/team-a (stack organization/web/prod)"]
    # The backend bucket was made by hand, outside any stack (Pulumi's usual bootstrap):
    # it is unmanaged, and that is the one finding while the stack itself matches AWS.
    assert before.code == 2, before.err
    assert [(f["kind"], f["type"], f["id"]) for f in before.json()["findings"]] == [
        ("unmanaged", "aws_s3_bucket", "acme-pulumi")
    ]
    delete_https_rule(aws, estate.lb_group_id, REGION)
    drifted = guard("scan", *args, "--region", REGION, "--format", "json")
    assert drifted.code == 2
    (finding,) = [f for f in drifted.json()["findings"] if f["kind"] != "unmanaged"]
    assert [f["id"] for f in drifted.json()["findings"] if f["kind"] == "unmanaged"] == ["acme-pulumi"]
    assert finding["address"].startswith("urn:pulumi:prod::web::")
    assert finding["id"] == estate.lb_group_id
    assert finding["source"] == "s3://acme-pulumi/team-a (stack organization/web/prod)"


def test_pulumi_s3_backend_missing_stack(guard, aws):
    aws.client("s3", region_name=REGION).create_bucket(Bucket="acme-pulumi")
    result = guard("scan", "--pulumi-state", "s3://acme-pulumi", "--stack", "organization/web/nope")
    assert result.code == 1
    assert "s3://acme-pulumi/.pulumi/stacks/web/nope.json: no such stack" in result.err


def test_stack_without_backend_is_a_usage_error(guard):
    result = guard("scan", "--stack", "organization/web/prod", "--region", REGION)
    assert result.code == 1 and "--pulumi-state" in result.err
