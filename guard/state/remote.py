"""State that lives elsewhere: Terraform's S3 and HTTP backends, Pulumi's self-managed S3 backend.

Read only, always: guard never writes or locks a backend. Every failure is an
InputError naming the state (never a URL's credentials), which the caller turns into
one line or, in a run over several states, into a state reported as not read.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from guard.aws import short_error
from guard.errors import InputError
from guard.input_limits import check_size, max_state_bytes

if TYPE_CHECKING:
    import boto3

DEFAULT_WORKSPACE = "default"
DEFAULT_WORKSPACE_PREFIX = "env:"  # Terraform's S3 backend default for workspace_key_prefix
AUTH_ENV = "GUARD_STATE_AUTH"  # the whole header value, e.g. "Bearer glpat-..."
AUTH_HEADER_ENV = "GUARD_STATE_AUTH_HEADER"  # the header's name; Authorization unless set
HTTP_TIMEOUT_SECONDS = 30
_DENIED = {"AccessDenied", "AllAccessDisabled", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403"}
_MISSING = {"NoSuchKey", "NoSuchBucket", "404", "NotFound"}


@dataclass(frozen=True)
class S3Location:
    bucket: str
    key: str
    region: str | None = None

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


def parse_s3_url(url: str, what: str = "--state") -> S3Location:
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise InputError(url, "is not an s3://bucket/key URL", f"pass {what} s3://BUCKET/KEY")
    query = urllib.parse.parse_qs(parsed.query)
    region = query.get("region", [None])[0]
    return S3Location(parsed.netloc, parsed.path.lstrip("/"), region)


def workspace_key(key: str, workspace: str | None, prefix: str | None = None) -> str:
    """Where the S3 backend keeps a workspace's state: `<prefix>/<workspace>/<key>`."""
    if not workspace or workspace == DEFAULT_WORKSPACE:
        return key
    return f"{(prefix or DEFAULT_WORKSPACE_PREFIX).strip('/')}/{workspace}/{key}"


def fetch_s3(session: boto3.Session, location: S3Location, source: str) -> bytes:
    """GetObject, nothing else: the S3 backend's lock table and writes are never touched."""
    region = location.region or session.region_name or "us-east-1"
    try:
        client = session.client("s3", region_name=region)
        response = client.get_object(Bucket=location.bucket, Key=location.key)
        check_size(int(response.get("ContentLength") or 0), source)
        return bytes(response["Body"].read())
    except NoCredentialsError:
        raise InputError(
            source, "no AWS credentials to read it", "set AWS_PROFILE or run on a role"
        ) from None
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in _MISSING:
            problem = "no such bucket" if code == "NoSuchBucket" else "no such object"
            raise InputError(source, problem, "check the bucket, key and workspace") from None
        if code in _DENIED:
            raise InputError(
                source, f"access denied ({short_error(exc)})", "allow s3:GetObject on it for guard's role"
            ) from None
        raise InputError(source, f"cannot be read ({short_error(exc)})", "check the bucket and key") from None
    except BotoCoreError as exc:
        raise InputError(
            source, f"cannot be read ({short_error(exc)})", "check the network and region"
        ) from None


def display_url(url: str) -> str:
    """A URL without user info or query string: those may carry tokens."""
    parsed = urllib.parse.urlparse(url)
    host = parsed.hostname or ""
    if parsed.port:
        host = f"{host}:{parsed.port}"
    return urllib.parse.urlunparse((parsed.scheme, host, parsed.path, "", "", ""))


def auth_headers(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The HTTP backend's credentials, from the environment only, never from the command line."""
    env = os.environ if environ is None else environ
    value = env.get(AUTH_ENV)
    if value:
        return {env.get(AUTH_HEADER_ENV) or "Authorization": value}
    user, password = env.get("TF_HTTP_USERNAME"), env.get("TF_HTTP_PASSWORD")
    if user and password:  # what Terraform's own http backend reads
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}
    return {}


def fetch_http(url: str, source: str, environ: dict[str, str] | None = None) -> bytes:
    """GET the state as Terraform's http backend does (GitLab, Artifactory, Terraform-compatible APIs)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json", **auth_headers(environ)})
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
            status = response.status
            body = bytes(response.read(max_state_bytes() + 1))
            check_size(len(body), source)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            raise InputError(
                source,
                f"access denied (HTTP {exc.code})",
                f"put the header value in {AUTH_ENV} "
                f"(and its name in {AUTH_HEADER_ENV} if not Authorization)",
            ) from None
        if exc.code == 404:
            raise InputError(source, "no such state (HTTP 404)", "check the address") from None
        raise InputError(source, f"cannot be read (HTTP {exc.code})", "check the address") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(source, f"cannot be reached ({reason})", "check the address and network") from None
    if status == 204 or not body:
        # Terraform's http backend answers 204 (or an empty body) for a state never written.
        raise InputError(source, "holds no state yet (empty answer)", "run terraform apply first")
    return body


def decode(body: bytes, source: str) -> str:
    if body[:2] == b"\x1f\x8b":  # Pulumi's backend gzips when PULUMI_SELF_MANAGED_STATE_GZIP is set
        try:
            body = gzip.decompress(body)
        except OSError:
            raise InputError(source, "is a damaged gzip file", "check the object") from None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(source, "is not UTF-8 text", "check that it is a state file") from None


# Pulumi's self-managed ("DIY") backend -------------------------------------------------


def pulumi_stack_keys(stack: str) -> list[str]:
    """`org/project/stack` lives in `.pulumi/stacks/<project>/<stack>.json`; a bare name in the old layout."""
    parts = [p for p in stack.split("/") if p]
    if len(parts) == 3:
        project, name = parts[1], parts[2]
    elif len(parts) == 2:
        project, name = parts
    elif len(parts) == 1:
        return [f".pulumi/stacks/{parts[0]}.json", f".pulumi/stacks/{parts[0]}.json.gz"]
    else:
        raise InputError("--stack", f"{stack!r} is not a stack name", "pass --stack org/project/stack")
    base = f".pulumi/stacks/{project}/{name}.json"
    return [base, base + ".gz"]


def fetch_pulumi_backend(session: boto3.Session, backend: str, stack: str) -> tuple[str, bytes]:
    """Read a stack's checkpoint from `s3://bucket[/prefix]` or a local backend folder."""
    keys = pulumi_stack_keys(stack)
    if backend.startswith("s3://"):
        root = parse_s3_url(backend.rstrip("/") + "/", "--pulumi-state")
        prefix = root.key.strip("/")
        last: InputError | None = None
        for key in keys:
            location = S3Location(root.bucket, f"{prefix}/{key}" if prefix else key, root.region)
            try:
                return location.url, fetch_s3(session, location, location.url)
            except InputError as exc:
                last = exc
                if "no such object" not in exc.problem:
                    raise
        first = f"s3://{root.bucket}/{prefix + '/' if prefix else ''}{keys[0]}"
        assert last is not None
        raise InputError(first, f"no such stack ({last.problem})", "check --pulumi-state and --stack")
    folder = Path(backend.removeprefix("file://")).expanduser()
    for key in keys:
        path = folder / key
        if path.is_file():
            return str(path), path.read_bytes()
    raise InputError(str(folder / keys[0]), "no such stack", "check --pulumi-state and --stack")


# terraform { backend "s3" { ... } } in a working directory ------------------------------


@dataclass(frozen=True)
class Backend:
    type: str  # s3, http, local
    config: dict[str, Any]


def _unquote(value: Any) -> Any:
    """python-hcl2 8.x keeps a string's quotes (`"\\"bucket\\""`); older versions do not."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value[1:-1]
    return value


def _settings(config: Any) -> dict[str, Any]:
    """A block's arguments without python-hcl2's markers, strings unquoted, nested blocks too."""
    if isinstance(config, list):
        return _settings(config[0]) if config and isinstance(config[0], dict) else {}
    if not isinstance(config, dict):
        return {}
    out: dict[str, Any] = {}
    for key, value in config.items():
        if key.startswith("__"):
            continue
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            out[key] = _settings(value)  # a nested block (`workspaces { ... }`)
        elif isinstance(value, list):
            out[key] = [_unquote(v) for v in value]
        else:
            out[key] = _unquote(value)
    return out


def read_backend(tf_dir: str | Path) -> Backend:
    """The backend a working directory uses: its `terraform { backend ... }` block, with what
    `terraform init -backend-config=...` recorded in `.terraform/terraform.tfstate` filling the gaps."""
    import hcl2  # python-hcl2: imported here, only --tf-dir needs it

    folder = Path(tf_dir)
    if not folder.is_dir():
        raise InputError(str(folder), "is not a directory", "pass --tf-dir the Terraform working directory")
    found: Backend | None = None
    for path in sorted(folder.glob("*.tf")):
        try:
            with path.open(encoding="utf-8") as handle:
                document = hcl2.load(handle)
        except Exception as exc:  # lark's parse errors share no base class worth naming
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InputError(str(path), f"is not valid HCL ({first})", "run `terraform validate`") from None
        for block in document.get("terraform") or []:
            for backend in block.get("backend") or []:
                for name, config in backend.items():
                    found = Backend(_unquote(name), _settings(config))
            for cloud in block.get("cloud") or []:  # Terraform 1.1+: HCP Terraform / Enterprise
                found = Backend("cloud", _settings(cloud))
    initialised = folder / ".terraform" / "terraform.tfstate"
    if initialised.is_file():
        try:
            recorded = json.loads(initialised.read_text(encoding="utf-8")).get("backend") or {}
        except (json.JSONDecodeError, OSError, AttributeError):
            recorded = {}
        if recorded.get("type") and (found is None or found.type == recorded["type"]):
            config = {k: v for k, v in (recorded.get("config") or {}).items() if v is not None}
            found = Backend(recorded["type"], {**config, **(found.config if found else {})})
    return found or Backend("local", {})


def selected_workspace(tf_dir: str | Path, workspace: str | None = None) -> str:
    """--workspace, else TF_WORKSPACE, else what `terraform workspace select` wrote, else default."""
    if workspace:
        return workspace
    if os.environ.get("TF_WORKSPACE"):
        return os.environ["TF_WORKSPACE"]
    selected = Path(tf_dir) / ".terraform" / "environment"
    if selected.is_file():
        return selected.read_text(encoding="utf-8").strip() or DEFAULT_WORKSPACE
    return DEFAULT_WORKSPACE


def backend_state_location(tf_dir: str | Path, workspace: str | None = None) -> str:
    """The --state location (s3://, https://, or a file) a working directory's backend points at."""
    backend = read_backend(tf_dir)
    ws = selected_workspace(tf_dir, workspace)
    where = f'{tf_dir}: backend "{backend.type}"'
    if backend.type == "s3":
        bucket, key = backend.config.get("bucket"), backend.config.get("key")
        if not bucket or not key:
            raise InputError(
                where,
                "has no bucket or key",
                "set them in the block or run `terraform init -backend-config=...` in that directory",
            )
        full = workspace_key(str(key), ws, backend.config.get("workspace_key_prefix"))
        region = backend.config.get("region")
        return f"s3://{bucket}/{full}" + (f"?region={region}" if region else "")
    if backend.type == "http":
        address = backend.config.get("address")
        if not address:
            raise InputError(where, "has no address", "set `address` in the block")
        return str(address)
    if backend.type == "local":
        path = backend.config.get("path") or "terraform.tfstate"
        if ws != DEFAULT_WORKSPACE:
            base = backend.config.get("workspace_dir") or "terraform.tfstate.d"
            return str(Path(tf_dir) / base / ws / "terraform.tfstate")
        return str(Path(tf_dir) / path)
    if backend.type in ("cloud", "remote"):
        return _tfe_location(tf_dir, backend, workspace, where)
    raise InputError(
        where,
        "is not one guard reads (s3, http, local, remote, cloud)",
        "run `terraform state pull > state.tfstate` there and pass --state state.tfstate",
    )


def _tfe_location(tf_dir: str | Path, backend: Backend, workspace: str | None, where: str) -> str:
    """`cloud { organization, hostname, workspaces { name | tags | project } }` or
    `backend "remote" { organization, hostname, workspaces { name | prefix } }` as a tfe:// location:
    the selected workspace when one is selected, else every workspace the block selects."""
    from guard.state.tfe import TfeLocation  # a hostname in the block wins over TFE_ADDRESS

    config = backend.config
    cloud = backend.type == "cloud"
    organization = str(
        config.get("organization") or (os.environ.get("TF_CLOUD_ORGANIZATION", "") if cloud else "")
    )
    host = str(config.get("hostname") or (os.environ.get("TF_CLOUD_HOSTNAME", "") if cloud else ""))
    if not organization:
        raise InputError(
            where, "has no organization", "set `organization` in the block (or TF_CLOUD_ORGANIZATION)"
        )
    spaces = config.get("workspaces") or {}
    if isinstance(spaces, list):
        spaces = spaces[0] if spaces and isinstance(spaces[0], dict) else {}
    named = str(spaces.get("name") or "")
    if named:
        return TfeLocation(organization, named, host=host).url()
    selected = workspace or os.environ.get("TF_WORKSPACE", "")
    chosen = Path(tf_dir) / ".terraform" / "environment"
    if not selected and chosen.is_file():
        selected = chosen.read_text(encoding="utf-8").strip()
    selected = "" if selected == DEFAULT_WORKSPACE else selected
    prefix = "" if cloud else str(spaces.get("prefix") or "")
    tags = spaces.get("tags") or []
    if isinstance(tags, dict):  # Terraform 1.10+ key-value tags: the API searches tag names
        raise InputError(
            where, "selects workspaces by key-value tags", "pass --workspace NAME or --state tfe://ORG/NAME"
        )
    if isinstance(tags, str):
        tags = [tags]
    if selected:
        # The remote backend's workspace names are the prefix plus the short name Terraform shows.
        return TfeLocation(organization, prefix + selected, host=host).url()
    if prefix or tags:
        return TfeLocation(organization, tags=tuple(str(t) for t in tags), prefix=prefix, host=host).url()
    raise InputError(
        where, "selects no workspace", "set `workspaces { name = ... }` or pass --workspace NAME"
    )
