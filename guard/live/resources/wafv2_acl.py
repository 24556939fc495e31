"""WAFv2 web ACLs (both scopes) and their associations.

Web ACLs are listed like IP sets: ListWebACLs (NextMarker) with Scope=REGIONAL in each
scanned region and Scope=CLOUDFRONT once in us-east-1 (`AlsoList`); GetWebACL and
ListTagsForResource per ACL, as WAFv2 has no batch read.

The state holds an ACL in the provider's block shape (every block a list of one object,
every unset block an empty list, snake_case names: `rule[].statement[0].
ip_set_reference_statement[0].arn`); GetWebACL answers in the API's JSON (`Rules[].Statement.
IPSetReferenceStatement.ARN`). Both are brought to the API's shape, walking botocore's own
model of the request (`_from_state`): one shape to compare, and the declared one is what
UpdateWebACL is sent to put an edited ACL back (with the LockToken of a fresh GetWebACL).

Never unmanaged: Firewall Manager's ACLs (its policy keeps them). Never compared: the rule
Shield Advanced's automatic mitigation adds (ShieldMitigationRuleGroup_...), which the
put-back keeps. (moto's ListWebACLs ignores Scope, so on the emulator a regional ACL is
listed by both calls in us-east-1; it is one resource by id. AWS lists each scope apart.)
"""

from __future__ import annotations

from functools import cache
from typing import Any

import botocore.session
from botocore import xform_name
from botocore.exceptions import ClientError

from guard.live.events import IdForms, TypeEvents
from guard.live.resources.wafv2 import scope_of
from guard.live.shape import declared_tags, tag_changes, tags
from guard.live.types import REGISTRY, AlsoList, Attrs, GraphHooks, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# Where the provider's block name is not botocore's snake_case of the API member: repeated
# blocks are named in the singular, and CloudWatch is one word.
_STATE_NAMES = {
    "CloudWatchMetricsEnabled": "cloudwatch_metrics_enabled",
    "Rules": "rule",
    "Statements": "statement",
    "TextTransformations": "text_transformation",
    "RuleActionOverrides": "rule_action_override",
    "ExcludedRules": "excluded_rule",
    "CustomKeys": "custom_key",
    "RuleLabels": "rule_label",
    "InsertHeaders": "insert_header",
    "ResponseHeaders": "response_header",
    "CustomResponseBodies": "custom_response_body",
}

# Compared attribute -> the WebACL member holding it.
_MEMBERS = {
    "description": "Description",
    "default_action": "DefaultAction",
    "rule": "Rules",
    "visibility_config": "VisibilityConfig",
    "custom_response_body": "CustomResponseBodies",
    "captcha_config": "CaptchaConfig",
    "challenge_config": "ChallengeConfig",
    "token_domains": "TokenDomains",
    "association_config": "AssociationConfig",
}

# Shield Advanced's automatic DDoS mitigation adds this rule to an ACL on its own; the
# provider leaves it out of state too, and a put-back keeps it.
_SHIELD_RULE = "ShieldMitigationRuleGroup"


@cache
def _web_acl_shape() -> Any:
    return botocore.session.get_session().get_service_model("wafv2").shape_for("WebACL")


def _state_value(block: Attrs, member: str) -> Any:
    name = xform_name(member)
    for key in (_STATE_NAMES.get(member), name, name[:-1] if name.endswith("s") else None):
        if key and key in block:
            return block[key]
    return None


def _from_state(value: Any, shape: Any) -> Any:
    """A state value in the provider's block shape, in the API's shape `shape` (None: unset)."""
    kind = shape.type_name
    if kind == "structure":
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, dict):
            return None
        out = {}
        for member, sub in shape.members.items():
            converted = _from_state(_state_value(value, member), sub)
            if converted is not None:
                out[member] = converted
        return out  # {} is an empty block that is set: `allow {}`
    if kind == "list":
        items = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        out_list = [c for c in (_from_state(v, shape.member) for v in items) if c is not None]
        return out_list or None
    if kind == "map":
        return _map_from_state(value, shape)
    if value is None or value == "":
        return None
    return value


def _map_from_state(value: Any, shape: Any) -> dict[str, Any] | None:
    """A map in the API: state holds it as a set of blocks naming their `key`
    (custom_response_body), or as one block whose block names are the keys in lower case
    (association_config's request_body: cloudfront, api_gateway, ...)."""
    out: dict[str, Any] = {}
    blocks = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        if "key" in block:
            converted = _from_state(block, shape.value)
            if converted is not None:
                out[str(block["key"])] = converted
            continue
        for key, inner in block.items():
            converted = _from_state(inner, shape.value)
            if converted is not None:
                out[key.upper()] = converted
    return out or None


def _clean(value: Any) -> Any:
    """The API's answer without what means "not set" (None, "", []), blobs as text."""
    if isinstance(value, dict):
        out = {k: c for k, v in value.items() if (c := _clean(v)) is not None}
        return out
    if isinstance(value, list):
        items = [c for v in value if (c := _clean(v)) is not None]
        return items or None
    if isinstance(value, bytes):  # a byte match's SearchString
        return value.decode("utf-8", "replace")
    if value == "":
        return None
    return value


def _compared(acl: Attrs) -> Attrs:
    """The compared attributes of an API-shaped ACL; rules keyed by name (a change reads
    `rule.<name>`), the default action as a list of one (one change, not one per key)."""
    out: Attrs = {}
    for attr, member in _MEMBERS.items():
        value = _clean(acl.get(member))
        if attr == "rule":
            value = {
                str(rule.get("Name")): {k: v for k, v in rule.items() if k != "Name"}
                for rule in value or []
                if not str(rule.get("Name") or "").startswith(_SHIELD_RULE)
            } or None
        elif attr == "default_action" and value is not None:
            value = [value]
        out[attr] = value
    return out


def _desired_acl(attrs: Attrs) -> Attrs:
    """The declared ACL in the API's shape (UpdateWebACL's request members)."""
    shape = _web_acl_shape()
    acl = {}
    for member in _MEMBERS.values():
        converted = _from_state(_state_value(attrs, member), shape.members[member])
        if converted is not None:
            acl[member] = converted
    return acl


@reads("get_web_acl", "list_tags_for_resource")
def _read_web_acl(clients: Any, region: str, item: Attrs) -> Attrs:
    """GetWebACL and its tags for one listed summary; an ACL deleted since the list is dropped."""
    client = clients.client("wafv2", region)
    try:
        answer = client.get_web_acl(Name=item["Name"], Id=item["Id"], Scope=scope_of(item["ARN"]))
        tagged = client.list_tags_for_resource(ResourceARN=item["ARN"])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "WAFNonexistentItemException":
            return {**item, "_gone": True}
        raise
    return {
        **item,
        **answer["WebACL"],
        "LockToken": answer.get("LockToken"),
        "Tags": (tagged.get("TagInfoForResource") or {}).get("TagList") or [],
    }


def _web_acl_attrs(item: Attrs) -> Attrs:
    shield = [r for r in item.get("Rules") or [] if str(r.get("Name") or "").startswith(_SHIELD_RULE)]
    return {
        "name": item.get("Name"),
        **_compared(item),
        "arn": item.get("ARN"),
        "scope": scope_of(item.get("ARN")),
        "lock_token": item.get("LockToken"),  # what UpdateWebACL sends back; never compared
        "shield_rules": shield,  # Shield's own, kept by a put-back
        "tags": tags(item),
    }


def _api_shaped(attrs: Attrs) -> bool:
    """Whether these declared attributes were already normalised (rules keyed by name, the
    default action's `Allow`/`Block`), as rollback holds them, or are the state's blocks."""
    actions = attrs.get("default_action") or []
    keys = [k for block in actions if isinstance(block, dict) for k in block]
    return isinstance(attrs.get("rule"), dict) or any(k[:1].isupper() for k in keys)


def _web_acl_desired(attrs: Attrs) -> Attrs:
    if _api_shaped(attrs):
        return attrs
    return {**attrs, **_compared(_desired_acl(attrs)), "tags": declared_tags(attrs)}


def _update_members(attrs: Attrs) -> Attrs:
    """UpdateWebACL's members for the declared ACL (the inverse of `_compared`)."""
    compared = _web_acl_desired(attrs)
    acl: Attrs = {}
    for attr, member in _MEMBERS.items():
        value = compared.get(attr)
        if value is None:
            continue
        if attr == "rule":
            value = [{"Name": name, **rule} for name, rule in value.items()]
        elif attr == "default_action":
            value = value[0]
        acl[member] = value
    return acl


def _scope(attrs: Attrs) -> str:
    declared = str(attrs.get("scope") or "").upper()
    return declared if declared in ("REGIONAL", "CLOUDFRONT") else scope_of(attrs.get("arn"))


def _firewall_manager(item: Attrs) -> bool:
    """Firewall Manager's ACLs (FMManagedWebACL..., or retrofitted ones) are its policy's to
    keep, never an unmanaged finding of this account."""
    return bool(
        item.get("ManagedByFirewallManager")
        or item.get("RetrofittedByFirewallManager")
        or str(item.get("Name") or "").startswith("FMManagedWebACL")
    )


_UPDATABLE = tuple(_MEMBERS)


@writes("update_web_acl", "tag_resource", "untag_resource")
def _web_acl_restore(resource: Resource, live: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    arn = str(resource.attrs.get("arn") or (live.attrs.get("arn") if live else "") or "")
    paths = {change.path.split(".", 1)[0] for change in changes}
    calls = []
    token = live.attrs.get("lock_token") if live else None
    if paths & set(_UPDATABLE) and token and live is not None:
        # UpdateWebACL replaces the whole ACL: everything declared is sent, Shield's rule kept.
        acl = _update_members(resource.attrs)
        acl["Rules"] = [*acl.get("Rules", []), *live.attrs.get("shield_rules", [])]
        request = {
            "Name": resource.attrs.get("name") or live.attrs.get("name"),
            "Scope": _scope(resource.attrs),
            "Id": resource.id,
            "LockToken": token,  # from the fresh read rollback makes before it writes
            **acl,
        }
        calls.append(AwsCall("wafv2", "update_web_acl", request))
    restore, remove = tag_changes(changes)
    if restore and arn:
        tag_list = [{"Key": k, "Value": v} for k, v in restore.items()]
        calls.append(AwsCall("wafv2", "tag_resource", {"ResourceARN": arn, "Tags": tag_list}))
    if remove and arn:
        calls.append(AwsCall("wafv2", "untag_resource", {"ResourceARN": arn, "TagKeys": remove}))
    return calls


@writes("delete_web_acl")
def _web_acl_delete(live: Resource) -> list[AwsCall]:
    request = {
        "Name": live.attrs.get("name"),
        "Scope": _scope(live.attrs),
        "Id": live.id,
        "LockToken": live.attrs.get("lock_token"),
    }
    return [AwsCall("wafv2", "delete_web_acl", request)]


_WEB_ACL_ARN = r"arn:(?:aws|aws-cn|aws-us-gov):wafv2:[a-z0-9-]+:\d+:(?:regional|global)/webacl/[\w-]+/"

_WEB_ACL_IDS = IdForms(
    (
        (_WEB_ACL_ARN + "(?P<id>" + _UUID + ")", "{id}"),
        (_UUID, "{value}"),
    ),
    "a WAFv2 web ACL id, or the id in its webacl ARN (regional or global)",
)

_WEB_ACL_EVENTS = TypeEvents(
    missing=("DeleteWebACL",),
    unmanaged=("CreateWebACL",),
    changed=("UpdateWebACL",),
    by_path={"tags": ("TagResource", "UntagResource")},
    touched_by={
        "DeleteWebACL": "requestParameters.id",
        "UpdateWebACL": "requestParameters.id",
        "CreateWebACL": "responseElements.summary.id",
        "TagResource": "requestParameters.resourceARN",
        "UntagResource": "requestParameters.resourceARN",
    },
    ids=_WEB_ACL_IDS,
)


REGISTRY.register(
    ResourceType(
        name="aws_wafv2_web_acl",
        service="wafv2",
        list_call="list_web_acls",
        items_path="WebACLs",
        id_key="Id",
        list_params={"Scope": "REGIONAL"},
        also_list=(AlsoList({"Scope": "CLOUDFRONT"}, region="us-east-1"),),
        marker="NextMarker",
        per_item=_read_web_acl,
        keep_item=lambda item: not item.get("_gone"),
        read_params=lambda resource: {"Scope": _scope(resource.attrs)},
        aws_default=_firewall_manager,
        to_attrs=_web_acl_attrs,
        normalise_desired=_web_acl_desired,
        compared=("name", *_MEMBERS, "tags"),
        ignored={
            "scope": "fixed at creation (a new ACL); it picks the list call that reads the ACL",
            "lock_token": "changes on every update; sent back by the put-back, never compared",
            "capacity": "computed by WAF from the rules, which are compared",
            "rule_json": "the rules as one JSON document; the rules themselves are compared",
            "name_prefix": "Terraform-only: the name it made is compared",
            "application_integration_url": "computed by WAF",
            "arn": "computed from the name and id",
            "tags_all": "compared as `tags` (tags_all includes the provider's default_tags)",
            "region": "where it is read (provider 6.x)",
        },
        restore_calls=_web_acl_restore,
        restorable=(*_UPDATABLE, "tags"),
        delete_calls=_web_acl_delete,
        describe=lambda resource: f"WAF web ACL {resource.attrs.get('name') or resource.id}",
        events=_WEB_ACL_EVENTS,
        pulumi_tokens=("aws:wafv2/webAcl:WebAcl",),
        graph=GraphHooks(name=lambda attrs: str(attrs.get("name") or "web ACL")),
    )
)
