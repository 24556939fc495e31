"""What one `guard scan` reads, from its flags and guard.toml, turned into one Report."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from guard.aws import Clients, new_session
from guard.config import AccountConfig, Config, apply_ignores, load_config
from guard.errors import InputError
from guard.live import REGISTRY
from guard.live.types import Registry
from guard.model import Report, Unreadable
from guard.pipeline.accounts import Target, known_types, role_arn
from guard.state.sources import (
    Loaded,
    StateSource,
    load_sources,
    pulumi_source,
    terraform_source,
    tf_dir_source,
)

if TYPE_CHECKING:
    import boto3

    from guard.enrich.attribution import AttributionSettings
    from guard.rules.loader import RuleSet


@dataclass(frozen=True)
class ScanOptions:
    states: tuple[str, ...] = ()
    pulumi_stacks: tuple[str, ...] = ()
    pulumi_state: str = ""
    stacks: tuple[str, ...] = ()
    tf_dirs: tuple[str, ...] = ()
    workspace: str = ""
    workspace_key_prefix: str = ""
    regions: tuple[str, ...] = ()
    max_attempts: int = 8
    config: str = ""
    accounts: tuple[str, ...] = ()  # ids or names (from guard.toml), or ids to assume --role in
    role: str = ""
    external_id: str = ""
    max_workers: int | None = None
    session_name: str = ""
    progress: bool | None = None  # None: a bar on a terminal, plain lines otherwise
    rules: RuleSet | None = None  # `--rules`; else the config's rules folders
    attribution: AttributionSettings | None = None
    services: tuple[str, ...] = ()  # `--service`: read only these services' types


def scope_sources(options: ScanOptions) -> list[str]:
    """Everything an alerting run reads, for its history scope (guard.alerting.cycle.scope_of): a run
    resolves only findings of its own scope, so two runs over different sources must not share
    one. With --state alone this is the states, as before, so existing histories keep their scope."""
    items = list(options.states)
    items += [f"tf-dir://{os.path.abspath(d)}" for d in options.tf_dirs]
    items += [f"pulumi-stack://{os.path.abspath(p)}" for p in options.pulumi_stacks]
    items += [f"pulumi://{options.pulumi_state} {stack}" for stack in options.stacks]
    if options.workspace or options.workspace_key_prefix:
        items.append(f"workspace://{options.workspace_key_prefix}/{options.workspace}")
    if options.config:
        items.append(f"config://{os.path.abspath(options.config)}")
    items += [f"account://{account}" for account in options.accounts]
    return items


def command_line_sources(options: ScanOptions) -> list[StateSource]:
    sources = [terraform_source(s, options.workspace, options.workspace_key_prefix) for s in options.states]
    sources += [tf_dir_source(d, options.workspace) for d in options.tf_dirs]
    sources += [pulumi_source(p) for p in options.pulumi_stacks]
    if options.stacks and not options.pulumi_state:
        raise InputError(
            "--stack", "needs --pulumi-state (the backend URL)", "pass --pulumi-state s3://BUCKET"
        )
    if options.pulumi_state and not options.stacks:
        raise InputError("--pulumi-state", "needs --stack org/project/stack", "pass --stack")
    sources += [pulumi_source(options.pulumi_state, stack) for stack in options.stacks]
    return sources


def account_sources(account: AccountConfig) -> list[StateSource]:
    """States named in guard.toml are read in unattended runs: a bad one is reported, not fatal."""
    sources = [terraform_source(s, account.workspace, strict=False) for s in account.states]
    sources += [tf_dir_source(d, account.workspace, strict=False) for d in account.tf_dirs]
    sources += [pulumi_source(p, strict=False) for p in account.pulumi_stacks]
    sources += [pulumi_source(p.backend, p.stack, strict=False) for p in account.pulumi]
    return sources


@dataclass
class Resolved:
    """The accounts a run scans, and what the organisation walk skipped or could not read."""

    targets: list[Target]
    notes: list[str]
    unreadable: list[Unreadable]


def build_targets(
    options: ScanOptions, config: Config | None, session: boto3.Session | None = None
) -> list[Target]:
    return resolve_targets(options, config, session).targets


def organization_targets(
    options: ScanOptions, config: Config, session: boto3.Session, extra: list[StateSource]
) -> Resolved:
    """[organization]: every ACTIVE account it selects, found now; [[accounts]] entries win."""
    from guard.pipeline.organization import discover, role_for, state_urls

    settings = config.organization
    assert settings is not None
    found = discover(session, settings)
    configured = {a.id for a in config.accounts}
    chosen = set(options.accounts)
    role = options.role or settings.role or config.role
    targets = []
    for account in found.accounts:
        if account.id in configured:
            continue
        if chosen and account.id not in chosen and account.name not in chosen:
            continue
        regions = options.regions or settings.regions or config.regions
        urls = state_urls(account, settings, regions)
        targets.append(
            Target(
                account_id=account.id,
                name=account.name,
                role_arn=role_arn(role_for(account, role), account.id),
                external_id=options.external_id or settings.external_id or config.external_id,
                regions=regions,
                sources=tuple([terraform_source(u, strict=False) for u in urls] + extra),
                slack_channel=config.slack_channel,
                calls_per_second=settings.calls_per_second,
            )
        )
    if not targets and not found.unreadable and not config.accounts:
        skipped = f" ({len(found.notes)} skipped: not ACTIVE)" if found.notes else ""
        raise InputError(
            config.path,
            f"[organization] selects no ACTIVE account{skipped}",
            "check include_ous, exclude_ous, include_tags, exclude_tags and --account",
        )
    return Resolved(targets, list(found.notes), list(found.unreadable))


def resolve_targets(
    options: ScanOptions, config: Config | None, session: boto3.Session | None = None
) -> Resolved:
    """The one way scan, watch and on-event turn --account, [[accounts]] and [organization] into
    targets."""
    extra = command_line_sources(options)
    org = Resolved([], [], [])
    if config is not None and config.organization is not None:
        org = organization_targets(options, config, session or new_session(), extra)
    role = options.role or (config.role if config else "")
    external_id = options.external_id or (config.external_id if config else "")
    default_regions = options.regions or (config.regions if config else ())
    targets: list[Target] = []
    chosen = set(options.accounts)
    configured = config.accounts if config else ()
    for account in configured:
        if chosen and account.id not in chosen and account.name not in chosen:
            continue
        targets.append(
            Target(
                account_id=account.id,
                name=account.name,
                role_arn=role_arn(account.role or role, account.id),
                external_id=account.external_id or external_id,
                regions=options.regions or account.regions or default_regions,
                sources=tuple(account_sources(account) + extra),
                slack_channel=account.slack_channel or (config.slack_channel if config else ""),
            )
        )
    targets += org.targets
    known = {a.id for a in configured} | {a.name for a in configured if a.name}
    known |= {t.account_id for t in org.targets} | {t.name for t in org.targets if t.name}
    for wanted in options.accounts:
        if wanted in known:
            continue
        if not (wanted.isdigit() and len(wanted) == 12):
            problem = (
                f"{wanted!r} is not an account in {config.path}"
                if config
                else f"{wanted!r} is not an account id"
            )
            raise InputError("--account", problem, "pass a 12-digit id or a name from the config")
        if not role:
            raise InputError("--account", f"{wanted} needs a role to assume", "pass --role NAME_OR_ARN")
        if not extra:
            raise InputError(
                "--account", f"{wanted} has no state", "pass --state, --tf-dir or --pulumi-stack"
            )
        targets.append(Target(wanted, "", role_arn(role, wanted), external_id, default_regions, tuple(extra)))
    if not targets and not (config and config.organization):
        raise InputError(config.path if config else "--account", "selects no account", "check --account")
    return Resolved(targets, org.notes, org.unreadable)


def read_states(
    states: Sequence[str], session: boto3.Session | None = None, registry: Registry = REGISTRY
) -> Loaded:
    """Terraform states named by path or URL (local, s3://, https://), read the one way
    (guard.state.sources): a local file that cannot be read stops the run."""
    sources = [terraform_source(state) for state in states]
    return load_sources(sources, session or new_session(), known_types(registry))


def scan_states(
    states: Sequence[str],
    regions: Sequence[str],
    clients: Clients,
    registry: Registry = REGISTRY,
    rules: RuleSet | None = None,
    attribution: AttributionSettings | None = None,
) -> Report:
    """`scan` over Terraform states named by path or URL, read with the clients' own session."""
    from guard.pipeline.scan import scan

    loaded = read_states(states, clients.session, registry)
    return scan(
        loaded.resources,
        regions,
        clients,
        registry,
        rules=rules,
        attribution=attribution,
        sources=loaded.read,
        unreadable=loaded.unreadable,
    )


def run_scan(options: ScanOptions, session: boto3.Session | None = None) -> Report:
    from guard.pipeline.accounts import Progress, scan_accounts
    from guard.pipeline.scan import scan

    session = session or new_session()
    config = load_config(options.config) if options.config else None
    if options.services:
        REGISTRY.of_services(options.services)  # an unknown service: one line, before any account
    if config is None and not options.accounts:
        sources = command_line_sources(options)
        if not sources:
            raise InputError(
                "guard scan",
                "no state to compare with",
                "pass --state, --tf-dir, --pulumi-stack, --pulumi-state with --stack, or --config",
            )
        clients = Clients(session, max_attempts=options.max_attempts)
        loaded = load_sources(sources, session, known_types(REGISTRY))
        return scan(
            loaded.resources,
            options.regions,
            clients,
            rules=options.rules,
            attribution=options.attribution,
            sources=loaded.read,
            unreadable=loaded.unreadable,
            services=options.services,
        )
    resolved = resolve_targets(options, config, session)
    targets = resolved.targets
    rules = options.rules
    if rules is None and config and config.rules_folders:
        from guard.rules.loader import load_rules

        rules = load_rules(list(config.rules_folders))
    workers = options.max_workers or (
        config.organization.workers if config and config.organization else config.max_workers if config else 4
    )
    report = scan_accounts(
        targets,
        session,
        options.max_attempts,
        workers=workers,
        session_name=options.session_name or (config.session_name if config else "change-guard"),
        progress=Progress(len(targets), bar=options.progress),
        rules=rules,
        attribution=options.attribution,
        failed=resolved.unreadable,
        services=options.services,
    )
    if resolved.notes:
        report = replace(report, notes=tuple(resolved.notes) + report.notes)
    if config and config.ignores:
        filtered = apply_ignores(report.findings, config.ignores)
        report = replace(report, findings=filtered.findings, notes=report.notes + filtered.notes)
    return report
