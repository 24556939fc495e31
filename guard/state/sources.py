"""Every place declared state can come from, read the same way.

A run over one state stops at a state it cannot read (one line, exit 1). A run over
several goes on without it and says so: the state is named in the report and the run
is incomplete (exit 3), because what it declares was not checked. A local file named
on the command line is the exception: a typo there is a usage error, and stops the run.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from guard.errors import InputError
from guard.model import Resource, Unreadable
from guard.state.pulumi import parse_pulumi, read_pulumi_file
from guard.state.remote import (
    backend_state_location,
    decode,
    display_url,
    fetch_http,
    fetch_pulumi_backend,
    fetch_s3,
    parse_s3_url,
    workspace_key,
)
from guard.state.terraform import parse_state, read_state_file
from guard.state.tfe import api_for, fetch_workspace_state, is_tfe, parse_tfe_url, select_workspaces

if TYPE_CHECKING:
    import boto3

log = logging.getLogger(__name__)

TERRAFORM, PULUMI = "terraform", "pulumi"


@dataclass(frozen=True)
class StateSource:
    """One state: Terraform (file, s3://, https://, tfe://) or a Pulumi stack (export file or backend)."""

    kind: str  # terraform | pulumi
    location: (
        str  # a path, s3://bucket/key, https://..., tfe://org/ws, or a Pulumi backend (s3://bucket[/prefix])
    )
    stack: str = ""  # Pulumi backend only: org/project/stack
    workspace: str = ""  # Terraform S3 only: read <prefix>/<workspace>/<key>
    workspace_key_prefix: str = ""
    strict: bool = False  # a problem stops the run even when other states are read
    from_dir: bool = False  # `location` is a Terraform working directory: read its backend block

    @property
    def name(self) -> str:
        if self.from_dir:
            return f"{self.location} (backend)"
        if self.kind == PULUMI and self.stack:
            return f"{display_url(self.location)} (stack {self.stack})"
        if self.location.startswith(("http://", "https://")):
            return display_url(self.location)
        if is_tfe(self.location):
            try:
                return parse_tfe_url(self.location).name()
            except InputError:
                return self.location.split("?", 1)[0]
        if self.location.startswith("s3://") and self.workspace:
            location = parse_s3_url(self.location)
            key = workspace_key(location.key, self.workspace, self.workspace_key_prefix)
            return f"s3://{location.bucket}/{key}"
        return self.location.split("?", 1)[0]

    def resolved(self) -> StateSource:
        """A working directory's backend block turned into the state it points at."""
        if not self.from_dir:
            return self
        location = backend_state_location(self.location, self.workspace or None)
        return StateSource(TERRAFORM, location, workspace_key_prefix=self.workspace_key_prefix)


def terraform_source(
    location: str, workspace: str = "", prefix: str = "", strict: bool | None = None
) -> StateSource:
    local = not location.startswith(("s3://", "http://", "https://", "tfe://"))
    return StateSource(
        TERRAFORM,
        location,
        workspace=workspace,
        workspace_key_prefix=prefix,
        strict=local if strict is None else strict,
    )


def tf_dir_source(folder: str, workspace: str = "", strict: bool | None = None) -> StateSource:
    return StateSource(TERRAFORM, folder, workspace=workspace, from_dir=True, strict=bool(strict))


def pulumi_source(location: str, stack: str = "", strict: bool | None = None) -> StateSource:
    local = not stack and not location.startswith(("s3://", "http://", "https://"))
    return StateSource(PULUMI, location, stack=stack, strict=local if strict is None else strict)


def read_source(
    source: StateSource, session: boto3.Session, known_types: Collection[str] = ()
) -> list[Resource]:
    """Read one state; every problem is an InputError naming it."""
    source = source.resolved()
    if source.kind == PULUMI:
        if source.stack:
            where, body = fetch_pulumi_backend(session, source.location, source.stack)
            resources = parse_pulumi(decode(body, where), where, known_types)
            return [replace(r, source=source.name) for r in resources]
        return read_pulumi_file(source.location, known_types)
    if source.location.startswith("s3://"):
        location = parse_s3_url(source.location)
        key = workspace_key(location.key, source.workspace, source.workspace_key_prefix)
        location = type(location)(location.bucket, key, location.region)
        name = source.name
        return parse_state(decode(fetch_s3(session, location, name), name), name)
    if source.location.startswith(("http://", "https://")):
        name = source.name
        return parse_state(decode(fetch_http(source.location, name), name), name)
    if is_tfe(source.location):
        out: list[Resource] = []
        for workspace in expand(source):  # a selection read whole: every workspace must be read
            name = workspace.name
            spot = parse_tfe_url(workspace.location)
            body = fetch_workspace_state(api_for(spot), spot)
            out += parse_state(decode(body, name), name)
        return out
    return read_state_file(source.location)


def expand(source: StateSource) -> list[StateSource]:
    """A tfe:// selection (tags, prefix) as one source per workspace it matches; others as they are."""
    if not is_tfe(source.location):
        return [source]
    location = parse_tfe_url(source.location)
    if not location.is_selection:
        return [source]
    names = select_workspaces(api_for(location), location)
    if not names:
        raise InputError(
            location.name(),
            "matches no workspace",
            "check the tags or prefix, and that the token can see them",
        )
    return [replace(source, location=location.of(name).url()) for name in names]


@dataclass
class Loaded:
    resources: list[Resource] = field(default_factory=list)
    read: list[str] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)


def load_sources(
    sources: Sequence[StateSource], session: boto3.Session, known_types: Collection[str] = ()
) -> Loaded:
    loaded = Loaded()
    several = len(sources) > 1
    for given in sources:
        source = given
        try:
            source = given.resolved()
            each = expand(source)
        except InputError as exc:
            if given.strict or not several:
                raise
            _not_read(loaded, source.name, exc)
            continue
        # The workspaces of a selection are several states: one not read is reported, not fatal.
        apart = several or len(each) > 1
        for one in each:
            try:
                resources = read_source(one, session, known_types)
            except InputError as exc:
                if given.strict or not apart:
                    raise
                _not_read(loaded, one.name, exc)
                continue
            loaded.resources.extend(resources)
            loaded.read.append(one.name)
    return loaded


def _not_read(loaded: Loaded, name: str, exc: InputError) -> None:
    log.warning("state not read: %s", exc)
    loaded.unreadable.append(Unreadable("state", name, _reason(exc)))


def _reason(exc: InputError) -> str:
    return f"{exc.problem}; {exc.fix}" if exc.fix else exc.problem
