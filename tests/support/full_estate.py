"""One estate that holds a live resource of every registered type, and the state files declaring it.

The production estate of tests/test_estate.py plus the type case of every type it lacks. The
read-only promise scans it (every list, companion, per-parent, detail and per-item call is
made), and benchmarks/scan.py puts it beside its thousands of generated resources.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

import tests.cases
from guard.demo import build_web_estate
from guard.demo.state import TerraformState
from guard.live import REGISTRY
from tests import test_estate as estate
from tests.cases import TypeCase
from tests.cases.services import REGION, account

CASES: list[TypeCase] = [
    case
    for module in pkgutil.iter_modules(tests.cases.__path__)
    for case in importlib.import_module(f"tests.cases.{module.name}").CASES
]


def _types(state: TerraformState) -> set[str]:
    return {block["type"] for block in state.document()["resources"]}


@dataclass
class FullEstate:
    paths: list[Path]
    lb_group_id: str
    key_ids: list[str]
    built: list[tuple[TypeCase, dict[str, Any]]]  # the type cases added, with their context
    types: set[str]  # every type the state files declare


def build_full_estate(session: boto3.Session, folder: Path) -> FullEstate:
    """Every registered type live at least once, and the state files declaring them."""
    web = build_web_estate(session, REGION)
    platform = TerraformState()
    acct = account(session)
    keys = estate._keys(session, platform, acct)
    estate._buckets(session, platform, acct, keys[0])
    roles = estate._iam(session, platform)
    estate._database(session, platform, web.subnet_ids)
    estate._dns(session, platform)
    estate._compute(session, platform, roles["lambda_role"], web.subnet_ids)
    estate._data(session, platform)
    states = [web.state, platform]
    have = _types(web.state) | _types(platform)
    built = []
    for case in CASES:
        if case.type in have:
            continue
        state, ctx = TerraformState(), {}
        case.build(session, state, ctx)
        states.append(state)
        built.append((case, ctx))
        have |= _types(state) | {case.type}
    assert set(REGISTRY.types) <= have | {REGISTRY.canonical(t) for t in have}
    folder.mkdir(parents=True, exist_ok=True)
    paths = [state.write(folder / f"state-{n}.tfstate") for n, state in enumerate(states)]
    return FullEstate(paths, web.lb_group_id, [k["KeyId"] for k in keys], built, have)
