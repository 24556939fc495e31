"""State kept by HCP Terraform / Terraform Enterprise: tfe:// and cloud/remote blocks in --tf-dir,
read through a local server with the platform's API shapes (tests/tfeapi.py)."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer

from guard.demo import build_web_estate, delete_https_rule
from guard.errors import InputError
from guard.state.tfe import find_token, parse_tfe_url, retry_after_seconds
from tests.tfeapi import TOKEN, FakeTfe

REGION = "us-east-1"


@pytest.fixture
def tfe_env(httpserver, monkeypatch, tmp_path):
    """TFE_ADDRESS at the local API, the token in TFE_TOKEN, and a HOME with no credentials file."""
    monkeypatch.setenv("TFE_ADDRESS", httpserver.url_for("").rstrip("/"))
    monkeypatch.setenv("TFE_TOKEN", TOKEN)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("TF_WORKSPACE", "TF_CLOUD_ORGANIZATION", "TF_CLOUD_HOSTNAME"):
        monkeypatch.delenv(name, raising=False)
    return httpserver


@pytest.fixture
def archivist():
    """A second server: the host signed state downloads point at (a token must never reach it)."""
    server = HTTPServer(host="127.0.0.1")
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def estate(aws):
    return build_web_estate(aws, REGION)


def _unreadable(result):
    return {u["name"]: u["reason"] for u in result.json()["summary"]["unreadable"]}


EMPTY = {"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "e", "resources": []}


def test_a_workspace_by_name_scans_clean_then_finds_the_deleted_rule(guard, aws, tfe_env, archivist, estate):
    fake = FakeTfe(tfe_env, archivist=archivist).install()
    fake.add("network", estate.state.document(), tags=("prod",))
    clean = guard("scan", "--state", "tfe://acme/network", "--region", REGION, "--format", "json")
    assert clean.code == 0, clean.err
    assert clean.json()["sources"] == ["tfe://acme/network"]
    # The signed download on the other host was fetched, and without the token.
    downloads = [r for r in fake.requests if r[1].startswith("/v1/object/")]
    assert downloads and not any(had_token for _, _, had_token in downloads)
    assert all(had for host, path, had in fake.requests if path.startswith("/api/v2/"))

    delete_https_rule(aws, estate.lb_group_id, REGION)
    drifted = guard("scan", "--state", "tfe://acme/network", "--region", REGION, "--format", "json")
    assert drifted.code == 2, drifted.err
    (finding,) = drifted.json()["findings"]
    assert (finding["kind"], finding["id"], finding["source"]) == (
        "missing",
        estate.lb_group_id,
        "tfe://acme/network",
    )
    iac = [step for step in finding["rollback"] if step["kind"] == "iac"]
    assert iac, finding["rollback"]
    assert "HCP Terraform workspace acme/network" in iac[0]["description"]
    assert "-target=module.edge.aws_security_group.lb" in iac[0]["description"]
    assert TOKEN not in drifted.out + drifted.err


def test_a_download_on_the_api_host_carries_the_token(guard, aws, tfe_env, estate):
    fake = FakeTfe(tfe_env).install()  # hosted-state-download-url on app.terraform.io itself
    fake.add("network", estate.state.document())
    result = guard("scan", "--state", "tfe://acme/network", "--region", REGION, "--format", "json")
    assert result.code == 0, result.err
    assert any(path.endswith("/hosted_state") and had for _, path, had in fake.requests)


def test_a_redirect_to_another_host_drops_the_token(guard, aws, tfe_env, archivist, estate):
    fake = FakeTfe(tfe_env, archivist=archivist, redirect=True).install()
    fake.add("network", estate.state.document())
    result = guard("scan", "--state", "tfe://acme/network", "--region", REGION, "--format", "json")
    assert result.code == 0, result.err
    hosted = [had for _, path, had in fake.requests if path.endswith("/hosted_state")]
    signed = [had for _, path, had in fake.requests if path.startswith("/v1/object/")]
    assert hosted == [True] and signed == [False]


def test_workspaces_by_tag_over_several_pages_one_without_state(guard, aws, tfe_env, archivist, estate):
    fake = FakeTfe(tfe_env, archivist=archivist, page_cap=2).install()
    fake.add("app-a", estate.state.document(), tags=("prod", "net"))
    fake.add("app-b", EMPTY, tags=("prod",))
    fake.add("app-c", EMPTY, tags=("prod",))
    fake.add("app-new", None, tags=("prod",))  # created, never applied
    fake.add("staging", EMPTY, tags=("staging",))
    result = guard("scan", "--state", "tfe://acme/?tags=prod", "--region", REGION, "--format", "json")
    assert result.code == 3, result.err  # one workspace not read: incomplete, never clean
    report = result.json()
    assert report["sources"] == ["tfe://acme/app-a", "tfe://acme/app-b", "tfe://acme/app-c"]
    unreadable = _unreadable(result)
    assert list(unreadable) == ["tfe://acme/app-new"]
    assert "has no state yet (no current state version)" in unreadable["tfe://acme/app-new"]
    listed = [path for _, path, _ in fake.requests if path == "/api/v2/organizations/acme/workspaces"]
    assert len(listed) == 2  # four matches, two a page


def test_workspaces_by_name_prefix(guard, aws, tfe_env, archivist, estate):
    fake = FakeTfe(tfe_env, archivist=archivist).install()
    fake.add("app-network", estate.state.document())
    fake.add("app-data", EMPTY)
    fake.add("my-app-legacy", EMPTY)  # search[name] matches substrings: not a prefix
    result = guard("scan", "--state", "tfe://acme/?prefix=app-", "--region", REGION, "--format", "json")
    assert result.code == 0, result.err
    assert result.json()["sources"] == ["tfe://acme/app-data", "tfe://acme/app-network"]


def test_429_with_retry_after_then_success(guard, aws, tfe_env, estate):
    fake = FakeTfe(tfe_env, rate_limited=2).install()
    fake.add("network", estate.state.document())
    result = guard("scan", "--state", "tfe://acme/network", "--region", REGION, "--format", "json")
    assert result.code == 0, result.err
    assert fake.rate_limited == 0


def test_rate_limit_that_never_ends_is_reported(guard, aws, tfe_env):
    fake = FakeTfe(tfe_env, rate_limited=100).install()
    fake.add("network", EMPTY)
    result = guard("scan", "--state", "tfe://acme/network", "--region", REGION)
    assert result.code == 1
    assert "tfe://acme/network: rate limited (HTTP 429) after 5 attempts" in result.err


def test_a_bad_token_is_one_line_and_never_printed(guard, aws, tfe_env, monkeypatch):
    FakeTfe(tfe_env).install().add("network", EMPTY)
    monkeypatch.setenv("TFE_TOKEN", "atlasv1.wrong-token-value")
    result = guard("scan", "--state", "tfe://acme/network", "--region", REGION)
    assert result.code == 1
    assert result.err.strip().count("\n") == 0
    assert "tfe://acme/network: access denied (HTTP 401: unauthorized)" in result.err
    assert "TFE_TOKEN" in result.err
    assert "wrong-token-value" not in result.out + result.err


def test_unreadable_workspaces_are_named_and_the_others_scanned(guard, aws, tfe_env, archivist, estate):
    fake = FakeTfe(tfe_env, archivist=archivist).install()
    fake.add("network", estate.state.document())
    fake.add("fresh", None)
    delete_https_rule(aws, estate.lb_group_id, REGION)
    result = guard(
        "scan",
        *("--state", "tfe://acme/network", "--state", "tfe://acme/fresh", "--state", "tfe://acme/gone"),
        *("--region", REGION, "--format", "json"),
    )
    assert result.code == 3, result.err
    unreadable = _unreadable(result)
    assert "no current state version" in unreadable["tfe://acme/fresh"]
    assert "no such workspace, or the token cannot see it (HTTP 404)" in unreadable["tfe://acme/gone"]
    assert [(f["kind"], f["id"]) for f in result.json()["findings"]] == [("missing", estate.lb_group_id)]


def test_no_token_anywhere_is_one_line(guard, aws, tfe_env, monkeypatch):
    monkeypatch.delenv("TFE_TOKEN")
    result = guard("scan", "--state", "tfe://acme/network", "--region", REGION)
    assert result.code == 1
    assert "tfe://acme/network: no API token for" in result.err and "terraform login" in result.err


def test_tokens_from_the_cli_credentials_file_and_tf_token_env(monkeypatch, tmp_path):
    monkeypatch.delenv("TFE_TOKEN", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".terraform.d").mkdir()
    (tmp_path / ".terraform.d" / "credentials.tfrc.json").write_text(
        json.dumps({"credentials": {"app.terraform.io": {"token": "from-file"}}})
    )
    assert find_token("https://app.terraform.io", {}) == "from-file"
    assert find_token("https://app.terraform.io", {"TF_TOKEN_app_terraform_io": "from-env"}) == "from-env"
    assert find_token("https://tfe.my-corp.io", {"TF_TOKEN_tfe_my__corp_io": "dashes"}) == "dashes"
    assert find_token("https://tfe.my-corp.io", {}) == ""
    assert find_token("https://app.terraform.io", {"TFE_TOKEN": "first"}) == "first"


def test_a_token_from_the_credentials_file_reads_state(guard, aws, tfe_env, monkeypatch, tmp_path, estate):
    monkeypatch.delenv("TFE_TOKEN")
    host = tfe_env.url_for("").split("://", 1)[1].split("/", 1)[0].split(":")[0]
    home = tmp_path / "home" / ".terraform.d"
    home.mkdir(parents=True)
    (home / "credentials.tfrc.json").write_text(json.dumps({"credentials": {host: {"token": TOKEN}}}))
    FakeTfe(tfe_env).install().add("network", estate.state.document())
    result = guard("scan", "--state", "tfe://acme/network", "--region", REGION, "--format", "json")
    assert result.code == 0, result.err


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("tfe://acme", "names no workspace and no tags or prefix"),
        ("tfe://acme/?tag=prod", "unknown parameter(s) tag"),
        ("tfe://acme/a/b", "names more than one workspace"),
        ("tfe://acme/app?tags=prod", "names a workspace and a selection at once"),
    ],
)
def test_bad_tfe_addresses(url, problem):
    with pytest.raises(InputError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        parse_tfe_url(url)


def test_retry_after_in_seconds_and_as_a_date():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) == 1.0
    assert retry_after_seconds("Wed, 02 Dec 2026 15:00:30 GMT", now=1796223600.0) == 30.0


# --tf-dir: the cloud block and the remote backend ---------------------------------------


def test_tf_dir_cloud_block_with_a_workspace_name(guard, aws, tfe_env, archivist, estate, tmp_path):
    FakeTfe(tfe_env, archivist=archivist).install().add("network", estate.state.document())
    (tmp_path / "main.tf").write_text(
        'terraform {\n  cloud {\n    organization = "acme"\n\n    workspaces {\n      name = "network"\n'
        "    }\n  }\n}\n"
    )
    result = guard("scan", "--tf-dir", tmp_path, "--region", REGION, "--format", "json")
    assert result.code == 0, result.err
    assert result.json()["sources"] == ["tfe://acme/network"]


def test_tf_dir_cloud_block_with_tags_reads_the_selected_workspace_or_all(
    guard, aws, tfe_env, archivist, estate, tmp_path
):
    fake = FakeTfe(tfe_env, archivist=archivist).install()
    fake.add("network-prod", estate.state.document(), tags=("networking", "prod"))
    fake.add("network-dev", EMPTY, tags=("networking", "dev"))
    (tmp_path / "main.tf").write_text(
        'terraform {\n  cloud {\n    organization = "acme"\n    workspaces {\n'
        '      tags = ["networking"]\n    }\n  }\n}\n'
    )
    every = guard("scan", "--tf-dir", tmp_path, "--region", REGION, "--format", "json")
    assert every.code == 0, every.err
    assert every.json()["sources"] == ["tfe://acme/network-dev", "tfe://acme/network-prod"]
    (tmp_path / ".terraform").mkdir()
    (tmp_path / ".terraform" / "environment").write_text("network-prod")
    selected = guard("scan", "--tf-dir", tmp_path, "--region", REGION, "--format", "json")
    assert selected.json()["sources"] == ["tfe://acme/network-prod"]


def test_tf_dir_remote_backend_with_a_prefix_and_the_selected_workspace(
    guard, aws, tfe_env, archivist, estate, tmp_path
):
    FakeTfe(tfe_env, archivist=archivist).install().add("app-prod", estate.state.document())
    (tmp_path / "backend.tf").write_text(
        'terraform {\n  backend "remote" {\n    organization = "acme"\n    workspaces {\n'
        '      prefix = "app-"\n    }\n  }\n}\n'
    )
    result = guard("scan", "--tf-dir", tmp_path, "--workspace", "prod", "--region", REGION, "--format=json")
    assert result.code == 0, result.err
    assert result.json()["sources"] == ["tfe://acme/app-prod"]


def test_tf_dir_cloud_block_without_organization(guard, tfe_env, tmp_path):
    block = 'terraform {\n  cloud {\n    workspaces {\n      name = "x"\n    }\n  }\n}\n'
    (tmp_path / "main.tf").write_text(block)
    result = guard("scan", "--tf-dir", tmp_path, "--region", REGION)
    assert result.code == 1
    assert 'backend "cloud": has no organization' in result.err


def test_a_hostname_in_the_cloud_block_names_the_enterprise_host(tfe_env, tmp_path):
    from guard.state.remote import backend_state_location
    from guard.state.sources import terraform_source

    (tmp_path / "main.tf").write_text(
        'terraform {\n  cloud {\n    hostname     = "tfe.acme.io"\n    organization = "acme"\n'
        '    workspaces {\n      name = "network"\n    }\n  }\n}\n'
    )
    location = backend_state_location(tmp_path)
    assert location == "tfe://acme/network?host=tfe.acme.io"
    assert terraform_source(location).name == "tfe://acme/network (on tfe.acme.io)"
    assert parse_tfe_url(location).host == "tfe.acme.io"
