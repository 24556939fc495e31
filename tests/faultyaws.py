"""An HTTP front for moto that breaks chosen (service, region) pairs the way AWS does.

boto3 is pointed at the front (`AWS_ENDPOINT_URL`); each request is read, its service and
region taken from the SigV4 credential scope, and either forwarded to moto or answered
with a fault: an error in the service's own wire protocol (AccessDenied, throttling, a
region that is not enabled), or a connection dropped without an answer.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import botocore.session

SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")


@dataclass(frozen=True)
class Fault:
    status: int  # HTTP status; 0 drops the connection without an answer
    code: str = ""
    message: str = ""
    after: int = 0  # let this many requests through first (a failure mid-scan)
    operation: str = ""  # only this API operation (e.g. EnableEnhancedMonitoring); "" every one
    times: int = 0  # answer with the fault this many times, then forward again; 0: always


ACCESS_DENIED = Fault(403, "AccessDenied", "User is not authorized to perform this action")
THROTTLED = Fault(400, "Throttling", "Rate exceeded")
DROPPED = Fault(0, after=1)


def region_disabled(service: str) -> Fault:
    """How AWS answers a call to a region that is not enabled for the account."""
    code = {"ec2": "AuthFailure"}.get(service, "UnrecognizedClientException")
    return Fault(401, code, "The security token included in the request is invalid")


_PROTOCOLS: dict[str, str] = {}
# Signing names that are not the boto3 service name.
_SERVICE = {"elasticloadbalancing": "elbv2", "monitoring": "cloudwatch"}


def _protocol(service: str) -> str:
    if service not in _PROTOCOLS:
        model = botocore.session.get_session().get_service_model(_SERVICE.get(service, service))
        _PROTOCOLS[service] = str(model.metadata["protocol"])
    return _PROTOCOLS[service]


def error_body(service: str, fault: Fault) -> tuple[dict[str, str], bytes]:
    """An error answer in the service's protocol, as botocore's parsers read it."""
    protocol = _protocol(service)
    if protocol in ("json", "rest-json"):
        body = json.dumps({"__type": fault.code, "message": fault.message}).encode()
        return {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": fault.code}, body
    if protocol == "ec2":
        text = (
            f"<Response><Errors><Error><Code>{fault.code}</Code><Message>{fault.message}</Message>"
            "</Error></Errors><RequestID>fault</RequestID></Response>"
        )
    elif protocol == "query":
        text = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{fault.code}</Code>"
            f"<Message>{fault.message}</Message></Error><RequestId>fault</RequestId></ErrorResponse>"
        )
    else:  # rest-xml
        text = f"<Error><Code>{fault.code}</Code><Message>{fault.message}</Message></Error>"
    return {"Content-Type": "text/xml"}, text.encode()


def _operation(handler: BaseHTTPRequestHandler, body: bytes) -> str:
    """The API operation a request calls: the JSON protocols' X-Amz-Target, the query
    protocols' Action (REST protocols name it by path and are not told apart here)."""
    target = handler.headers.get("X-Amz-Target") or ""
    if target:
        return target.rsplit(".", 1)[-1]
    action = re.search(rb"(?:^|&)Action=([A-Za-z]+)", body)
    return action.group(1).decode() if action else ""


@dataclass
class FaultyAws:
    """Forwards to `upstream` (moto) except where `faults[(service, region)]` says otherwise;
    a region of "*" matches every region."""

    upstream: str
    faults: dict[tuple[str, str], Fault] = field(default_factory=dict)
    seen: Counter[tuple[str, str]] = field(default_factory=Counter)  # requests per (service, region)
    faulted: Counter[tuple[str, str]] = field(default_factory=Counter)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FaultyAws:
        front = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                front._answer(self, body)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _fault_for(self, service: str, region: str) -> Fault | None:
        return (
            self.faults.get((service, region))
            or self.faults.get((service, "*"))
            or self.faults.get(("*", region))
        )

    def _answer(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        match = SCOPE.search(handler.headers.get("Authorization") or "")
        service, region = (match.group(2), match.group(1)) if match else ("", "")
        self.seen[(service, region)] += 1
        fault = self._fault_for(service, region)
        if fault is not None and fault.operation and _operation(handler, body) != fault.operation:
            fault = None
        if fault is not None and fault.times and self.faulted[(service, region)] >= fault.times:
            fault = None
        if fault is not None and self.seen[(service, region)] > fault.after:
            self.faulted[(service, region)] += 1
            if fault.status == 0:
                handler.close_connection = True
                handler.connection.close()
                return
            headers, payload = error_body(service, fault)
            handler.send_response(fault.status)
            for name, value in {**headers, "Content-Length": str(len(payload))}.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(payload)
            return
        self._forward(handler, body)

    def _forward(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        target = urlsplit(self.upstream)
        connection = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port, timeout=60)
        try:
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("connection",)}
            connection.request(handler.command, handler.path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            handler.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in (
                    "transfer-encoding",
                    "connection",
                    "content-length",
                    "date",
                    "server",
                ):
                    handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(payload)
        finally:
            connection.close()
