"""EKS node groups beyond the sweep's one edit: labels and taints put back by one
UpdateNodegroupConfig (additions and removals against the live ones), and a maximum put
back below the current size moves the size inside the declared bounds, as AWS requires."""

from __future__ import annotations

from guard.demo.state import TerraformState
from guard.live import REGISTRY
from guard.model import Change, Resource
from guard.state.pulumi import to_terraform_attrs
from tests.cases.eks_node_group import CLUSTER, NODE_GROUP, build_eks_node_group
from tests.cases.services import REGION, client

NARROW = ("--service", "eks", "--service", "iam")


def test_labels_and_taints_edited_in_the_console_are_put_back(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_eks_node_group(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    client(aws, "eks").update_nodegroup_config(
        clusterName=CLUSTER,
        nodegroupName=NODE_GROUP,
        labels={"addOrUpdateLabels": {"debug": "true"}, "removeLabels": ["workload"]},
        taints={"removeTaints": [{"key": "dedicated", "value": "batch", "effect": "NO_SCHEDULE"}]},
    )
    scan = ["--state", path, "--region", REGION, "--format", "json", *NARROW]
    before = guard("scan", *scan).json()
    assert [(f["id"], sorted(c["path"] for c in f["changes"])) for f in before["findings"]] == [
        (ctx["node_group_id"], ["labels.debug", "labels.workload", "taint"])
    ]
    applied = guard("rollback", *scan, "--apply", "--yes")
    assert applied.code == 0, (applied.out, applied.err)
    assert guard("scan", *scan).json()["findings"] == []


def test_a_maximum_put_back_below_the_current_size_moves_the_size_too():
    declaration = REGISTRY.get("aws_eks_node_group")
    declared = Resource(
        type="aws_eks_node_group",
        id="prod:workers",
        attrs={
            "cluster_name": "prod",
            "node_group_name": "workers",
            "scaling_config": [{"desired_size": 3, "max_size": 6, "min_size": 2}],
        },
        region=REGION,
    )
    live = Resource(
        type="aws_eks_node_group",
        id="prod:workers",
        attrs={"desired_size": 9, "scaling_config": {"min_size": 2, "max_size": 12}},
        region=REGION,
        source="aws",
    )
    [call] = declaration.restore_calls(declared, live, (Change("scaling_config.max_size", 6, 12),))
    assert call.operation == "update_nodegroup_config"
    assert call.params["scalingConfig"] == {"minSize": 2, "maxSize": 6, "desiredSize": 6}


def test_a_pulumi_node_group_reads_as_the_terraform_one():
    outputs = {
        "clusterName": "prod",
        "nodeGroupName": "workers",
        "scalingConfig": {"desiredSize": 3, "maxSize": 6, "minSize": 2},
        "labels": {"workload": "batch", "team.example.com/owner": "data"},
        "taints": [{"key": "dedicated", "value": "batch", "effect": "NO_SCHEDULE"}],
        "updateConfig": {"maxUnavailable": 1},
    }
    attrs, _, _ = to_terraform_attrs(outputs, "aws_eks_node_group")
    shaped = REGISTRY.get("aws_eks_node_group").normalise_desired(attrs)
    assert shaped["scaling_config"] == {"min_size": 2, "max_size": 6}
    assert shaped["labels"] == {"workload": "batch", "team.example.com/owner": "data"}
    assert shaped["taint"] == [{"key": "dedicated", "value": "batch", "effect": "NO_SCHEDULE"}]
    assert shaped["update_config"] == {"max_unavailable": 1, "max_unavailable_percentage": None}
