"""boto3 clients from the standard credential chain, with retries that say when they give up."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from guard.errors import AwsAccessError, InputError

if TYPE_CHECKING:
    import boto3

    from guard.ratelimit import TokenBucket

DEFAULT_MAX_ATTEMPTS = 8

# botocore reads its endpoint and service-model JSON once per session (most of a
# second); one loader shared by every session guard opens reads each file once.
_SHARED_LOADER: Any = None
_LOADER_LOCK = threading.Lock()


def new_session(**kwargs: Any) -> boto3.Session:
    """A boto3 session from the standard chain (or the given credentials), with the shared loader.

    boto3 is imported here, on first use, not with guard: `guard --version`, `--help` and
    an event guard ignores never pay for it.
    """
    global _SHARED_LOADER
    import boto3
    import botocore.loaders
    import botocore.session

    with _LOADER_LOCK:
        if _SHARED_LOADER is None:
            _SHARED_LOADER = botocore.loaders.create_loader()
    core = botocore.session.get_session()
    core.register_component("data_loader", _SHARED_LOADER)
    return boto3.Session(botocore_session=core, **kwargs)


# The error codes botocore's retry handler treats as throttling (botocore.retries.standard).
THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "RequestThrottled",
        "SlowDown",
        "EC2ThrottledException",
    }
)


class Clients:
    """One boto3 session; clients cached per (service, region), safe to share across threads.

    Credentials and endpoints come from the standard chain (profiles, environment,
    roles, `AWS_ENDPOINT_URL`), nothing of our own.
    """

    def __init__(
        self,
        session: boto3.Session | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        max_pool_connections: int = 32,
        limiter: TokenBucket | None = None,
    ) -> None:
        self._session = session
        self.limiter = limiter  # every request of every client waits for its token
        self.max_attempts = max_attempts
        self.max_pool_connections = max_pool_connections
        self._config: Any = None
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self._session_lock = threading.Lock()
        self.requests_sent = 0  # HTTP round trips to AWS, retries included
        self.throttled = 0  # of those, answered "slow down" (retried, or the call given up)

    @property
    def session(self) -> boto3.Session:
        """The boto3 session, opened on first use (an event guard ignores never opens one)."""
        if self._session is None:
            with self._session_lock:
                if self._session is None:
                    self._session = new_session()
        return self._session

    @property
    def config(self) -> Any:
        """Retries and pool size of every client (botocore.config.Config), built on first use."""
        if self._config is None:
            from botocore.config import Config

            self._config = Config(
                retries={"mode": "adaptive", "max_attempts": self.max_attempts},
                max_pool_connections=self.max_pool_connections,
                user_agent_extra="change-guard",
            )
        return self._config

    def _count(self, **_: Any) -> None:
        with self._lock:
            self.requests_sent += 1

    def _count_throttled(self, parsed_response: Any = None, response_dict: Any = None, **_: Any) -> None:
        status = response_dict.get("status_code") if isinstance(response_dict, dict) else None
        code = (
            (parsed_response or {}).get("Error", {}).get("Code")
            if isinstance(parsed_response, dict)
            else None
        )
        if status == 429 or code in THROTTLING_CODES:
            with self._lock:
                self.throttled += 1

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        with self._lock:
            if key not in self._clients:
                client = self.session.client(service, region_name=region, config=self.config)
                client.meta.events.register("before-send.*", self._count)
                client.meta.events.register("response-received.*", self._count_throttled)
                if self.limiter is not None:
                    client.meta.events.register("before-send.*", self.limiter.hook)
                self._clients[key] = client
            return self._clients[key]

    def default_region(self) -> str | None:
        return self.session.region_name

    def account_id(self, region: str) -> str:
        """The account the credentials belong to; fails the run clearly when there are none."""
        try:
            return str(self.client("sts", region).get_caller_identity()["Account"])
        except NoCredentialsError:
            raise InputError(
                "AWS credentials",
                "none found",
                "set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run on a role",
            ) from None
        except (ClientError, BotoCoreError) as exc:
            raise AwsAccessError(f"cannot tell which AWS account this is: {short_error(exc)}") from None


# botocore (and urllib3 under it) log every request and response body at DEBUG.
_WIRE_LOGGERS = ("botocore", "urllib3")


@contextlib.contextmanager
def wire_logs_off() -> Iterator[None]:
    """For a call whose answer is a secret (Secrets Manager's GetSecretValue): botocore's DEBUG
    lines would print the response body to whatever handler a Lambda or a user set up."""
    loggers = [logging.getLogger(name) for name in _WIRE_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def short_error(exc: BaseException) -> str:
    """One line about an AWS failure, never the request (which may carry secrets)."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = error.get("Code", "Error")
        message = str(error.get("Message", "")).strip().splitlines()
        first = message[0][:200] if message else ""  # an HTML error page is not one line
        return f"{code}: {first}" if first else str(code)
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"{type(exc).__name__}: {text}"
