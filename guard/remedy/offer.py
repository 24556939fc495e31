"""Which rollbacks guard may run from a button, and which need a second approver."""

from __future__ import annotations

from guard.model import Drift

# Calls that stop, resize or replace something: a rollback making one needs a second approver.
# (modify_volume resizes or retypes an EBS volume, and AWS allows no other change to it for 6 h.)
DISRUPTIVE_OPERATIONS = frozenset(
    {
        "modify_volume",
        "stop_instances",
        "reboot_instances",
        "modify_db_instance",
        "modify_cache_cluster",
        "update_auto_scaling_group",
        "replace_route",
        "replace_network_acl_association",
    }
)
DISRUPTIVE_PARAMS = frozenset({"InstanceType", "DBInstanceClass", "CacheNodeType"})


def rollback_kind(drift: Drift) -> str:
    """ "" when guard may not roll it back from Slack, else "direct" or "disruptive".

    Only direct AWS calls (`aws` steps) are offered: a delete (an unmanaged resource) never is.
    """
    calls = [step.call for step in drift.rollback if step.kind == "aws" and step.call is not None]
    if not calls:
        return ""
    for call in calls:
        if call.operation in DISRUPTIVE_OPERATIONS or DISRUPTIVE_PARAMS & set(call.params):
            return "disruptive"
    return "direct"
