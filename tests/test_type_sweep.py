"""Every registered type, through its whole life: no false positive when fresh, exactly the
expected finding after one edit (or a resource made outside Terraform), a printed plan that
is real, and, where the plan has a direct way back, `guard rollback --apply` closing it.

One test per edit builds the case once and reads it three times (fresh, edited, and
rollback's own read before and after its calls): the sweep is most of the suite's time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from guard.demo.state import TerraformState
from guard.live import REGISTRY
from tests.support.sweep import (
    CASES,
    EDITS,
    WRITE_KINDS,
    Edit,
    check_printed_plan,
    offered_kinds,
    required_step_kinds,
    service_args,
)

REGION = "us-east-1"


def test_every_registered_type_has_a_case():
    covered = {case.type for case in CASES}
    assert sorted(set(REGISTRY.types) - covered) == []


def test_every_offered_reversal_has_a_round_trip_case():
    """A type that declares a way back for a drift kind must have a case that runs it."""
    proven = {(edit.type, edit.kind) for edit in EDITS}
    unproven = sorted(
        (name, kind)
        for name, declaration in REGISTRY.types.items()
        for kind in offered_kinds(declaration)
        if (name, kind) not in proven
    )
    assert unproven == [], "add a case in tests/cases/ for each (type, drift kind)"


def test_every_generated_cli_line_and_hcl_block_is_real():
    """Each edit's plan is checked by check_printed_plan inside its test below, one test per
    edit so that xdist spreads them; this proves that, together, those plans print every kind
    of step, a way back for at least half the edits, and at least four import blocks."""
    required = [required_step_kinds(edit) for edit in EDITS]
    assert set().union(*required) >= {"aws", "iac", "import", "delete"}
    offered = [edit for edit in EDITS if edit.kind in offered_kinds(REGISTRY.get(edit.type))]
    assert len(offered) >= len(EDITS) // 2
    assert sum("import" in kinds for kinds in required) >= 4


def _scan(guard: Any, path: Path, narrow: list[str]) -> dict[str, Any]:
    result = guard("scan", "--state", path, "--region", REGION, "--format", "json", *narrow)
    assert result.code in (0, 2), result.err
    return result.json()


def _found(edit: Edit, report: dict[str, Any], ctx: dict[str, Any]) -> dict[str, Any]:
    """The one finding the edit must cause, checked against what the case names."""
    titles = [f["title"] for f in report["findings"]]
    assert len(titles) == 1, titles
    (finding,) = report["findings"]
    if edit.variant == "unmanaged":
        assert (finding["kind"], finding["type"], finding["id"]) == (
            "unmanaged",
            edit.case.unmanaged_type,
            ctx["unmanaged_id"],
        )
    else:
        want = edit.case.expected
        assert (finding["kind"], finding["type"], finding["id"]) == (want.kind, want.type, ctx[want.id_key])
        if want.address:
            assert finding["address"] == want.address
        if want.paths:
            assert [c["path"] for c in finding["changes"]] == list(want.paths)
        assert want.title_has in finding["title"]
    assert finding["rollback"], "every finding carries a way back"
    return finding


@pytest.mark.parametrize("edit", EDITS, ids=str)
def test_edit_is_found_and_put_back(edit, aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    edit.case.build(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    narrow = service_args(edit.case, state)
    if edit.variant == "drift":  # fresh, the case is clean (its unmanaged edit shares the build)
        clean = _scan(guard, path, narrow)
        assert clean["findings"] == [], [f["title"] for f in clean["findings"]]
        assert clean["complete"] is True
        edit.case.drift(aws, ctx)
    else:
        assert edit.case.unmanaged is not None
        ctx["unmanaged_id"] = edit.case.unmanaged(aws, ctx)

    finding = _found(edit, _scan(guard, path, narrow), ctx)
    check_printed_plan(edit, finding["rollback"])
    kinds = {step["kind"] for step in finding["rollback"]}
    if not kinds & set(WRITE_KINDS):
        # No direct way back: only allowed when the declaration offers none for this kind,
        # or the changed attribute is one it cannot restore (the plan then says so).
        assert edit.kind not in offered_kinds(REGISTRY.get(edit.type)) or "manual" in kinds, finding[
            "rollback"
        ]
        return

    args = ["rollback", "--state", path, "--region", REGION, "--apply", "--yes", "--format", "json", *narrow]
    if "aws" not in kinds:  # a resource in no state: only deleted when named
        args += ["--delete-unmanaged", "--only", finding["id"]]
    result = guard(*args)
    assert result.code == 0, (result.out, result.err)
    report = result.json()
    assert [f["outcome"] for f in report["findings"]] == ["done"]
    assert [f["title"] for f in report["closed"]] == [finding["title"]]
    # Rollback reads again after its calls, with the same states and services: nothing is
    # left of what it was asked to close, nothing new appeared, and everything was read.
    assert report["new"] == [] and report["remaining"] == []
    assert report["complete"] is True
