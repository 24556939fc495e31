"""`guard serve`: the Slack app behind the alert buttons and `/guard status` (docs/slack-app.md)."""

from __future__ import annotations

import signal
import threading
from typing import Any

import click

from guard.cli.exits import EXIT_CLEAN
from guard.cli.options import history_option, max_attempts_option, region_option, state_option
from guard.errors import InputError


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every one)."
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=3000, show_default=True, help="Port to listen on."
)
@history_option
@click.option(
    "--config",
    default="",
    envvar="GUARD_CONFIG",
    type=click.Path(dir_okay=False),
    help="guard.toml: [slack.approvers], [slack] rollback_role, per-account channels (docs/slack-app.md).",
)
@state_option()
@region_option("Regions a rollback from Slack reads and re-scans. Default: the finding's region.")
@click.option(
    "--rollback-role",
    default="",
    envvar="GUARD_ROLLBACK_ROLE",
    help="Role ARN a rollback from Slack assumes (never the reader role). Default: [slack] rollback_role.",
)
@max_attempts_option("Attempts per AWS call of a rollback from Slack.")
def serve(
    host: str,
    port: int,
    history: str | None,
    config: str,
    states: tuple[str, ...],
    regions: tuple[str, ...],
    rollback_role: str,
    max_attempts: int,
) -> int:
    """Serve Slack's interactivity and slash command at /slack/events (Acknowledge, Snooze,
    Accept as intended, Roll back, `/guard status`).

    Needs SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN in the environment. Requests with a bad
    signature, a timestamp over 5 minutes old, or seen before get 401. Stops on SIGTERM or
    Ctrl-C.
    """
    from guard.alerting.history import open_history
    from guard.alerting.server import (
        RollbackSetup,
        ServeSettings,
        build_app,
        check_rollback_role,
        make_http_server,
    )
    from guard.config import Config, load_config

    loaded = load_config(config) if config else Config()
    role = rollback_role or loaded.rollback_role
    if role and not role.startswith("arn:"):
        raise InputError(
            "--rollback-role", f"{role!r} is not a role ARN", "pass arn:aws:iam::ACCOUNT:role/NAME"
        )
    check_rollback_role(role, loaded)
    store = open_history(history or loaded.history_store or None)
    channels = {a.id: a.slack_channel for a in loaded.accounts if a.slack_channel}
    settings = ServeSettings.from_environment(
        store,
        approvers=loaded.approvers,
        channels=channels,
        rollback=RollbackSetup(
            states=states or tuple(s for a in loaded.accounts for s in a.states),
            regions=regions,
            role_arn=role,
            external_id=loaded.external_id,
            max_attempts=max_attempts,
        ),
    )
    if loaded.approvers.empty:
        click.echo(
            "guard: serve: no [slack.approvers]: Accept and Roll back are refused to everyone", err=True
        )
    server = make_http_server(build_app(settings), host, port)
    address, bound = server.server_address[:2]
    click.echo(f"guard: serve: listening on http://{address!s}:{bound}/slack/events", err=True)

    def stop(*_: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        store.close()
    return EXIT_CLEAN
