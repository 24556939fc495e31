"""One case per supported resource type, swept by tests/test_type_sweep.py.

A case builds the resource on the emulator the way `terraform apply` would, records
it in a v4 state, then makes one out-of-band edit and names the exact finding it must
produce. A type registered in guard/live without a case fails the sweep.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3

from guard.demo.state import TerraformState

Context = dict[str, Any]


@dataclass(frozen=True)
class Expected:
    kind: str  # changed | missing | unmanaged
    type: str  # the finding's `type` (the state's type for a declared resource)
    id_key: str  # key in the context holding the finding's id
    address: str = ""  # the owning address, when the finding has one
    paths: tuple[str, ...] = ()  # changed attribute paths, for kind "changed"
    title_has: str = ""


@dataclass(frozen=True)
class TypeCase:
    type: str  # the registered type this case proves
    build: Callable[[boto3.Session, TerraformState, Context], None]
    drift: Callable[[boto3.Session, Context], None]
    expected: Expected
    # Creates the same kind of resource outside Terraform; returns its id.
    unmanaged: Callable[[boto3.Session, Context], str] | None = None
    unmanaged_type: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
