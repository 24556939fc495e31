"""A local HCP Terraform API (JSON:API) on pytest-httpserver, answering with the platform's shapes.

Routes (GET only, as guard uses them):
  /api/v2/organizations/ORG/workspaces/NAME          show a workspace
  /api/v2/organizations/ORG/workspaces               list, `search[tags]`, `search[name]`,
                                                      `page[number]`/`page[size]`, meta.pagination
  /api/v2/workspaces/WS_ID/current-state-version     404 when the workspace has no state
and the state download, on this server (`/api/state-versions/SV/hosted_state`, as HCP Terraform
answers today) or on a second one standing for the signed archivist host.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

TOKEN = "atlasv1.s3cr3t-t0ken-value"
JSON_API = "application/vnd.api+json"


@dataclass
class Workspace:
    name: str
    tags: tuple[str, ...] = ()
    state: dict[str, Any] | None = None  # None: no current state version
    id: str = ""


@dataclass
class FakeTfe:
    """An organization's workspaces and states; `page_cap` keeps pages small so lists page."""

    api: HTTPServer
    organization: str = "acme"
    archivist: HTTPServer | None = None  # where signed downloads live; None: the API host
    redirect: bool = False  # the download URL is on the API host, which redirects to the archivist
    page_cap: int = 2
    rate_limited: int = 0  # answer this many requests 429 with Retry-After first
    workspaces: dict[str, Workspace] = field(default_factory=dict)
    requests: list[tuple[str, str, bool]] = field(default_factory=list)  # (host, path, had token)

    def add(self, name: str, state: dict[str, Any] | None, tags: tuple[str, ...] = ()) -> Workspace:
        workspace = Workspace(name, tags, state, f"ws-{len(self.workspaces) + 1:04d}abcdEFGH")
        self.workspaces[name] = workspace
        return workspace

    def install(self) -> FakeTfe:
        listing = f"/api/v2/organizations/{self.organization}/workspaces"
        self.api.expect_request(listing).respond_with_handler(self._list)
        self.api.expect_request(
            _prefix(f"/api/v2/organizations/{self.organization}/workspaces/")
        ).respond_with_handler(self._show)
        self.api.expect_request(_prefix("/api/v2/workspaces/")).respond_with_handler(self._current)
        self.api.expect_request(_prefix("/api/state-versions/")).respond_with_handler(self._download)
        if self.archivist is not None:
            self.archivist.expect_request(_prefix("/v1/object/")).respond_with_handler(self._download)
        return self

    # handlers ---------------------------------------------------------------------

    def _gate(self, request: Request) -> Response | None:
        """Rate limit first, then the token, as the platform does."""
        had_token = request.headers.get("Authorization") == f"Bearer {TOKEN}"
        self.requests.append((request.host, request.path, "Authorization" in request.headers))
        if self.rate_limited > 0:
            self.rate_limited -= 1
            return _errors(429, "Too many requests", headers={"Retry-After": "1"})
        if not had_token:
            return _errors(401, "unauthorized")
        return None

    def _list(self, request: Request) -> Response:
        if (answer := self._gate(request)) is not None:
            return answer
        tags = [t for t in request.args.get("search[tags]", "").split(",") if t]
        name = request.args.get("search[name]", "")
        size = min(int(request.args.get("page[size]", "20")), self.page_cap)
        number = int(request.args.get("page[number]", "1"))
        matching = [
            w
            for w in sorted(self.workspaces.values(), key=lambda w: w.name)
            if set(tags) <= set(w.tags) and name in w.name  # search[name] is a substring search
        ]
        pages = max(1, -(-len(matching) // size))
        shown = matching[(number - 1) * size : number * size]
        base = f"{self.api.url_for('')}api/v2/organizations/{self.organization}/workspaces"

        def page_link(n: int | None) -> str | None:
            if n is None:
                return None
            query = {**request.args.to_dict(), "page[number]": str(n), "page[size]": str(size)}
            return f"{base}?{urllib.parse.urlencode(query)}"

        following = number + 1 if number < pages else None
        previous = number - 1 if number > 1 else None
        document = {
            "data": [self._workspace(w) for w in shown],
            "links": {
                "self": page_link(number),
                "first": page_link(1),
                "prev": page_link(previous),
                "next": page_link(following),
                "last": page_link(pages),
            },
            "meta": {
                "status-counts": {"total": len(matching)},
                "pagination": {
                    "current-page": number,
                    "page-size": size,
                    "prev-page": previous,
                    "next-page": following,
                    "total-pages": pages,
                    "total-count": len(matching),
                },
            },
        }
        return _json(document)

    def _show(self, request: Request) -> Response:
        if (answer := self._gate(request)) is not None:
            return answer
        name = urllib.parse.unquote(request.path.rsplit("/", 1)[-1])
        workspace = self.workspaces.get(name)
        if workspace is None:
            return _errors(404, "not found")
        return _json({"data": self._workspace(workspace)})

    def _current(self, request: Request) -> Response:
        if (answer := self._gate(request)) is not None:
            return answer
        parts = request.path.split("/")  # /api/v2/workspaces/WS/current-state-version
        workspace = next((w for w in self.workspaces.values() if w.id == parts[4]), None)
        if workspace is None or parts[5:] != ["current-state-version"] or workspace.state is None:
            return _errors(404, "not found")
        version = f"sv-{workspace.id[3:]}"
        if self.archivist is not None and not self.redirect:
            # A signed URL: the signature in the path and query, no token needed (or wanted).
            download = self.archivist.url_for(f"/v1/object/dmF1bHQ6djE6{version}?signature=c2lnbmVk")
        else:
            download = self.api.url_for(f"/api/state-versions/{version}/hosted_state")
        state = workspace.state
        return _json(
            {
                "data": {
                    "id": version,
                    "type": "state-versions",
                    "attributes": {
                        "created-at": "2026-11-30T09:12:44.123Z",
                        "size": len(json.dumps(state)),
                        "hosted-state-download-url": download,
                        "hosted-json-state-download-url": None,
                        "modules": {"root": {"aws-instance": 1}},
                        "providers": {'provider["registry.terraform.io/hashicorp/aws"]': {}},
                        "resources": [],
                        "resources-processed": True,
                        "serial": state.get("serial", 1),
                        "state-version": state.get("version", 4),
                        "status": "finalized",
                        "terraform-version": state.get("terraform_version", "1.9.8"),
                        "vcs-commit-url": None,
                        "vcs-commit-sha": None,
                    },
                    "relationships": {
                        "run": {"data": {"id": "run-5Ex7LGbSp3zLgqEE", "type": "runs"}},
                        "created-by": {"data": {"id": "user-tCdBXrPbGv6JMcC2", "type": "users"}},
                        "outputs": {"data": []},
                    },
                    "links": {"self": f"/api/v2/state-versions/{version}"},
                }
            }
        )

    def _download(self, request: Request) -> Response:
        on_api = request.host == urllib.parse.urlparse(self.api.url_for("")).netloc
        self.requests.append((request.host, request.path, "Authorization" in request.headers))
        if on_api and request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return _errors(401, "unauthorized")
        version = request.path.split("/")[-2] if on_api else request.path.rsplit("/", 1)[-1][12:]
        if on_api and self.redirect and self.archivist is not None:
            signed = self.archivist.url_for(f"/v1/object/dmF1bHQ6djE6{version}?signature=c2lnbmVk")
            return Response(status=307, headers={"Location": signed})
        for workspace in self.workspaces.values():
            if workspace.state is not None and f"sv-{workspace.id[3:]}" == version:
                return Response(json.dumps(workspace.state), content_type="application/json")
        return Response("not found", status=404)

    def _workspace(self, workspace: Workspace) -> dict[str, Any]:
        return {
            "id": workspace.id,
            "type": "workspaces",
            "attributes": {
                "name": workspace.name,
                "auto-apply": False,
                "created-at": "2026-01-12T10:00:00.000Z",
                "execution-mode": "remote",
                "locked": False,
                "resource-count": 9,
                "tag-names": list(workspace.tags),
                "terraform-version": "1.9.8",
                "working-directory": "",
            },
            "relationships": {
                "organization": {"data": {"id": self.organization, "type": "organizations"}},
                "current-state-version": {
                    "data": {"id": f"sv-{workspace.id[3:]}", "type": "state-versions"}
                    if workspace.state is not None
                    else None
                },
            },
            "links": {"self": f"/api/v2/organizations/{self.organization}/workspaces/{workspace.name}"},
        }


def _prefix(path: str) -> Any:
    import re

    return re.compile("^" + re.escape(path) + ".*")


def _json(document: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(document), status=status, content_type=JSON_API)


def _errors(status: int, title: str, headers: dict[str, str] | None = None) -> Response:
    response = _json({"errors": [{"status": str(status), "title": title}]}, status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
