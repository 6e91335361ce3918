"""deploy/monitoring: the alerting rules and the Grafana dashboard parse as PromQL, and every
signalfire metric and label they name is one ops/metrics.py defines (a renamed metric
must not leave an alert that can never fire)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import promql_parser
import pytest
from prometheus_client import CollectorRegistry
from ruamel.yaml import YAML

from signalfire.ops.metrics import Metrics

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "deploy" / "monitoring" / "alerts.yaml"
DASHBOARD = ROOT / "deploy" / "monitoring" / "grafana-dashboard.json"
# Labels Prometheus adds to every series from the scrape target.
TARGET_LABELS = {"job", "instance", "pod", "namespace", "container", "node"}
DURATION = re.compile(r"^(\d+[smhdw])+$")
SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "info": ("_info",),
    "gauge": ("",),
}


def _series_labels() -> dict[str, set[str]]:
    """Every series name the worker exposes -> its label names (histogram `le` included)."""
    metrics = Metrics(CollectorRegistry(), process=False)
    out: dict[str, set[str]] = {}
    for attr in vars(metrics).values():
        if not hasattr(attr, "_labelnames"):
            continue
        labels = set(attr._labelnames)
        for suffix in SUFFIXES[attr._type]:
            out[attr._name + suffix] = labels | ({"le"} if suffix == "_bucket" else set())
    return out


SERIES = _series_labels()


def _selectors(expr: str) -> list[tuple[str, set[str]]]:
    """(metric name, matcher label names) of every vector selector in `expr`."""
    found: list[tuple[str, set[str]]] = []

    def visit(node: Any) -> None:
        if isinstance(node, promql_parser.VectorSelector):
            found.append((node.name, {m.name for m in node.matchers.matchers}))

    promql_parser.walk(promql_parser.parse(expr), visit)
    return found


def _check_expr(expr: str, where: str) -> list[str]:
    problems = []
    for name, labels in _selectors(expr):
        if not name.startswith("signalfire_"):
            continue
        if name not in SERIES:
            problems.append(f"{where}: {name} is not a metric ops/metrics.py defines")
            continue
        unknown = labels - SERIES[name] - TARGET_LABELS
        if unknown:
            problems.append(f"{where}: {name} has no label(s) {sorted(unknown)}")
    return problems


def _rules() -> list[dict[str, Any]]:
    doc = YAML(typ="safe").load(RULES.read_text())
    return [rule for group in doc["groups"] for rule in group["rules"]]


def test_rules_are_well_formed() -> None:
    """Each rule has a unique alert name, a valid `for`, a severity and a summary, and its
    expression parses as PromQL."""
    rules = _rules()
    names = [r["alert"] for r in rules]
    assert len(names) == len(set(names))
    for rule in rules:
        assert DURATION.match(str(rule["for"])), rule["alert"]
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        promql_parser.parse(rule["expr"])


def test_rules_cover_the_operational_failures() -> None:
    """Lag growing, dead letters rising, delivery failing and worker not ready each have
    an alert on the metric that shows them."""
    by_metric = " ".join(r["expr"] for r in _rules())
    for metric in (
        "signalfire_consumer_lag",
        "signalfire_articles_dead_lettered_total",
        "signalfire_alerts_dead_total",
        "signalfire_worker_ready",
    ):
        assert metric in by_metric


def test_rules_name_only_defined_metrics_and_labels() -> None:
    """Every signalfire_* series and matcher label in the rules exists."""
    problems = [p for r in _rules() for p in _check_expr(r["expr"], r["alert"])]
    assert problems == []


def test_dashboard_queries_name_only_defined_metrics() -> None:
    """Every panel query parses and names only defined signalfire series and labels; the
    dashboard is importable (datasource input, unique panel ids)."""
    dash = json.loads(DASHBOARD.read_text())
    assert [i["name"] for i in dash["__inputs"]] == ["DS_PROMETHEUS"]
    ids = [p["id"] for p in dash["panels"]]
    assert len(ids) == len(set(ids))
    problems: list[str] = []
    used: set[str] = set()
    for panel in dash["panels"]:
        for target in panel["targets"]:
            problems += _check_expr(target["expr"], panel["title"])
            used |= {n for n, _ in _selectors(target["expr"])}
    assert problems == []
    # Every metric family the worker defines is on the dashboard somewhere.
    families = {re.sub(r"(_total|_bucket|_sum|_count|_created|_info)$", "", n) for n in used}
    defined = {re.sub(r"(_total|_bucket|_sum|_count|_created|_info)$", "", n) for n in SERIES}
    assert defined - families - {"signalfire_build", "signalfire_watchlist_reloads"} == set()


@pytest.mark.parametrize(
    "expr",
    ["sum(rate(signalfire_nope_total[5m]))", 'signalfire_alerts_dead_total{url="x"}'],
)
def test_the_check_catches_unknown_names(expr: str) -> None:
    """An unknown metric or a label the metric lacks is reported (the check can fail)."""
    assert _check_expr(expr, "t") != []
