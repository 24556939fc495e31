"""An embedded AWS emulator: moto's server on 127.0.0.1, the boto3 chain pointed at it.

Used by `guard demo` and by the tests. moto is imported only when a server starts, so a
plain `pip install change-guard` (without the demo extra) never needs it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import urllib.request
from collections.abc import Iterator
from typing import Any

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


@contextlib.contextmanager
def moto_server(region: str = "us-east-1") -> Iterator[str]:
    """Start moto's server on 127.0.0.1 (a free port), empty, and point the boto3 chain at it."""
    with running_emulator() as endpoint, pointed_at(endpoint, region):
        reset_emulator(endpoint)
        yield endpoint


@contextlib.contextmanager
def running_emulator() -> Iterator[str]:
    """moto's server on 127.0.0.1 (a free port) until the block ends; yields its endpoint."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:  # the demo extra is not installed
        from guard.errors import InputError

        raise InputError(
            "guard demo",
            "needs the AWS emulator",
            "install it with: pip install 'change-guard[demo]'",
        ) from exc
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def reset_emulator(endpoint: str) -> None:
    """Empty every emulated service: moto keeps its AWS in process-wide memory."""
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")).close()


@contextlib.contextmanager
def pointed_at(endpoint: str, region: str) -> Iterator[None]:
    """Point the boto3 chain (fake credentials, endpoint, region) at the emulator until the block ends."""
    saved = {
        key: os.environ.get(key) for key in (*FAKE_CREDENTIALS, "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION")
    }
    os.environ.update(FAKE_CREDENTIALS, AWS_ENDPOINT_URL=endpoint, AWS_DEFAULT_REGION=region)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def machine_image(ec2: Any) -> str:
    """An Amazon Linux image id from the emulator's catalogue, asked for by name: the whole
    catalogue is over a thousand images and takes seconds to describe."""
    named = ec2.describe_images(
        Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*-x86_64-gp2"]}]
    )["Images"]
    images = named or ec2.describe_images(Owners=["amazon"])["Images"]
    return str(images[0]["ImageId"])
