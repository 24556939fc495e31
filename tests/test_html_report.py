"""The HTML report as a person sees it: the demo estate with its 443 rule deleted, scanned with
`guard scan --format html`, opened in a real headless Chromium (tests/browser.py).

Skipped only where no Chromium binary exists (CI installs Debian's `chromium` in .ci/run).
The screenshot is kept as a test artefact (GUARD_TEST_ARTIFACTS, default test-artifacts/);
UPDATE_GOLDEN=1 also refreshes the README's docs/images/report.png.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from guard.demo import build_edge, build_web_estate, delete_https_rule
from tests.browser import Browser, PageVisit, chromium_binary

REGION = "us-east-1"
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("GUARD_TEST_ARTIFACTS") or ROOT / "test-artifacts")
CHROMIUM = chromium_binary()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium binary on PATH (apt-get install chromium; .ci/run does)"
)

SCRIPT_TAG = "<script>alert(1)</script>"
IMG_NAME = '<img src=x onerror="alert(2)">web-a'
QUOTED = """HTTPS from "anywhere" & 'everyone' <b>now</b>"""

# What the page shows, read in the browser: the blast radius, its broken edge, the copy button.
PROBES = {
    "load_balancers": "[...document.querySelectorAll("
    "'figure.blast svg g.node[data-role=\"load balancer\"]')]"
    ".map(g => g.textContent)",
    "broken": "[...document.querySelectorAll('figure.blast svg path.edge.broken')]"
    ".map(p => [p.dataset.source, p.dataset.target, p.getBoundingClientRect().width > 0])",
    "broken_marks": "document.querySelectorAll('figure.blast svg .broken-mark').length",
    "subject": "[...document.querySelectorAll('figure.blast svg g.node.drifted')].map(g => g.dataset.key)",
    "zones": "[...document.querySelectorAll('figure.blast svg .zone-group')].map(g => g.textContent)",
    "estate_drifted": "[...document.querySelectorAll('h2 ~ .graph svg g.node.drifted')]"
    ".map(g => g.dataset.key)",
    "scripts": "document.scripts.length",
    "markup": "document.querySelectorAll('main b, main img').length",
    "copied": "new Promise(done => { const b = document.querySelector('button[data-copy]'); b.click(); "
    "setTimeout(() => done(b.textContent), 400) })",
    "overflow": "document.documentElement.scrollWidth - window.innerWidth",
    "background": "getComputedStyle(document.body).backgroundColor",
}


PRINT_PROBES = {
    "button": "getComputedStyle(document.querySelector('button')).display",
    "pre": "getComputedStyle(document.querySelector('pre')).whiteSpace",
    "background": "getComputedStyle(document.body).backgroundColor",
}


@pytest.fixture(scope="module")
def browser() -> Any:
    assert CHROMIUM is not None
    opened = Browser(CHROMIUM)
    yield opened
    opened.close()


def _demo_state(aws: Any, folder: Path, edit: Any = None) -> tuple[Any, Path]:
    estate = build_web_estate(aws, REGION)
    build_edge(aws, estate, REGION)
    document = estate.state.document()
    if edit is not None:
        edit(document)
    path = folder / "terraform.tfstate"
    path.write_text(json.dumps(document))
    return estate, path


def _save(visit: PageVisit, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / name
    shot.write_bytes(visit.screenshot)
    return shot


def _clean(visit: PageVisit) -> None:
    assert visit.errors == [], f"console errors: {visit.errors}"
    assert visit.requests == [], f"the page asked the network for: {visit.requests}"
    assert visit.dialogs == [], f"a script ran: {visit.dialogs}"


@needs_chromium
def test_the_report_of_a_deleted_443_rule_shows_what_breaks_and_the_way_back(
    aws, tmp_path, guard, browser, monkeypatch
):
    estate, _ = _demo_state(aws, tmp_path)
    monkeypatch.chdir(tmp_path)  # the report names the state as a user would pass it
    state = "terraform.tfstate"
    delete_https_rule(aws, estate.lb_group_id, REGION)
    report = tmp_path / "report.html"
    result = guard("scan", "--state", state, "--region", REGION, "--format", "html", "-o", report)
    assert result.code == 2, result.err
    as_json = guard("scan", "--state", state, "--region", REGION, "--format", "json").json()

    visit = browser.visit(report, PROBES)
    shot = _save(visit, "html-report.png")
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.copyfile(shot, ROOT / "docs" / "images" / "report.png")

    _clean(visit)
    text = visit.text
    assert "module.edge.aws_security_group.lb: ingress tcp/443 from 0.0.0.0/0 was deleted" in text
    assert "prod-web" in text and "api.example.com" in text
    assert "aws ec2 authorize-security-group-ingress" in text
    assert "terraform apply -target=module.edge.aws_security_group.lb" in text
    assert f"{as_json['summary']['findings']}: 0 changed, 1 deleted, 0 added" in text
    assert f"{as_json['api_calls']} API calls" in text
    # The blast radius: the load balancer drawn, the edge from it to the changed group broken.
    assert any("prod-web" in label and "internet-facing" in label for label in visit.probes["load_balancers"])
    assert visit.probes["broken"] == [["module.edge.aws_lb.web", "module.edge.aws_security_group.lb", True]]
    assert visit.probes["broken_marks"] == 1
    assert visit.probes["subject"] == ["module.edge.aws_security_group.lb"]
    assert sorted(visit.probes["zones"]) == ["us-east-1a", "us-east-1b"]  # the instances, by zone
    assert visit.probes["estate_drifted"] == ["module.edge.aws_security_group.lb"]
    assert visit.probes["scripts"] == 1
    assert visit.probes["copied"] == "Copied"
    assert visit.probes["overflow"] <= 0
    assert shot.stat().st_size > 10_000

    # On a phone: nothing wider than the screen but the pictures, which scroll in their frame.
    phone = browser.visit(report, PROBES, width=390)
    _clean(phone)
    assert phone.probes["overflow"] <= 0
    # Dark mode follows the system's.
    dark = browser.visit(report, PROBES, dark=True)
    _clean(dark)
    assert dark.probes["background"] != visit.probes["background"]
    _save(dark, "html-report-dark.png")
    # Printed: no buttons, commands wrapped instead of cut at the page edge.
    printed = browser.visit(report, PRINT_PROBES, printed=True)
    _clean(printed)
    assert printed.probes == {"button": "none", "pre": "pre-wrap", "background": "rgb(255, 255, 255)"}


@needs_chromium
def test_state_and_aws_values_are_shown_as_text_never_run(aws, tmp_path, guard, browser):
    def quoted_description(document: dict[str, Any]) -> None:
        for block in document["resources"]:
            if block["type"] == "aws_security_group" and block["name"] == "lb":
                for rule in block["instances"][0]["attributes"]["ingress"]:
                    if rule["from_port"] == 443:
                        rule["description"] = QUOTED

    estate, state = _demo_state(aws, tmp_path, quoted_description)
    ec2 = aws.client("ec2", region_name=REGION)
    ec2.create_tags(
        Resources=[estate.instance_ids[0]],
        Tags=[{"Key": "Owner", "Value": SCRIPT_TAG}, {"Key": "Name", "Value": IMG_NAME}],
    )
    delete_https_rule(aws, estate.lb_group_id, REGION)
    report = tmp_path / "report.html"
    assert guard("scan", "--state", state, "--region", REGION, "--format", "html", "-o", report).code == 2

    source = report.read_text()
    assert SCRIPT_TAG not in source and IMG_NAME not in source
    visit = browser.visit(report, PROBES)
    _save(visit, "html-report-injection.png")
    _clean(visit)
    assert SCRIPT_TAG in visit.text  # the tag's value, as text in the attribute diff
    assert IMG_NAME in visit.text
    # The quoted description, in the rollback command (JSON in shell quotes), is text, not markup.
    assert 'HTTPS from \\"anywhere\\" &' in visit.text and "<b>now</b>" in visit.text
    assert visit.probes["markup"] == 0
    assert visit.probes["scripts"] == 1


def test_an_incomplete_scan_says_what_was_not_read():
    from guard.model import NotChecked, Report, Unreadable
    from guard.render.scan_html import render_scan_html

    report = Report(
        account="123456789012",
        regions=(REGION,),
        sources=("terraform.tfstate",),
        findings=(),
        not_checked=(NotChecked("aws_db_instance", REGION, "AccessDenied: <not allowed>"),),
        unreadable=(Unreadable("state", "s3://b/k", "NoSuchKey"),),
    )
    page = render_scan_html(report)
    assert "no drift found in what was read; INCOMPLETE" in page
    assert "aws_db_instance in us-east-1: AccessDenied: &lt;not allowed&gt;" in page
    assert "state s3://b/k: NoSuchKey" in page
    assert "No drift in what was read" in page and "matches the state" not in page  # never "clean"


@needs_chromium
def test_the_plan_and_history_pages_open_clean(tmp_path, guard, browser):
    from tests.test_history_summary import _history

    plan = tmp_path / "plan.html"
    source = ROOT / "tests" / "plans" / "inline-443-removed.json"
    assert guard("check-plan", source, "--format", "html", "-o", plan).code == 2
    visit = browser.visit(plan)
    _clean(visit)
    assert "BLOCKED" in visit.text and "aws_security_group" in visit.text

    history = tmp_path / "history.html"
    location = _history(tmp_path)
    assert (
        guard("history", "--history", location, "--since", "30d", "--format", "html", "-o", history).code == 0
    )
    visit = browser.visit(history, {"bars": "document.querySelectorAll('svg rect.bar').length"})
    _save(visit, "html-history.png")
    _clean(visit)
    assert "<script>alert(1)</script>" in visit.text  # a headline from the history, as text
    assert "Drift SLOs" in visit.text and "aws_instance" in visit.text
    assert visit.probes["bars"] == 2 * 31
