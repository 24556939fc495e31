"""Shared fixtures: a real moto server over HTTP, and guard run as a user runs it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from hypothesis import settings

from guard.aws import new_session
from guard.cli import run
from guard.demo.emulator import pointed_at, reset_emulator, running_emulator

# Speed is measured by benchmarks/, never asserted in tests: a shared, loaded machine would
# fail Hypothesis's per-example deadline on code that is not slow.
settings.register_profile("guard", deadline=None)
settings.load_profile("guard")

REGION = "us-east-1"


@pytest.fixture(scope="session")
def emulator() -> Iterator[str]:
    """One moto server on 127.0.0.1 per xdist worker, started by the first test that asks for AWS:
    stopping a server costs half a second, and a reset empties it as well as a new one would."""
    with running_emulator() as endpoint:
        yield endpoint


@pytest.fixture
def aws(emulator: str) -> Iterator[boto3.Session]:
    """An empty emulated AWS for each test; boto3's chain points at it for the test's length.

    The session shares guard's botocore loader (guard.aws.new_session): a fresh loader
    re-reads each service's model files, half a second per service, in every test.
    """
    reset_emulator(emulator)
    with pointed_at(emulator, REGION):
        yield new_session(region_name=REGION)


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def guard(capsys: pytest.CaptureFixture[str]) -> Any:
    """Run `guard ARGS...` in-process, exactly as the console script does."""

    def invoke(*args: str | Path) -> Result:
        capsys.readouterr()
        code = run([str(arg) for arg in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
