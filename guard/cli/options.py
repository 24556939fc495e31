"""Option declarations shared by the commands: each flag is written once, here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from guard.aws import DEFAULT_MAX_ATTEMPTS
from guard.render import formats

if TYPE_CHECKING:
    from guard.alerting.metrics import Metrics
    from guard.alerting.watch import AlertSettings
    from guard.enrich.attribution import AttributionSettings
    from guard.rules.loader import RuleSet

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _all(*options: Decorator) -> Decorator:
    """Several options as one decorator, listed in --help in the order given."""

    def apply(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


def format_option(kind: str, text: str, default: str | None = None) -> Decorator:
    """`--format`: the formats the renderer registry has for this kind of report."""
    choices = formats(kind)
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices),
        default=default or choices[0],
        show_default=True,
        help=text,
    )


output_option = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the report to this file instead of standard output.",
)


def state_option(required: bool = False) -> Decorator:
    """`--state`, one declaration for every command that reads Terraform state."""
    where = (
        "a file, s3://BUCKET/KEY (read only), an http(s):// backend address (credentials from "
        "GUARD_STATE_AUTH), or HCP Terraform / Enterprise workspaces: tfe://ORG/WORKSPACE, "
        "tfe://ORG/?tags=TAG[,TAG] or tfe://ORG/?prefix=PREFIX (token from TFE_TOKEN or "
        "`terraform login`, host from TFE_ADDRESS)"
    )
    return click.option(
        "--state",
        "states",
        multiple=True,
        required=required,
        type=click.Path(),
        help=f"Terraform state (format version 4): {where}. Repeat for several states.",
    )


def region_option(text: str = "Default: the regions the state names, else AWS_REGION.") -> Decorator:
    return click.option(
        "--region", "regions", multiple=True, help=f"AWS region to read. Repeat for several. {text}".strip()
    )


service_option = click.option(
    "--service",
    "services",
    multiple=True,
    metavar="SERVICE",
    help="Read and compare only this AWS service's types (as `guard types` names the service: "
    "ec2, iam, s3, ...). Repeat for several. The state's resources of other services are not "
    "compared, and the report lists the types that were. Default: every service.",
)


def max_attempts_option(
    text: str = "Attempts per AWS call before a throttled or failing call marks the scan incomplete.",
) -> Decorator:
    return click.option(
        "--max-attempts",
        type=click.IntRange(1, 20),
        default=DEFAULT_MAX_ATTEMPTS,
        show_default=True,
        envvar="GUARD_MAX_ATTEMPTS",
        help=text,
    )


history_option = click.option(
    "--history",
    envvar="GUARD_HISTORY",
    help="Alert history: a SQLite file (default ~/.local/state/change-guard/history.sqlite3) "
    "or dynamodb://TABLE. Env: GUARD_HISTORY.",
)

rules_option = click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(exists=True),
    help="A folder of YAML rules to add to the built-in pack. Repeat for several.",
)


live_rules_option = click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    help="Also run rules on live state: the built-in pack plus this folder of YAML rules "
    "(`builtin` for the pack alone). Repeat for several folders.",
)


def load_rule_options(rule_dirs: tuple[str, ...]) -> RuleSet:
    """`--rules DIR` (repeatable): the built-in pack plus each folder; `builtin` names the pack."""
    from guard.rules.loader import load_rules

    return load_rules([folder for folder in rule_dirs if folder != "builtin"])


state_source_options = _all(
    # Where declared state comes from besides --state: Pulumi stacks and Terraform working dirs.
    click.option(
        "--pulumi-stack",
        "pulumi_stacks",
        multiple=True,
        type=click.Path(dir_okay=False),
        help="A `pulumi stack export` file (checkpoint version 3). Repeat for several.",
    ),
    click.option(
        "--pulumi-state",
        default="",
        envvar=["GUARD_PULUMI_STATE", "PULUMI_BACKEND_URL"],
        help="Pulumi self-managed backend: s3://BUCKET[/PREFIX] or a local backend folder; with --stack.",
    ),
    click.option(
        "--stack",
        "stacks",
        multiple=True,
        envvar="GUARD_STACK",
        help="Stack in --pulumi-state, as org/project/stack. Repeat for several.",
    ),
    click.option(
        "--tf-dir",
        "tf_dirs",
        multiple=True,
        type=click.Path(file_okay=False),
        help="Terraform working directory: read the state its backend block (s3, http, local, "
        "remote) or cloud block points at.",
    ),
    click.option(
        "--workspace",
        default="",
        envvar="GUARD_WORKSPACE",
        help="Terraform workspace of s3:// states and --tf-dir "
        "(default: TF_WORKSPACE, then the selected one).",
    ),
    click.option(
        "--workspace-key-prefix",
        default="",
        envvar="GUARD_WORKSPACE_KEY_PREFIX",
        help="The S3 backend's workspace_key_prefix for s3:// states (default env:).",
    ),
)

account_options = _all(
    # Many accounts: guard.toml, or account ids and a role to assume in each.
    click.option(
        "--config",
        default="",
        envvar="GUARD_CONFIG",
        type=click.Path(dir_okay=False),
        help="guard.toml with accounts, roles, regions, states and ignores (docs/config.md).",
    ),
    click.option(
        "--account",
        "accounts",
        multiple=True,
        help="Scan only this account (id or name from the config), or an account id to assume --role in.",
    ),
    click.option(
        "--role",
        default="",
        envvar="GUARD_ROLE",
        help="Role to assume in every account: a name (same in each) or an ARN.",
    ),
    click.option("--external-id", default="", envvar="GUARD_EXTERNAL_ID", help="External id for AssumeRole."),
    click.option(
        "--max-workers",
        type=click.IntRange(1, 64),
        default=None,
        envvar="GUARD_MAX_WORKERS",
        help="Accounts scanned at the same time (default 4).",
    ),
    click.option(
        "--session-name",
        default="",
        envvar="GUARD_SESSION_NAME",
        help="RoleSessionName of AssumeRole, as CloudTrail shows it (default change-guard).",
    ),
    click.option(
        "--progress/--no-progress",
        default=None,
        help="Progress bar over accounts (default: on a terminal only; plain lines otherwise).",
    ),
)

ATTRIBUTION_OPTIONS = ("attribute", "since", "lookback_days", "trail_bucket", "trail_prefix")

attribution_options = _all(
    # Who made each change (docs/attribution.md): on by default when alerting.
    click.option(
        "--attribute/--no-attribute",
        default=None,
        envvar="GUARD_ATTRIBUTE",
        help="Say who made each change, from CloudTrail (needs cloudtrail:LookupEvents; "
        "docs/attribution.md). Default: on with --notify slack, off otherwise.",
    ),
    click.option(
        "--since",
        type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ"]),
        help="Attribution window start (UTC), e.g. the last clean scan. Default: --lookback-days ago.",
    ),
    click.option(
        "--lookback-days",
        type=click.IntRange(1, 90),
        default=90,
        show_default=True,
        help="How far back attribution looks when --since is not given (CloudTrail keeps 90 days).",
    ),
    click.option(
        "--trail-bucket",
        help="Attribute from an (organisation) trail's log files in this S3 bucket instead of LookupEvents.",
    ),
    click.option(
        "--trail-prefix",
        default="AWSLogs/",
        show_default=True,
        help="Key prefix before the account id in --trail-bucket (an organisation trail: AWSLogs/o-xxxx/).",
    ),
)


def take_attribution(options: dict[str, Any], alerting: bool) -> AttributionSettings | None:
    """The attribution options, taken out of a command's keyword arguments: settings when on
    (--attribute, --trail-bucket, or by default when the run alerts), else None."""
    from guard.enrich.attribution import AttributionSettings

    values = {name: options.pop(name) for name in ATTRIBUTION_OPTIONS}
    wanted = values["attribute"]
    if wanted is False or (wanted is None and not alerting and not values["trail_bucket"]):
        return None
    return AttributionSettings(
        since=values["since"],
        lookback_days=values["lookback_days"],
        trail_bucket=values["trail_bucket"],
        trail_prefix=values["trail_prefix"],
    )


def is_alerting(alerting: dict[str, Any]) -> bool:
    return alerting.get("notify") == "slack"


ALERT_OPTIONS = (
    "lock_wait",
    "remind_after",
    "history",
    "slack_channel",
    "slack_token",
    "slack_webhook",
    "notify",
)

notify_options = _all(
    # Alerting flags shared by `scan` and `watch` (docs/slack.md); secrets never echoed.
    *reversed(
        (
            click.option(
                "--lock-wait",
                type=click.FloatRange(0, 3600),
                default=10.0,
                show_default=True,
                help="Seconds to wait for another run of the same scope before giving up (exit 3).",
            ),
            click.option(
                "--remind-after",
                default="24h",
                show_default=True,
                help="Remind about a finding still open after this long (e.g. 12h, 2d; 0 never).",
            ),
            history_option,
            click.option(
                "--slack-channel",
                envvar="GUARD_SLACK_CHANNEL",
                help="Channel for the bot token (name or id). Env: GUARD_SLACK_CHANNEL.",
            ),
            click.option(
                "--slack-token",
                envvar="SLACK_BOT_TOKEN",
                show_default=False,
                help="Slack bot token (xoxb-...); threads replies. Env: SLACK_BOT_TOKEN (preferred).",
            ),
            click.option(
                "--slack-webhook",
                envvar="GUARD_SLACK_WEBHOOK_URL",
                show_default=False,
                help="Slack incoming webhook URL. Env: GUARD_SLACK_WEBHOOK_URL (preferred).",
            ),
            click.option(
                "--notify",
                type=click.Choice(["slack", "none"]),
                default=None,
                help="Post new, still-open and resolved findings (deduplicated through --history).",
            ),
        )
    )
)


def take_alerting(options: dict[str, Any]) -> dict[str, Any]:
    """The alerting options, taken out of a command's other keyword arguments."""
    return {name: options.pop(name) for name in ALERT_OPTIONS}


def alert_settings(alerting: dict[str, Any], config_path: str = "") -> AlertSettings:
    """The alerting flags, completed by guard.toml (history store, channels) when --config is given."""
    from guard.alerting.watch import AlertSettings
    from guard.config import load_config

    config = load_config(config_path) if config_path else None
    return AlertSettings.from_options(**alerting, config=config)


def metrics_options(serve: bool = False) -> Decorator:
    """`--metrics-file` (and, on a command that keeps running, `--metrics-port`): docs/metrics.md."""
    file_option = click.option(
        "--metrics-file",
        type=click.Path(dir_okay=False),
        envvar="GUARD_METRICS_FILE",
        help="Write drift metrics for Prometheus to this file after each scan (the node_exporter "
        "textfile format, replaced atomically; docs/metrics.md). Env: GUARD_METRICS_FILE.",
    )
    if not serve:
        return file_option
    port_option = click.option(
        "--metrics-port",
        type=click.IntRange(1, 65535),
        envvar="GUARD_METRICS_PORT",
        help="Serve the same metrics on http://0.0.0.0:PORT/metrics while cycles run. "
        "Env: GUARD_METRICS_PORT.",
    )
    return _all(file_option, port_option)


def take_metrics(
    options: dict[str, Any], alerting: dict[str, Any] | None = None, watching: bool = False
) -> Metrics:
    """The metrics options, taken out of a command's keyword arguments. A run that keeps a history
    (`watch`, or `scan` with the `alerting` options of take_alerting asking for one) adds the
    time-to-detect and time-to-resolve histograms and the outbox from it."""
    from guard.alerting.metrics import Metrics

    keeps_history = watching or (
        alerting is not None
        and (alerting.get("notify") not in (None, "none") or bool(alerting.get("history")))
    )
    return Metrics(
        file=options.pop("metrics_file", None),
        port=options.pop("metrics_port", None),
        history=alerting.get("history") if alerting else None,
        reads_history=keeps_history,
    )
