"""Shared fixtures: a real moto server over HTTP, and guard run as a user runs it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from guard.cli import run
from guard.demo.emulator import moto_server

REGION = "us-east-1"


@pytest.fixture
def aws() -> Iterator[boto3.Session]:
    """A fresh moto server on 127.0.0.1 for each test; boto3's chain points at it."""
    with moto_server(REGION):
        yield boto3.Session(region_name=REGION)


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
