"""Elastic Load Balancing v2: load balancers, target groups, listeners and listener rules.

DescribeLoadBalancers and DescribeTargetGroups list a whole region; listeners and rules
can only be listed per load balancer and per listener (PerParent). Tags come from
DescribeTags, 20 resources a call; a load balancer's attributes (deletion protection,
access logs, idle timeout) from one DescribeLoadBalancerAttributes call each.
"""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents, arn_id, edits
from guard.live.shape import declared_tags, first_block, tag_changes, tags
from guard.live.types import (
    REGISTRY,
    Attrs,
    DetailCall,
    GraphHooks,
    GraphRole,
    Join,
    PerParent,
    ResourceType,
    writes,
)
from guard.model import AwsCall, Change, Resource


def _merge_tags(item: Attrs, answer: Attrs) -> None:
    item["Tags"] = answer.get("Tags") or []


def _tags_detail() -> DetailCall:
    return DetailCall(
        operation="describe_tags",
        param="ResourceArns",
        items_path="TagDescriptions",
        answer_key="ResourceArn",
        merge=_merge_tags,
        batch=20,  # the API's limit
    )


@writes("add_tags", "remove_tags")
def _tag_calls(resource: Resource, changes: tuple[Change, ...]) -> list[AwsCall]:
    restore, remove = tag_changes(changes)
    calls = []
    if restore:
        calls.append(
            AwsCall(
                "elbv2",
                "add_tags",
                {"ResourceArns": [resource.id], "Tags": [{"Key": k, "Value": v} for k, v in restore.items()]},
                resource.region,
            )
        )
    if remove:
        calls.append(
            AwsCall(
                "elbv2", "remove_tags", {"ResourceArns": [resource.id], "TagKeys": remove}, resource.region
            )
        )
    return calls


@writes(_tag_calls)
def _tags_only(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    return _tag_calls(resource, changes)


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


# --- actions and conditions, in one shape for state and AWS ---------------------------

_REDIRECT_DEFAULTS = {
    "host": "#{host}",
    "path": "/#{path}",
    "port": "#{port}",
    "protocol": "#{protocol}",
    "query": "#{query}",
}


def _action(
    kind: Any,
    target_groups: list[tuple[str, int]],
    redirect: Attrs | None,
    fixed: Attrs | None,
    authenticate: Attrs | None,
) -> Attrs:
    """One listener action; a single target group's weight means nothing, so it is dropped."""
    weighted = len(target_groups) > 1
    return {
        "type": str(kind),
        "target_groups": sorted(f"{arn}={weight}" if weighted else arn for arn, weight in target_groups),
        "redirect": (
            {key: str(redirect.get(key) or default) for key, default in _REDIRECT_DEFAULTS.items()}
            | {"status_code": str(redirect.get("status_code"))}
            if redirect
            else None
        ),
        "fixed_response": (
            {
                "content_type": _text(fixed.get("content_type")),
                "message_body": _text(fixed.get("message_body")),
                "status_code": _text(fixed.get("status_code")),
            }
            if fixed
            else None
        ),
        "authenticate": authenticate or None,
    }


def _live_actions(actions: list[Attrs]) -> list[Attrs]:
    out = []
    for action in sorted(actions, key=lambda a: a.get("Order") or 0):
        groups = [
            (g["TargetGroupArn"], int(g.get("Weight", 1)))
            for g in (action.get("ForwardConfig") or {}).get("TargetGroups") or []
        ]
        if not groups and action.get("TargetGroupArn"):
            groups = [(action["TargetGroupArn"], 1)]
        redirect = action.get("RedirectConfig")
        fixed = action.get("FixedResponseConfig")
        oidc = action.get("AuthenticateOidcConfig")
        cognito = action.get("AuthenticateCognitoConfig")
        authenticate = None
        if oidc:
            authenticate = {"issuer": oidc.get("Issuer"), "client_id": oidc.get("ClientId")}
        elif cognito:
            authenticate = {
                "user_pool_arn": cognito.get("UserPoolArn"),
                "user_pool_client_id": cognito.get("UserPoolClientId"),
            }
        out.append(
            _action(
                action.get("Type"),
                groups,
                {
                    "host": redirect.get("Host"),
                    "path": redirect.get("Path"),
                    "port": redirect.get("Port"),
                    "protocol": redirect.get("Protocol"),
                    "query": redirect.get("Query"),
                    "status_code": redirect.get("StatusCode"),
                }
                if redirect
                else None,
                {
                    "content_type": fixed.get("ContentType"),
                    "message_body": fixed.get("MessageBody"),
                    "status_code": fixed.get("StatusCode"),
                }
                if fixed
                else None,
                authenticate,
            )
        )
    return out


def _declared_actions(blocks: Any) -> list[Attrs]:
    out = []
    for block in sorted(blocks or [], key=lambda b: b.get("order") or 0):
        forward = first_block(block, "forward")
        groups = [(g["arn"], int(g.get("weight", 1))) for g in forward.get("target_group") or []]
        if not groups and block.get("target_group_arn"):
            groups = [(block["target_group_arn"], 1)]
        oidc = first_block(block, "authenticate_oidc")
        cognito = first_block(block, "authenticate_cognito")
        authenticate = None
        if oidc:
            authenticate = {"issuer": oidc.get("issuer"), "client_id": oidc.get("client_id")}
        elif cognito:
            authenticate = {
                "user_pool_arn": cognito.get("user_pool_arn"),
                "user_pool_client_id": cognito.get("user_pool_client_id"),
            }
        out.append(
            _action(
                block.get("type"),
                groups,
                first_block(block, "redirect") or None,
                first_block(block, "fixed_response") or None,
                authenticate,
            )
        )
    return out


_CONDITION_CONFIGS = {
    "host-header": "HostHeaderConfig",
    "path-pattern": "PathPatternConfig",
    "http-request-method": "HttpRequestMethodConfig",
    "source-ip": "SourceIpConfig",
}


def _live_conditions(conditions: list[Attrs]) -> list[Attrs]:
    out = []
    for condition in conditions:
        field = str(condition.get("Field"))
        if field == "http-header":
            config = condition.get("HttpHeaderConfig") or {}
            field = f"http-header:{config.get('HttpHeaderName')}"
            values = config.get("Values") or []
        elif field == "query-string":
            pairs = (condition.get("QueryStringConfig") or {}).get("Values") or []
            values = [f"{p.get('Key') or ''}={p.get('Value')}" for p in pairs]
        else:
            values = (condition.get(_CONDITION_CONFIGS.get(field, "")) or {}).get("Values")
            values = values or condition.get("Values") or []
        out.append({"field": field, "values": sorted(values)})
    return sorted(out, key=lambda c: c["field"])


def _declared_conditions(blocks: Any) -> list[Attrs]:
    out = []
    for block in blocks or []:
        for name in ("host_header", "path_pattern", "http_request_method", "source_ip"):
            for config in block.get(name) or []:
                out.append({"field": name.replace("_", "-"), "values": sorted(config.get("values") or [])})
        for config in block.get("http_header") or []:
            field = f"http-header:{config.get('http_header_name')}"
            out.append({"field": field, "values": sorted(config.get("values") or [])})
        pairs = block.get("query_string") or []
        if pairs:
            values = [f"{p.get('key') or ''}={p.get('value')}" for p in pairs]
            out.append({"field": "query-string", "values": sorted(values)})
    return sorted(out, key=lambda c: c["field"])


# --- load balancers --------------------------------------------------------------------

# AWS answers every attribute; moto leaves some out. A missing one is AWS's default.
_LB_ATTRIBUTES: dict[str, tuple[str, str]] = {
    "enable_deletion_protection": ("deletion_protection.enabled", "false"),
    "idle_timeout": ("idle_timeout.timeout_seconds", "60"),
    "enable_http2": ("routing.http2.enabled", "true"),
    "drop_invalid_header_fields": ("routing.http.drop_invalid_header_fields.enabled", "false"),
    "access_logs_enabled": ("access_logs.s3.enabled", "false"),
    "access_logs_bucket": ("access_logs.s3.bucket", ""),
    "access_logs_prefix": ("access_logs.s3.prefix", ""),
}
_HTTP_ONLY = ("idle_timeout", "enable_http2", "drop_invalid_header_fields")


def _merge_lb_attributes(item: Attrs, answer: Attrs) -> None:
    item["Attributes"] = {a["Key"]: a.get("Value", "") for a in answer.get("Attributes") or []}


def _lb_shape(base: Attrs, settings: dict[str, Any], application: bool) -> Attrs:
    logs_on = settings["access_logs_enabled"] in (True, "true")
    base.update(
        enable_deletion_protection=settings["enable_deletion_protection"] in (True, "true"),
        access_logs={
            "enabled": logs_on,
            "bucket": (settings["access_logs_bucket"] or None) if logs_on else None,
            "prefix": (settings["access_logs_prefix"] or None) if logs_on else None,
        },
    )
    for name in _HTTP_ONLY:  # only application load balancers have them
        value = settings[name] if application else None
        if value is None:
            base[name] = None
        elif name == "idle_timeout":
            base[name] = int(value)
        else:
            base[name] = value in (True, "true")
    return base


def _lb_attrs(item: Attrs) -> Attrs:
    raw = item.get("Attributes") or {}
    settings = {name: raw.get(key, default) for name, (key, default) in _LB_ATTRIBUTES.items()}
    kind = item.get("Type") or "application"
    base = {
        "name": item.get("LoadBalancerName"),
        "internal": item.get("Scheme") == "internal",
        "load_balancer_type": kind,
        "ip_address_type": item.get("IpAddressType"),
        "security_groups": sorted(item.get("SecurityGroups") or []),
        "subnets": sorted(z["SubnetId"] for z in item.get("AvailabilityZones") or [] if z.get("SubnetId")),
        "tags": tags(item),
    }
    return _lb_shape(base, settings, kind == "application")


def _lb_desired(attrs: Attrs) -> Attrs:
    kind = attrs.get("load_balancer_type") or "application"
    logs = first_block(attrs, "access_logs")
    settings = {
        "enable_deletion_protection": bool(attrs.get("enable_deletion_protection")),
        "idle_timeout": attrs.get("idle_timeout") or 60,
        "enable_http2": attrs.get("enable_http2", True) is not False,
        "drop_invalid_header_fields": bool(attrs.get("drop_invalid_header_fields")),
        "access_logs_enabled": bool(logs.get("enabled")),
        "access_logs_bucket": logs.get("bucket") or "",
        "access_logs_prefix": logs.get("prefix") or "",
    }
    base = {
        "name": attrs.get("name"),
        "internal": bool(attrs.get("internal")),
        "load_balancer_type": kind,
        "ip_address_type": attrs.get("ip_address_type") or "ipv4",
        "security_groups": sorted(attrs.get("security_groups") or []),
        "subnets": sorted(attrs.get("subnets") or []),
        "tags": declared_tags(attrs),
    }
    return _lb_shape(base, settings, kind == "application")


@writes(_tag_calls, "modify_load_balancer_attributes", "set_security_groups", "set_subnets")
def _lb_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    region, arn = resource.region, resource.id
    calls = []
    attributes = []
    for change in changes:
        if change.path == "security_groups":
            calls.append(
                AwsCall(
                    "elbv2",
                    "set_security_groups",
                    {"LoadBalancerArn": arn, "SecurityGroups": list(change.expected or [])},
                    region,
                )
            )
        elif change.path == "subnets":
            calls.append(
                AwsCall(
                    "elbv2",
                    "set_subnets",
                    {"LoadBalancerArn": arn, "Subnets": list(change.expected or [])},
                    region,
                )
            )
        elif change.path in ("enable_deletion_protection", "enable_http2", "drop_invalid_header_fields"):
            key = _LB_ATTRIBUTES[change.path][0]
            attributes.append({"Key": key, "Value": "true" if change.expected else "false"})
        elif change.path == "idle_timeout" and change.expected is not None:
            attributes.append({"Key": _LB_ATTRIBUTES["idle_timeout"][0], "Value": str(change.expected)})
    if attributes:
        calls.append(
            AwsCall(
                "elbv2",
                "modify_load_balancer_attributes",
                {"LoadBalancerArn": arn, "Attributes": attributes},
                region,
            )
        )
    return calls + _tag_calls(resource, changes)


# A load balancer is the internet's door unless it is internal.
_LOAD_BALANCER_GRAPH = GraphHooks(
    role=GraphRole.LOAD_BALANCER, internet_facing=lambda attrs: attrs.get("internal") is not True
)


_ELB_TAG_EVENTS = ("AddTags", "RemoveTags")
_ELB_TAGGED = "requestParameters.resourceArns"  # ARNs of any kind: the ARN says which type
_LB_BY_PATH = {
    "security_groups": ("SetSecurityGroups",),
    "subnets": ("SetSubnets",),
    "ip_address_type": ("SetIpAddressType",),
    **dict.fromkeys(
        (
            "enable_deletion_protection",
            "access_logs",
            "idle_timeout",
            "enable_http2",
            "drop_invalid_header_fields",
        ),
        ("ModifyLoadBalancerAttributes",),
    ),
    "tags": _ELB_TAG_EVENTS,
}
_LB_EVENTS = TypeEvents(
    missing=("DeleteLoadBalancer",),
    unmanaged=("CreateLoadBalancer",),
    changed=edits(_LB_BY_PATH),
    by_path=_LB_BY_PATH,
    touched_by={
        "CreateLoadBalancer": "responseElements.loadBalancers[].loadBalancerArn",
        **dict.fromkeys(
            (
                "DeleteLoadBalancer",
                "SetSecurityGroups",
                "SetSubnets",
                "SetIpAddressType",
                "ModifyLoadBalancerAttributes",
            ),
            "requestParameters.loadBalancerArn",
        ),
        **dict.fromkeys(_ELB_TAG_EVENTS, _ELB_TAGGED),
    },
    ids=arn_id("elasticloadbalancing", "loadbalancer/.+"),
)


REGISTRY.register(
    ResourceType(
        name="aws_lb",
        events=_LB_EVENTS,
        service="elbv2",
        list_call="describe_load_balancers",
        items_path="LoadBalancers",
        id_key="LoadBalancerArn",
        to_attrs=_lb_attrs,
        normalise_desired=_lb_desired,
        details=(
            _tags_detail(),
            DetailCall(
                operation="describe_load_balancer_attributes",
                param="LoadBalancerArn",
                items_path="@",
                answer_key="",
                merge=_merge_lb_attributes,
            ),
        ),
        compared=(
            "name",
            "internal",
            "load_balancer_type",
            "ip_address_type",
            "security_groups",
            "subnets",
            "enable_deletion_protection",
            "access_logs",
            "idle_timeout",
            "enable_http2",
            "drop_invalid_header_fields",
            "tags",
        ),
        ignored={
            "subnet_mapping": "the same subnets as `subnets`, which is compared",
            "dns_name": "computed",
            "zone_id": "computed",
            "arn_suffix": "computed",
            "vpc_id": "follows the subnets",
            "desync_mitigation_mode": "provider-defaulted (defensive)",
            "xff_header_processing_mode": "provider-defaulted (append)",
            "client_keep_alive": "provider-defaulted (3600)",
            "connection_logs": "rarely set; not read yet",
            "enable_cross_zone_load_balancing": "always on for application load balancers",
            "preserve_host_header": "not read yet",
            "enable_waf_fail_open": "not read yet",
        },
        restore_calls=_lb_restore,
        restorable=(
            "security_groups",
            "subnets",
            "enable_deletion_protection",
            "idle_timeout",
            "enable_http2",
            "drop_invalid_header_fields",
            "tags",
        ),
        delete_calls=writes("delete_load_balancer")(
            lambda live: [AwsCall("elbv2", "delete_load_balancer", {"LoadBalancerArn": live.id}, live.region)]
        ),
        describe=lambda resource: f"load balancer {resource.attrs.get('name') or resource.id}",
        pulumi_tokens=("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"),
        graph=_LOAD_BALANCER_GRAPH,
    )
)
REGISTRY.alias("aws_alb", "aws_lb")


# --- target groups ---------------------------------------------------------------------

_HTTP_PROTOCOLS = ("HTTP", "HTTPS")


def _health_check(values: Attrs, protocol: str | None) -> Attrs:
    http = str(values.get("protocol") or "").upper() in _HTTP_PROTOCOLS
    return {
        "enabled": values.get("enabled", True) is not False,
        "protocol": _text(values.get("protocol")),
        "port": _text(values.get("port")) or "traffic-port",
        "path": _text(values.get("path")) if http else None,
        "matcher": _text(values.get("matcher")) if http else None,
        "interval": int(values.get("interval") or 30),
        "timeout": int(values["timeout"]) if values.get("timeout") else None,
        "healthy_threshold": int(values.get("healthy_threshold") or 5),
        "unhealthy_threshold": int(values.get("unhealthy_threshold") or 2),
    }


def _tg_attrs(item: Attrs) -> Attrs:
    protocol = item.get("Protocol")
    matcher = item.get("Matcher") or {}
    return {
        "name": item.get("TargetGroupName"),
        "port": item.get("Port"),
        "protocol": protocol,
        "protocol_version": item.get("ProtocolVersion") if protocol in _HTTP_PROTOCOLS else None,
        "target_type": item.get("TargetType") or "instance",
        "vpc_id": item.get("VpcId"),
        "health_check": _health_check(
            {
                "enabled": item.get("HealthCheckEnabled", True),
                "protocol": item.get("HealthCheckProtocol"),
                "port": item.get("HealthCheckPort"),
                "path": item.get("HealthCheckPath"),
                "matcher": matcher.get("HttpCode") or matcher.get("GrpcCode"),
                "interval": item.get("HealthCheckIntervalSeconds"),
                "timeout": item.get("HealthCheckTimeoutSeconds"),
                "healthy_threshold": item.get("HealthyThresholdCount"),
                "unhealthy_threshold": item.get("UnhealthyThresholdCount"),
            },
            protocol,
        ),
        "tags": tags(item),
    }


def _tg_desired(attrs: Attrs) -> Attrs:
    protocol = attrs.get("protocol") or None
    return {
        "name": attrs.get("name"),
        "port": attrs.get("port") or None,
        "protocol": protocol,
        "protocol_version": (attrs.get("protocol_version") or "HTTP1")
        if protocol in _HTTP_PROTOCOLS
        else None,
        "target_type": attrs.get("target_type") or "instance",
        "vpc_id": attrs.get("vpc_id") or None,
        "health_check": _health_check(first_block(attrs, "health_check"), protocol),
        "tags": declared_tags(attrs),
    }


@writes(_tag_calls, "modify_target_group")
def _tg_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    fields = {
        "protocol": "HealthCheckProtocol",
        "port": "HealthCheckPort",
        "path": "HealthCheckPath",
        "interval": "HealthCheckIntervalSeconds",
        "timeout": "HealthCheckTimeoutSeconds",
        "healthy_threshold": "HealthyThresholdCount",
        "unhealthy_threshold": "UnhealthyThresholdCount",
        "enabled": "HealthCheckEnabled",
    }
    params: dict[str, Any] = {}
    for change in changes:
        name = change.path.split(".", 1)[-1]
        if change.path.startswith("health_check.") and change.expected is not None:
            if name == "matcher":
                params["Matcher"] = {"HttpCode": change.expected}
            elif name in fields:
                params[fields[name]] = change.expected
    calls = []
    if params:
        calls.append(
            AwsCall(
                "elbv2", "modify_target_group", {"TargetGroupArn": resource.id, **params}, resource.region
            )
        )
    return calls + _tag_calls(resource, changes)


_TARGET_GROUP_BY_PATH = {"health_check": ("ModifyTargetGroup",), "tags": _ELB_TAG_EVENTS}
_TARGET_GROUP_EVENTS = TypeEvents(
    missing=("DeleteTargetGroup",),
    unmanaged=("CreateTargetGroup",),
    # Targets and target group attributes are not compared: RegisterTargets (which Auto
    # Scaling calls all day) is attributed, but never makes on-event read the group.
    changed=edits(
        _TARGET_GROUP_BY_PATH, "ModifyTargetGroupAttributes", "RegisterTargets", "DeregisterTargets"
    ),
    by_path=_TARGET_GROUP_BY_PATH,
    touched_by={
        "CreateTargetGroup": "responseElements.targetGroups[].targetGroupArn",
        "DeleteTargetGroup": "requestParameters.targetGroupArn",
        "ModifyTargetGroup": "requestParameters.targetGroupArn",
        **dict.fromkeys(_ELB_TAG_EVENTS, _ELB_TAGGED),
    },
    ids=arn_id("elasticloadbalancing", "targetgroup/.+"),
)


REGISTRY.register(
    ResourceType(
        name="aws_lb_target_group",
        events=_TARGET_GROUP_EVENTS,
        service="elbv2",
        list_call="describe_target_groups",
        items_path="TargetGroups",
        id_key="TargetGroupArn",
        to_attrs=_tg_attrs,
        normalise_desired=_tg_desired,
        details=(_tags_detail(),),
        compared=(
            "name",
            "port",
            "protocol",
            "protocol_version",
            "target_type",
            "vpc_id",
            "health_check",
            "tags",
        ),
        ignored={
            "deregistration_delay": "needs one DescribeTargetGroupAttributes call per group; not read yet",
            "stickiness": "needs one DescribeTargetGroupAttributes call per group; not read yet",
            "load_balancing_algorithm_type": "needs DescribeTargetGroupAttributes; not read yet",
            "load_balancer_arns": "computed from the listeners",
            "arn_suffix": "computed",
            "ip_address_type": "fixed at creation",
        },
        restore_calls=_tg_restore,
        restorable=("health_check", "tags"),
        delete_calls=writes("delete_target_group")(
            lambda live: [AwsCall("elbv2", "delete_target_group", {"TargetGroupArn": live.id}, live.region)]
        ),
        describe=lambda resource: f"target group {resource.attrs.get('name') or resource.id}",
        pulumi_tokens=("aws:alb/targetGroup:TargetGroup",),
        graph=GraphHooks(role=GraphRole.TARGET_GROUP),
    )
)
REGISTRY.alias("aws_alb_target_group", "aws_lb_target_group")


# --- listeners -------------------------------------------------------------------------

_TLS_PROTOCOLS = ("HTTPS", "TLS")


def _listener_shape(base: Attrs) -> Attrs:
    """An SSL policy and certificate mean something only on HTTPS and TLS listeners."""
    if base.get("protocol") not in _TLS_PROTOCOLS:
        base.update(ssl_policy=None, certificate_arn=None, alpn_policy=None)
    return base


def _listener_attrs(item: Attrs) -> Attrs:
    certificates = item.get("Certificates") or []
    default_cert = next(
        (c for c in certificates if c.get("IsDefault")), certificates[0] if certificates else {}
    )
    return _listener_shape(
        {
            "load_balancer_arn": item.get("LoadBalancerArn"),
            "port": item.get("Port"),
            "protocol": item.get("Protocol"),
            "ssl_policy": _text(item.get("SslPolicy")),
            "certificate_arn": _text(default_cert.get("CertificateArn")),
            "alpn_policy": _text((item.get("AlpnPolicy") or [None])[0]),
            "default_action": _live_actions(item.get("DefaultActions") or []),
            "tags": tags(item),
        }
    )


def _listener_desired(attrs: Attrs) -> Attrs:
    return _listener_shape(
        {
            "load_balancer_arn": attrs.get("load_balancer_arn"),
            "port": attrs.get("port") or None,
            "protocol": attrs.get("protocol"),
            "ssl_policy": _text(attrs.get("ssl_policy")),
            "certificate_arn": _text(attrs.get("certificate_arn")),
            "alpn_policy": _text(attrs.get("alpn_policy")),
            "default_action": _declared_actions(attrs.get("default_action")),
            "tags": declared_tags(attrs),
        }
    )


def _describe_listener(resource: Resource) -> str:
    return f"listener {resource.attrs.get('protocol')}:{resource.attrs.get('port')}"


def _listener_name(attrs: Attrs) -> str:
    """`HTTPS 443`: a listener is called by its protocol and port."""
    return f"{attrs.get('protocol') or 'listener'} {attrs.get('port') or '?'}".strip()


_LISTENER_BY_PATH = {
    **dict.fromkeys(
        ("port", "protocol", "ssl_policy", "certificate_arn", "alpn_policy", "default_action"),
        ("ModifyListener",),
    ),
    "tags": _ELB_TAG_EVENTS,
}
_LISTENER_EVENTS = TypeEvents(
    missing=("DeleteListener",),
    unmanaged=("CreateListener",),
    changed=edits(_LISTENER_BY_PATH),
    by_path=_LISTENER_BY_PATH,
    touched_by={
        "CreateListener": "responseElements.listeners[].listenerArn",
        "DeleteListener": "requestParameters.listenerArn",
        "ModifyListener": "requestParameters.listenerArn",
        **dict.fromkeys(_ELB_TAG_EVENTS, _ELB_TAGGED),
    },
    ids=arn_id("elasticloadbalancing", "listener/.+"),
)


REGISTRY.register(
    ResourceType(
        name="aws_lb_listener",
        events=_LISTENER_EVENTS,
        service="elbv2",
        list_call="describe_listeners",
        items_path="Listeners",
        id_key="ListenerArn",
        per_parent=PerParent("aws_lb", "LoadBalancerArn"),
        to_attrs=_listener_attrs,
        normalise_desired=_listener_desired,
        details=(_tags_detail(),),
        compared=(
            "port",
            "protocol",
            "ssl_policy",
            "certificate_arn",
            "alpn_policy",
            "default_action",
            "tags",
        ),
        ignored={
            "load_balancer_arn": "the listener's parent; a listener cannot move",
            "mutual_authentication": "not read yet",
            "default_action.order": "AWS numbers actions; their order in the list is compared",
        },
        parent=("load_balancer_arn", "aws_lb"),
        restore_calls=_tags_only,
        delete_calls=writes("delete_listener")(
            lambda live: [AwsCall("elbv2", "delete_listener", {"ListenerArn": live.id}, live.region)]
        ),
        describe=_describe_listener,
        pulumi_tokens=("aws:alb/listener:Listener",),
        graph=GraphHooks(role=GraphRole.LISTENER, forward=("load_balancer_arn",), name=_listener_name),
    )
)
REGISTRY.alias("aws_alb_listener", "aws_lb_listener")


# --- listener rules --------------------------------------------------------------------


def _priority(value: Any) -> int | None:
    return int(value) if str(value).isdigit() else None


_RULE_BY_PATH = {
    "priority": ("SetRulePriorities",),
    "action": ("ModifyRule",),
    "condition": ("ModifyRule",),
    "tags": _ELB_TAG_EVENTS,
}
_RULE_EVENTS = TypeEvents(
    missing=("DeleteRule",),
    unmanaged=("CreateRule",),
    changed=edits(_RULE_BY_PATH),
    by_path=_RULE_BY_PATH,
    touched_by={
        "CreateRule": "responseElements.rules[].ruleArn",
        "DeleteRule": "requestParameters.ruleArn",
        "ModifyRule": "requestParameters.ruleArn",
        "SetRulePriorities": "requestParameters.rulePriorities[].ruleArn",
        **dict.fromkeys(_ELB_TAG_EVENTS, _ELB_TAGGED),
    },
    ids=arn_id("elasticloadbalancing", "listener-rule/.+"),
)


def _rule_name(attrs: Attrs) -> str:
    """`10 (path-pattern /api/*)`: a rule is called by its priority and what it matches."""
    conditions = attrs.get("condition") or []
    live = all(isinstance(c, dict) and "field" in c for c in conditions)
    shaped = conditions if live else _declared_conditions(conditions)
    matched = "; ".join(f"{c['field']} {', '.join(c['values'])}" for c in shaped)
    return f"{attrs.get('priority') or '?'}" + (f" ({matched})" if matched else "")


REGISTRY.register(
    ResourceType(
        name="aws_lb_listener_rule",
        events=_RULE_EVENTS,
        service="elbv2",
        list_call="describe_rules",
        items_path="Rules",
        id_key="RuleArn",
        per_parent=PerParent("aws_lb_listener", "ListenerArn"),
        keep_item=lambda item: not item.get("IsDefault"),  # the default rule is the listener's default_action
        to_attrs=lambda item: {
            "listener_arn": item.get("ListenerArn"),
            "priority": _priority(item.get("Priority")),
            "action": _live_actions(item.get("Actions") or []),
            "condition": _live_conditions(item.get("Conditions") or []),
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: {
            "listener_arn": attrs.get("listener_arn"),
            "priority": _priority(attrs.get("priority")),
            "action": _declared_actions(attrs.get("action")),
            "condition": _declared_conditions(attrs.get("condition")),
            "tags": declared_tags(attrs),
        },
        details=(_tags_detail(),),
        compared=("priority", "action", "condition", "tags"),
        ignored={"listener_arn": "the rule's parent; a rule cannot move"},
        parent=("listener_arn", "aws_lb_listener"),
        restore_calls=writes(_tag_calls, "set_rule_priorities")(
            lambda declared, live, changes: (
                [
                    AwsCall(
                        "elbv2",
                        "set_rule_priorities",
                        {"RulePriorities": [{"RuleArn": declared.id, "Priority": c.expected}]},
                        declared.region,
                    )
                    for c in changes
                    if c.path == "priority" and c.expected is not None
                ]
                + _tag_calls(declared, changes)
            )
        ),
        restorable=("priority", "tags"),
        delete_calls=writes("delete_rule")(
            lambda live: [AwsCall("elbv2", "delete_rule", {"RuleArn": live.id}, live.region)]
        ),
        describe=lambda resource: f"listener rule {resource.attrs.get('priority')}",
        pulumi_tokens=("aws:alb/listenerRule:ListenerRule",),
        # Its listener, and the target groups its actions send traffic to.
        graph=GraphHooks(role=GraphRole.LISTENER_RULE, forward=("listener_arn", "action"), name=_rule_name),
    )
)
REGISTRY.alias("aws_alb_listener_rule", "aws_lb_listener_rule")

# --- target group attachments ------------------------------------------------------------
#
# DescribeTargetHealth lists one target group's registered targets (no batch call across
# groups: PerParent on aws_lb_target_group). The provider's id is the group's ARN with a
# unique suffix (id.PrefixedUniqueId), which AWS never sees: an attachment is matched by
# what it registers (group, target, port), and Terraform 5.x cannot import one.


def _target(item: Attrs) -> Attrs:
    return item.get("Target") or {}


def _port(value: Any) -> int | None:
    return int(value) if str(value or "").isdigit() and int(value) > 0 else None


def _zone(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _split_targets(item: Attrs) -> list[Attrs]:
    """One registration; its key names the group, the target and the port it was registered on."""
    target = _target(item)
    port = _port(target.get("Port"))
    key = f"{item.get('TargetGroupArn')}/{target.get('Id')}" + (f":{port}" if port else "")
    return [{**item, "RegistrationKey": key}]


def _attachment_key(resource: Resource) -> str:
    attrs = resource.attrs
    port = _port(attrs.get("port"))
    return f"{attrs.get('target_group_arn')}|{attrs.get('target_id')}|{port or ''}"


def _attachment_target_key(resource: Resource) -> str | None:
    """Registered without a port, AWS answers with the group's port: the same registration."""
    attrs = resource.attrs
    return f"{attrs.get('target_group_arn')}|{attrs.get('target_id')}" if attrs.get("target_id") else None


def _attachment_target(attrs: Attrs) -> dict[str, Any]:
    target: dict[str, Any] = {"Id": attrs.get("target_id")}
    if _port(attrs.get("port")):
        target["Port"] = _port(attrs.get("port"))
    if _zone(attrs.get("availability_zone")):
        target["AvailabilityZone"] = attrs["availability_zone"]
    return target


@writes("register_targets")
def _register(declared: Resource) -> list[AwsCall]:
    params = {
        "TargetGroupArn": declared.attrs.get("target_group_arn"),
        "Targets": [_attachment_target(declared.attrs)],
    }
    return [AwsCall("elbv2", "register_targets", params, declared.region)]


@writes("deregister_targets")
def _deregister(live: Resource) -> list[AwsCall]:
    params = {
        "TargetGroupArn": live.attrs.get("target_group_arn"),
        "Targets": [_attachment_target(live.attrs)],
    }
    return [AwsCall("elbv2", "deregister_targets", params, live.region)]


@writes(_register, _deregister)
def _reregister(declared: Resource, live: Resource | None, _: tuple[Change, ...]) -> list[AwsCall]:
    """Moved to another port (or zone): the other registration taken away, then the declared one
    made (in this order, so that a deregistration matched by target id alone cannot take both)."""
    return (_deregister(live) if live is not None else []) + _register(declared)


def _describe_attachment(resource: Resource) -> str:
    attrs = resource.attrs
    port = _port(attrs.get("port"))
    group = str(attrs.get("target_group_arn") or "").split(":targetgroup/", 1)[-1].split("/", 1)[0]
    return f"target {attrs.get('target_id')}" + (f":{port}" if port else "") + f" of target group {group}"


_ATTACHMENT_EVENTS = TypeEvents(
    missing=("DeregisterTargets",),
    unmanaged=("RegisterTargets",),
    # A deregistered target is the outage: the event names its group, read with its targets.
    # RegisterTargets, which Auto Scaling and ECS make all day, is attributed but not followed.
    touched_by={"DeregisterTargets": "requestParameters.targetGroupArn"},
    ids=arn_id("elasticloadbalancing", "targetgroup/.+"),
    names_parent=True,
)

# An attachment joins a target group and its target: the group uses it.
_ATTACHMENT_GRAPH = GraphHooks(
    role=GraphRole.ATTACHMENT,
    forward=("target_group_arn",),
    joins=Join(user="target_group_arn", used="target_id", relation="target_group_attachment"),
)

REGISTRY.register(
    ResourceType(
        name="aws_lb_target_group_attachment",
        events=_ATTACHMENT_EVENTS,
        service="elbv2",
        list_call="describe_target_health",
        items_path="TargetHealthDescriptions",
        id_key="RegistrationKey",
        per_parent=PerParent("aws_lb_target_group", "TargetGroupArn"),
        split_item=_split_targets,
        # A draining target is being deregistered: it is gone, as Terraform's read says.
        keep_item=lambda item: (item.get("TargetHealth") or {}).get("State") != "draining",
        to_attrs=lambda item: {
            "target_group_arn": item.get("TargetGroupArn"),
            "target_id": _target(item).get("Id"),
            "port": _port(_target(item).get("Port")),
            "availability_zone": _zone(_target(item).get("AvailabilityZone")),
        },
        normalise_desired=lambda attrs: {
            "target_group_arn": attrs.get("target_group_arn"),
            "target_id": attrs.get("target_id"),
            "port": _port(attrs.get("port")),
            "availability_zone": _zone(attrs.get("availability_zone")),
        },
        # Registered without them, AWS fills in the group's port and the target's zone.
        compared=("port", "availability_zone"),
        compared_if_declared=("port", "availability_zone"),
        ignored={
            "target_group_arn": "the attachment's parent: part of what matches it",
            "target_id": "what is registered: part of what matches it",
        },
        match_key=_attachment_key,
        pair_keys=(_attachment_target_key,),
        parent=("target_group_arn", "aws_lb_target_group"),
        # Auto Scaling, ECS and EKS register their own targets in groups Terraform declares:
        # an unregistered-by-Terraform target is reported only in a group whose targets the
        # state holds as attachments.
        unmanaged_needs_sibling=True,
        recreate_calls=_register,
        restore_calls=_reregister,
        restorable=("port", "availability_zone"),
        delete_calls=_deregister,
        describe=_describe_attachment,
        read_params=lambda r: {"TargetGroupArn": r.attrs.get("target_group_arn")},
        pulumi_tokens=(
            "aws:lb/targetGroupAttachment:TargetGroupAttachment",
            "aws:alb/targetGroupAttachment:TargetGroupAttachment",
        ),
        graph=_ATTACHMENT_GRAPH,
    )
)
REGISTRY.alias("aws_alb_target_group_attachment", "aws_lb_target_group_attachment")
