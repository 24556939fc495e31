"""Promise: bad input never crashes. Every plan, Pulumi export, rule file and guard.toml,
however broken, gives a result or one clear error naming the file (exit 1), never a
traceback; truncated files too; an oversized state is refused before it is read.

The Terraform state reader has the same treatment in tests/test_fuzz_state.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from guard.config import load_config, tomllib
from guard.errors import GuardError, InputError
from guard.plan.reader import parse_plan
from guard.rules.loader import RuleFileError, load_rules
from guard.state.pulumi import parse_pulumi

PLANS = Path(__file__).parent / "plans"
SLOW = settings(
    max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


def _names(source: str, error: GuardError) -> None:
    assert source in str(error), str(error)
    assert "Traceback" not in str(error)


# -- plan JSON ------------------------------------------------------------------------

change = st.fixed_dictionaries(
    {},
    optional={
        "actions": st.lists(st.sampled_from(["create", "delete", "update", "no-op", "read"]), max_size=2)
        | values,
        "before": values,
        "after": values,
        "after_unknown": values,
        "before_sensitive": values,
        "after_sensitive": values,
    },
)
resource_change = st.fixed_dictionaries(
    {},
    optional={
        "address": st.text(max_size=12) | values,
        "type": st.sampled_from(["aws_security_group", "aws_instance"]) | values,
        "name": values,
        "mode": st.sampled_from(["managed", "data"]) | values,
        "index": values,
        "change": change | values,
        "action_reason": values,
        "provider_name": values,
    },
)
module = st.fixed_dictionaries(
    {},
    optional={
        "resources": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "address": values,
                    "type": st.just("aws_security_group") | values,
                    "values": values,
                    "sensitive_values": values,
                    "mode": values,
                },
            )
            | values,
            max_size=2,
        )
        | values,
        "child_modules": values,
    },
)
plan = st.fixed_dictionaries(
    {"format_version": st.just("1.2") | values},
    optional={
        "resource_changes": st.lists(resource_change | values, max_size=3) | values,
        "resource_drift": st.lists(resource_change | values, max_size=2) | values,
        "prior_state": st.fixed_dictionaries(
            {},
            optional={
                "values": st.fixed_dictionaries({}, optional={"root_module": module | values}) | values
            },
        )
        | values,
        "complete": values,
        "errored": values,
        "terraform_version": values,
    },
)


def _plan(text: str) -> None:
    try:
        parse_plan(text, "fuzz-plan.json")
    except InputError as error:
        _names("fuzz-plan.json", error)


@SLOW
@given(plan)
@example({"format_version": "1.2", "prior_state": []})
@example({"format_version": "1.2", "prior_state": {"values": {"root_module": {"child_modules": [5]}}}})
def test_structured_plans_never_crash(document):
    _plan(json.dumps(document))


@settings(max_examples=100)
@given(st.text(max_size=200))
def test_arbitrary_text_as_a_plan_never_crashes(text):
    _plan(text)


@settings(max_examples=100)
@given(st.integers(min_value=0, max_value=20_000))
def test_truncated_plans_never_crash(cut):
    text = (PLANS / "every-change.json").read_text()
    _plan(text[: cut % len(text)])


# -- Pulumi export --------------------------------------------------------------------

pulumi_resource = st.fixed_dictionaries(
    {},
    optional={
        "urn": st.just("urn:pulumi:prod::web::aws:ec2/securityGroup:SecurityGroup::lb") | values,
        "type": st.just("aws:ec2/securityGroup:SecurityGroup") | values,
        "id": values,
        "custom": values,
        "outputs": st.dictionaries(st.sampled_from(["name", "tags", "ingress", "arn"]), values) | values,
        "inputs": values,
        "provider": values,
        "parent": values,
    },
)
pulumi = st.fixed_dictionaries(
    {"version": st.just(3) | values},
    optional={
        "deployment": st.fixed_dictionaries(
            {},
            optional={
                "resources": st.lists(pulumi_resource | values, max_size=3) | values,
                "manifest": values,
            },
        )
        | values,
        "checkpoint": values,
    },
)


def _pulumi(text: str) -> None:
    try:
        parse_pulumi(text, "fuzz-stack.json")
    except InputError as error:
        _names("fuzz-stack.json", error)


@SLOW
@given(pulumi)
def test_structured_pulumi_exports_never_crash(document):
    _pulumi(json.dumps(document))


@settings(max_examples=100)
@given(st.text(max_size=200))
def test_arbitrary_text_as_a_pulumi_export_never_crashes(text):
    _pulumi(text)


# -- rule files -----------------------------------------------------------------------

condition = st.fixed_dictionaries(
    {},
    optional={
        "attribute": values,
        "operator": st.sampled_from(["equals", "contains", "exists", "not_equals", "bogus"]) | values,
        "value": values,
        "and": values,
        "or": values,
        "resource_types": values,
    },
)
rule = st.fixed_dictionaries(
    {},
    optional={
        "metadata": st.fixed_dictionaries(
            {},
            optional={
                "id": st.just("ACME-001") | values,
                "name": values,
                "severity": st.sampled_from(["high", "low", "nope"]) | values,
                "remediation": values,
            },
        )
        | values,
        "definition": condition | values,
    },
)


@SLOW
@given(rule | values, st.booleans())
def test_rule_files_never_crash(tmp_path_factory, document, as_text):
    folder = tmp_path_factory.mktemp("rules")
    path = folder / "rule.yaml"
    path.write_text(json.dumps(document) if as_text else yaml.safe_dump(document), encoding="utf-8")
    try:
        load_rules([folder], builtin=False)
    except RuleFileError as error:
        assert str(path) in str(error)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_arbitrary_text_as_a_rule_file_never_crashes(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("rules")
    (folder / "rule.yaml").write_text(text, encoding="utf-8")
    try:
        load_rules([folder], builtin=False)
    except RuleFileError as error:
        assert "rule.yaml" in str(error)


# -- guard.toml -----------------------------------------------------------------------

toml_scalars = st.booleans() | st.integers(-5, 5) | st.text(max_size=8)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: (
        st.lists(toml_scalars, max_size=3)
        | st.dictionaries(st.text(min_size=1, max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)
config = st.fixed_dictionaries(
    {},
    optional={
        "regions": toml_values,
        "state": toml_values,
        "accounts": st.lists(
            st.dictionaries(st.sampled_from(["id", "role", "regions", "name"]), toml_values), max_size=2
        )
        | toml_values,
        "slack": toml_values,
        "ignore": st.lists(
            st.dictionaries(st.sampled_from(["address", "reason", "expires", "type"]), toml_values),
            max_size=2,
        )
        | toml_values,
        "rules": toml_values,
        "scan": toml_values,
    },
)


def _toml(document: dict) -> str:  # type: ignore[type-arg]
    import io

    out = io.StringIO()
    for key, value in document.items():
        out.write(f"{key} = {json.dumps(value)}\n")
    return out.getvalue()


@SLOW
@given(
    config,
    st.dictionaries(
        st.sampled_from(["GUARD_REGIONS", "GUARD_MAX_ATTEMPTS", "GUARD_HISTORY"]), st.text(max_size=6)
    ),
)
def test_config_files_never_crash(tmp_path_factory, document, environ):
    path = tmp_path_factory.mktemp("config") / "guard.toml"
    text = _toml(document)
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # json.dumps of a dict is not always TOML; the text cases cover broken syntax
    path.write_text(text, encoding="utf-8")
    try:
        load_config(path, environ=environ)
    except InputError as error:
        _names(str(path), error)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_arbitrary_text_as_config_never_crashes(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("config") / "guard.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_config(path, environ={})
    except InputError as error:
        _names(str(path), error)


# -- through the CLI: one line, exit 1 ------------------------------------------------


def test_cli_bad_inputs_are_one_line_and_exit_1(guard, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format_version": "1.2", "resource_changes": [', encoding="utf-8")
    binary = tmp_path / "tfplan"
    binary.write_bytes(b"PK\x03\x04\xff\xfe")
    for args in (
        ("check-plan", broken),
        ("check-plan", binary),
        ("scan", "--state", broken, "--region", "us-east-1"),
        ("scan", "--pulumi-stack", broken, "--region", "us-east-1"),
        ("config", "check", "--config", broken),
    ):
        result = guard(*args)
        assert result.code == 1, (args, result.out, result.err)
        lines = [line for line in result.err.splitlines() if line.strip()]
        assert len(lines) == 1 and "Traceback" not in result.err, result.err
        assert "internal error" not in result.err, result.err


def test_a_200_mb_state_is_refused_before_it_is_read(guard, tmp_path, monkeypatch):
    """A sparse 200 MB file: its size is checked first, nothing is loaded into memory."""
    huge = tmp_path / "huge.tfstate"
    with huge.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    for args in (
        ("scan", "--state", huge, "--region", "us-east-1"),
        ("check-plan", huge),
        ("scan", "--pulumi-stack", huge, "--region", "us-east-1"),
    ):
        result = guard(*args)
        assert result.code == 1, result.err
        assert "over the 128 MB limit" in result.err and "GUARD_MAX_STATE_MB" in result.err, result.err
    monkeypatch.setenv("GUARD_MAX_STATE_MB", "1")
    small = tmp_path / "two-mb.tfstate"
    small.write_text(json.dumps({"version": 4, "resources": [], "pad": "x" * 2 * 1024 * 1024}))
    result = guard("scan", "--state", small, "--region", "us-east-1")
    assert result.code == 1 and "over the 1 MB limit" in result.err, result.err
