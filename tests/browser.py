"""A real headless Chromium, driven over the DevTools protocol, to open a page as a person would.

Why the protocol and not Chromium's own flags: `--dump-dom` and `--screenshot` say nothing of
console errors or of requests the page makes, and `--enable-logging=stderr` mixes the page's
console with Chromium's own log lines in a format that changes between versions. The protocol
reports each console message, uncaught exception, dialog (an injected `alert`) and network
request as a typed event. websocket-client is the only addition (pure Python, a test extra);
Playwright is not used: it downloads its own browser builds.

The page is opened with the network cut off at the protocol level too (every request other than
the page's own file is recorded and failed), so a page that tried to fetch would both be
caught and not reach anything.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websocket


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageVisit:
    console: list[dict[str, Any]] = field(default_factory=list)  # every console message and log entry
    errors: list[str] = field(default_factory=list)  # console errors, uncaught exceptions
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    dialogs: list[str] = field(default_factory=list)  # alert/confirm/prompt opened (a script ran)
    text: str = ""  # document.body.innerText: what a person sees
    probes: dict[str, Any] = field(default_factory=dict)  # results of the expressions asked for
    screenshot: bytes = b""


class Browser:
    def __init__(self, binary: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="guard-chromium-")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
                "--disable-gpu",
                "--no-first-run",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}",
                "--window-size=1100,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = self._port()
        targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10).read())
        page = next(t for t in targets if t.get("type") == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self._next_id = 0
        self.page_url = ""
        self.events: list[dict[str, Any]] = []

    def _port(self) -> int:
        marker = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if marker.exists():
                lines = marker.read_text().splitlines()
                if lines and lines[0].isdigit():
                    return int(lines[0])
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.process.returncode} before it listened")
            time.sleep(0.05)
        raise RuntimeError("chromium did not open its DevTools port within 30 s")

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        wanted = self._next_id
        self.socket.settimeout(60)
        self.socket.send(json.dumps({"id": wanted, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            if "method" in message:
                self._handle(message)

    def _handle(self, message: dict[str, Any]) -> None:
        self.events.append(message)
        if message["method"] == "Fetch.requestPaused":  # the network is cut: fail every other request
            params = message["params"]
            if params["request"]["url"] == self.page_url:
                answer = {"method": "Fetch.continueRequest", "params": {"requestId": params["requestId"]}}
            else:
                answer = {
                    "method": "Fetch.failRequest",
                    "params": {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                }
            self.socket.send(json.dumps({"id": 0, **answer}))
        elif message["method"] == "Page.javascriptDialogOpening":
            self.socket.send(
                json.dumps({"id": 0, "method": "Page.handleJavaScriptDialog", "params": {"accept": True}})
            )

    def wait_for(self, method: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(e["method"] == method for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {method} within {timeout} s")
            self.socket.settimeout(max(0.1, deadline - time.monotonic()))
            message = json.loads(self.socket.recv())
            if "method" in message:
                self._handle(message)

    def drain(self, seconds: float) -> None:
        """Read the events that arrive in the next `seconds` (late requests, late errors)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.socket.settimeout(max(0.05, end - time.monotonic()))
            try:
                message = json.loads(self.socket.recv())
            except websocket.WebSocketTimeoutException:
                break
            if "method" in message:
                self._handle(message)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def visit(
        self,
        path: Path,
        probes: dict[str, str] | None = None,
        width: int = 1100,
        dark: bool = False,
        printed: bool = False,
    ) -> PageVisit:
        url = self.page_url = path.resolve().as_uri()
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.call(f"{domain}.enable")
        self.call("Fetch.enable", patterns=[{"urlPattern": "*"}])
        mobile = width < 600  # a phone: the viewport meta tag applies
        self.call(
            "Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1, mobile=mobile
        )
        scheme = "dark" if dark else "light"
        self.call(
            "Emulation.setEmulatedMedia",
            media="print" if printed else "",
            features=[{"name": "prefers-color-scheme", "value": scheme}],
        )
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        self.drain(0.5)
        visit = PageVisit()
        visit.text = str(self.evaluate("document.body.innerText"))
        height = int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)"))
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=min(height, 6000),
            deviceScaleFactor=1,
            mobile=mobile,
        )
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        visit.screenshot = base64.b64decode(shot["data"])  # before the probes: they may click
        visit.probes = {name: self.evaluate(expression) for name, expression in (probes or {}).items()}
        self.drain(0.2)
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled":
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                visit.console.append({"level": params.get("type"), "text": text})
                if params.get("type") in ("error", "assert"):
                    visit.errors.append(text)
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                visit.errors.append(
                    str(details.get("exception", {}).get("description") or details.get("text"))
                )
            elif method == "Log.entryAdded":
                entry = params.get("entry", {})
                visit.console.append({"level": entry.get("level"), "text": entry.get("text")})
                if entry.get("level") == "error":
                    visit.errors.append(str(entry.get("text")))
            elif method == "Network.requestWillBeSent" or method == "Fetch.requestPaused":
                visit.requests.append(params["request"]["url"])
            elif method == "Page.javascriptDialogOpening":
                visit.dialogs.append(str(params.get("message")))
        visit.requests = [u for u in dict.fromkeys(visit.requests) if u != url]
        return visit

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            shutil.rmtree(self.profile, ignore_errors=True)
