"""Every registered type: no false positive when fresh, exactly the expected finding after an edit."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.cases
from guard.demo.state import TerraformState
from guard.live import REGISTRY
from tests.cases import TypeCase

CASES: list[TypeCase] = [
    case
    for module in pkgutil.iter_modules(tests.cases.__path__)
    for case in importlib.import_module(f"tests.cases.{module.name}").CASES
]
UNMANAGED = [case for case in CASES if case.unmanaged is not None]


def test_every_registered_type_has_a_case():
    covered = {case.type for case in CASES}
    assert sorted(set(REGISTRY.types) - covered) == []


def service_args(case: TypeCase, state: TerraformState) -> list[str]:
    """`--service` for every service the case's state declares or its findings name.

    A type's parent, children and expansions are of its own service, so each case is still
    read with everything that can report it twice. That nothing of another service is
    reported for any case is checked once, on the estate of every case
    (tests/test_promise_read_only.py), instead of by reading all types for each case.
    """
    types = {REGISTRY.canonical(block["type"]) for block in state.document()["resources"]}
    types |= {case.type, case.expected.type, case.unmanaged_type or case.type}
    services = sorted({REGISTRY.types[t].service for t in types if t in REGISTRY.types})
    return [arg for service in services for arg in ("--service", service)]


def _scan(guard, state: TerraformState, tmp_path, case: TypeCase):
    path = state.write(tmp_path / "terraform.tfstate")
    args = ["scan", "--state", path, "--region", "us-east-1", "--format", "json", *service_args(case, state)]
    result = guard(*args)
    assert result.code in (0, 2), result.err
    return result.json()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.type)
def test_fresh_resource_has_no_drift_then_the_edit_is_found(case, aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    case.build(aws, state, ctx)
    clean = _scan(guard, state, tmp_path, case)
    assert clean["findings"] == [], [f["title"] for f in clean["findings"]]
    assert clean["complete"] is True

    case.drift(aws, ctx)
    report = _scan(guard, state, tmp_path, case)
    assert len(report["findings"]) == 1, [f["title"] for f in report["findings"]]
    finding = report["findings"][0]
    want = case.expected
    assert (finding["kind"], finding["type"], finding["id"]) == (want.kind, want.type, ctx[want.id_key])
    if want.address:
        assert finding["address"] == want.address
    if want.paths:
        assert [c["path"] for c in finding["changes"]] == list(want.paths)
    assert want.title_has in finding["title"]
    assert finding["rollback"], "every finding carries a way back"


@pytest.mark.parametrize("case", UNMANAGED, ids=lambda case: case.type)
def test_resource_made_outside_terraform_is_unmanaged(case, aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    case.build(aws, state, ctx)
    assert case.unmanaged is not None
    new_id = case.unmanaged(aws, ctx)
    report = _scan(guard, state, tmp_path, case)
    found = [(f["kind"], f["type"], f["id"]) for f in report["findings"]]
    assert found == [("unmanaged", case.unmanaged_type, new_id)]
