"""State kept by HCP Terraform or Terraform Enterprise, read through its API (JSON:API).

`tfe://ORG/WORKSPACE` is one workspace; `tfe://ORG/?tags=a,b` and `tfe://ORG/?prefix=app-`
select every workspace with those tags or that name prefix. For each, guard reads the
current state version and downloads its raw state: GETs only, never a lock or a run.

The token (TFE_TOKEN, TF_TOKEN_<host>, or Terraform's CLI credentials file) goes only to
the API host: a signed download URL on another host, or a redirect to one, is fetched
without it. No message or log line holds the token.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guard.errors import InputError
from guard.input_limits import check_size, max_state_bytes

log = logging.getLogger(__name__)

SCHEME = "tfe://"
DEFAULT_HOST = "app.terraform.io"
ADDRESS_ENV = "TFE_ADDRESS"
TOKEN_ENV = "TFE_TOKEN"
PAGE_SIZE = 100  # the API's largest page
MAX_ATTEMPTS = 5  # per request, when answered 429
MAX_WAIT_SECONDS = 60.0
HTTP_TIMEOUT_SECONDS = 30
JSON_API = "application/vnd.api+json"
_TOKEN_FIX = "set TFE_TOKEN (or TF_TOKEN_<host>), or run `terraform login`"


@dataclass(frozen=True)
class TfeLocation:
    """One workspace (`workspace`) or a selection (`tags` and/or `prefix`) in an organization."""

    organization: str
    workspace: str = ""
    tags: tuple[str, ...] = ()
    prefix: str = ""
    host: str = ""  # empty: TFE_ADDRESS, else app.terraform.io

    @property
    def is_selection(self) -> bool:
        return not self.workspace

    def name(self) -> str:
        """What a person sees: `tfe://ORG/NAME`, the host only when it is not the default."""
        host = f" (on {self.host})" if self.host and self.host != DEFAULT_HOST else ""
        if self.workspace:
            return f"{SCHEME}{self.organization}/{self.workspace}{host}"
        query = urllib.parse.urlencode(
            [(k, v) for k, v in (("tags", ",".join(self.tags)), ("prefix", self.prefix)) if v]
        )
        return f"{SCHEME}{self.organization}/?{query}{host}"

    def url(self) -> str:
        """The location string guard passes around (`--state` accepts it back)."""
        query = [("tags", ",".join(self.tags)), ("prefix", self.prefix), ("host", self.host)]
        encoded = urllib.parse.urlencode([(k, v) for k, v in query if v])
        return f"{SCHEME}{self.organization}/{self.workspace}" + (f"?{encoded}" if encoded else "")

    def of(self, workspace: str) -> TfeLocation:
        return TfeLocation(self.organization, workspace, host=self.host)


def is_tfe(location: str) -> bool:
    return location.startswith(SCHEME)


def parse_tfe_url(url: str) -> TfeLocation:
    parsed = urllib.parse.urlparse(url)
    fix = "pass --state tfe://ORG/WORKSPACE, tfe://ORG/?tags=TAG[,TAG] or tfe://ORG/?prefix=PREFIX"
    if parsed.scheme != "tfe" or not parsed.netloc:
        raise InputError(url.split("?", 1)[0], "is not a tfe://ORG/WORKSPACE address", fix)
    query = urllib.parse.parse_qs(parsed.query)
    unknown = sorted(set(query) - {"tags", "prefix", "host"})
    if unknown:
        raise InputError(url.split("?", 1)[0], f"has unknown parameter(s) {', '.join(unknown)}", fix)
    workspace = parsed.path.strip("/")
    if "/" in workspace:
        raise InputError(url.split("?", 1)[0], "names more than one workspace", fix)
    tags = tuple(t.strip() for value in query.get("tags", []) for t in value.split(",") if t.strip())
    prefix = query.get("prefix", [""])[0]
    host = query.get("host", [""])[0]
    if workspace and (tags or prefix):
        raise InputError(url.split("?", 1)[0], "names a workspace and a selection at once", fix)
    if not workspace and not tags and not prefix:
        raise InputError(url.split("?", 1)[0], "names no workspace and no tags or prefix", fix)
    return TfeLocation(parsed.netloc, workspace, tags, prefix, host)


# credentials -------------------------------------------------------------------------


def api_base(host: str = "", environ: Mapping[str, str] | None = None) -> str:
    """`https://HOST` for a host named by the location, else TFE_ADDRESS, else HCP Terraform."""
    env = os.environ if environ is None else environ
    if host:
        return host.rstrip("/") if "://" in host else f"https://{host}"
    return (env.get(ADDRESS_ENV) or f"https://{DEFAULT_HOST}").rstrip("/")


def _token_env_name(host: str) -> str:
    """Terraform's form: dots become underscores, dashes double underscores (TF_TOKEN_app_terraform_io)."""
    return "TF_TOKEN_" + host.replace("-", "__").replace(".", "_")


def credentials_file() -> Path:
    return Path.home() / ".terraform.d" / "credentials.tfrc.json"


def find_token(base: str, environ: Mapping[str, str] | None = None) -> str:
    """TFE_TOKEN, then TF_TOKEN_<host>, then what `terraform login` wrote for the host."""
    env = os.environ if environ is None else environ
    if env.get(TOKEN_ENV):
        return env[TOKEN_ENV]
    host = urllib.parse.urlparse(base).hostname or DEFAULT_HOST
    if env.get(_token_env_name(host)):
        return env[_token_env_name(host)]
    path = credentials_file()
    if path.is_file():
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            raise InputError(str(path), "is not valid JSON", "run `terraform login` again") from None
        entry = (document.get("credentials") or {}).get(host) if isinstance(document, dict) else None
        if isinstance(entry, dict) and isinstance(entry.get("token"), str) and entry["token"]:
            return str(entry["token"])
    return ""


# the API -----------------------------------------------------------------------------


class _KeepTokenOnHost(urllib.request.HTTPRedirectHandler):
    """urllib carries every header across a redirect; the token must not leave its host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if (
            new is not None
            and urllib.parse.urlparse(newurl).netloc != urllib.parse.urlparse(req.full_url).netloc
        ):
            new.remove_header("Authorization")
        return new


_OPENER = urllib.request.build_opener(_KeepTokenOnHost)


def retry_after_seconds(value: str | None, now: float | None = None) -> float:
    """Retry-After as seconds or an HTTP date; missing or unreadable: one second."""
    if not value:
        return 1.0
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return 1.0
    return max(0.0, when - (time.time() if now is None else now))


class TfeApi:
    """GET requests to one HCP Terraform / Terraform Enterprise host, 429 answered with back-off."""

    def __init__(
        self,
        base: str,
        token: str,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.base = base.rstrip("/")
        self.netloc = urllib.parse.urlparse(self.base).netloc
        self.token = token
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.calls = 0

    def mask(self, text: str) -> str:
        return text.replace(self.token, "***") if self.token else text

    def _request(self, url: str, source: str, accept: str) -> tuple[int, bytes]:
        """One GET, retried on 429; the token only when the URL is on the API's own host."""
        headers = {"Accept": accept}
        if urllib.parse.urlparse(url).netloc == self.netloc:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in range(1, self.max_attempts + 1):
            self.calls += 1
            request = urllib.request.Request(url, headers=headers)
            try:
                with _OPENER.open(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
                    body = bytes(response.read(max_state_bytes() + 1))
                    check_size(len(body), source)
                    return int(response.status), body
            except urllib.error.HTTPError as exc:
                if exc.code == 429 and attempt < self.max_attempts:
                    wait = min(retry_after_seconds(exc.headers.get("Retry-After")), MAX_WAIT_SECONDS)
                    log.info("%s: rate limited (HTTP 429), waiting %.0fs", source, wait)
                    self.sleep(wait)
                    continue
                return exc.code, bytes(exc.read(64 * 1024) or b"")
            except (urllib.error.URLError, OSError) as exc:
                reason = self.mask(str(getattr(exc, "reason", exc)))
                raise InputError(
                    source, f"cannot be reached ({reason})", f"check {ADDRESS_ENV} and the network"
                ) from None
        raise AssertionError("unreachable")  # the loop returns or raises

    def get_json(self, path_or_url: str, source: str, missing: str = "") -> dict[str, Any]:
        url = path_or_url if "://" in path_or_url else f"{self.base}{path_or_url}"
        status, body = self._request(url, source, JSON_API)
        if status == 200:
            try:
                document = json.loads(body)
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise InputError(source, "got an answer that is not JSON", f"check {ADDRESS_ENV}") from None
            if not isinstance(document, dict):
                raise InputError(
                    source, "got an answer that is not a JSON:API document", f"check {ADDRESS_ENV}"
                )
            return document
        raise self._error(status, body, source, missing)

    def _error(self, status: int, body: bytes, source: str, missing: str) -> InputError:
        title = _error_title(body)
        said = f": {self.mask(title)}" if title else ""
        if status == 401:
            return InputError(
                source, f"access denied (HTTP 401{said})", f"the token is wrong or expired: {_TOKEN_FIX}"
            )
        if status == 403:
            return InputError(
                source,
                f"access denied (HTTP 403{said})",
                "give the token's team read access to the workspace state",
            )
        if status == 404:
            # The API answers 404 also for what the token may not see.
            return InputError(
                source,
                missing or f"not found (HTTP 404{said})",
                "check the organization and workspace names, and that the token can read them",
            )
        if status == 429:
            return InputError(
                source, f"rate limited (HTTP 429) after {self.max_attempts} attempts", "run again later"
            )
        return InputError(source, f"cannot be read (HTTP {status}{said})", f"check {ADDRESS_ENV}")

    def download(self, url: str, source: str) -> bytes:
        status, body = self._request(url, source, "application/json")
        if status == 200:
            if not body:
                raise InputError(
                    source, "has an empty state download", "check the workspace's state versions"
                )
            return body
        if status in (401, 403) and urllib.parse.urlparse(url).netloc != self.netloc:
            raise InputError(
                source,
                f"state download refused (HTTP {status}): the signed URL may have expired",
                "run again",
            )
        raise self._error(status, body, source, "the state download is gone (HTTP 404)")


def _error_title(body: bytes) -> str:
    """`{"errors": [{"status": "401", "title": "unauthorized"}]}`: the first title (or detail)."""
    try:
        document = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return ""
    errors = document.get("errors") if isinstance(document, dict) else None
    if isinstance(errors, list) and errors:
        first = errors[0]
        if isinstance(first, dict):
            return str(first.get("title") or first.get("detail") or "")[:200]
        return str(first)[:200]
    return ""


def _quote(part: str) -> str:
    return urllib.parse.quote(part, safe="")


def select_workspaces(api: TfeApi, location: TfeLocation) -> list[str]:
    """The names of the workspaces a tags/prefix selection matches, every page read."""
    source = location.name()
    params: dict[str, str] = {"page[size]": str(PAGE_SIZE), "page[number]": "1"}
    if location.tags:
        params["search[tags]"] = ",".join(location.tags)
    if location.prefix:
        params["search[name]"] = location.prefix  # a fuzzy search: the prefix is checked below
    path = f"/api/v2/organizations/{_quote(location.organization)}/workspaces"
    url: str | None = f"{api.base}{path}?{urllib.parse.urlencode(params)}"
    names: list[str] = []
    seen_pages = 0
    while url:
        seen_pages += 1
        if seen_pages > 1000:
            raise InputError(source, "lists more than 1,000 pages of workspaces", "narrow the selection")
        document = api.get_json(url, source, "no such organization, or the token cannot see it (HTTP 404)")
        for item in _items(document):
            attributes = item.get("attributes") or {}
            name = str(attributes.get("name") or "")
            if not name or (location.prefix and not name.startswith(location.prefix)):
                continue
            tag_names = attributes.get("tag-names")
            if location.tags and isinstance(tag_names, list) and not set(location.tags) <= set(tag_names):
                continue
            names.append(name)
        url = _next_page(document, api, url)
    return sorted(set(names))


def _items(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    data = document.get("data")
    if isinstance(data, list):
        yield from (item for item in data if isinstance(item, dict))


def _next_page(document: dict[str, Any], api: TfeApi, current: str) -> str | None:
    """`links.next` when given (on the API's host only), else `meta.pagination.next-page`."""
    links = document.get("links") or {}
    following = links.get("next") if isinstance(links, dict) else None
    if isinstance(following, str) and following:
        absolute = urllib.parse.urljoin(current, following)
        if urllib.parse.urlparse(absolute).netloc == api.netloc:
            return absolute
    pagination = (document.get("meta") or {}).get("pagination") or {}
    page = pagination.get("next-page") if isinstance(pagination, dict) else None
    if isinstance(page, int) and not isinstance(page, bool):
        parsed = urllib.parse.urlparse(current)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        query["page[number]"] = str(page)
        return urllib.parse.urlunparse(parsed._replace(query=urllib.parse.urlencode(query)))
    return None


def fetch_workspace_state(api: TfeApi, location: TfeLocation) -> bytes:
    """The raw state (format version 4) of a workspace's current state version."""
    source = location.name()
    org, name = _quote(location.organization), _quote(location.workspace)
    workspace = api.get_json(
        f"/api/v2/organizations/{org}/workspaces/{name}",
        source,
        "no such workspace, or the token cannot see it (HTTP 404)",
    )
    data = workspace.get("data") or {}
    workspace_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(workspace_id, str) or not workspace_id:
        raise InputError(source, "got a workspace without an id", f"check {ADDRESS_ENV}")
    current = api.get_json(
        f"/api/v2/workspaces/{_quote(workspace_id)}/current-state-version",
        source,
        "has no state yet (no current state version)",
    )
    attributes = (current.get("data") or {}).get("attributes") or {}
    # hosted-json-state-download-url (Terraform 1.3+) is `terraform show -json`'s shape, not
    # the raw state guard reads; hosted-state-download-url is always there.
    url = attributes.get("hosted-state-download-url")
    if not isinstance(url, str) or not url:
        raise InputError(
            source,
            "has a current state version without a download URL (still being processed?)",
            "run again in a minute",
        )
    return api.download(urllib.parse.urljoin(api.base + "/", url), source)


def api_for(location: TfeLocation, environ: Mapping[str, str] | None = None) -> TfeApi:
    base = api_base(location.host, environ)
    token = find_token(base, environ)
    if not token:
        raise InputError(
            location.name(), "no API token for " + (urllib.parse.urlparse(base).hostname or base), _TOKEN_FIX
        )
    return TfeApi(base, token)
