"""The Prometheus metrics: names and label sets are an interface (dashboards, alert rules),
label values stay bounded and never carry a secret."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from signalfire.ops.metrics import Metrics, channel_kind, reason_label

# name -> (type, label names). Changing one breaks deploy/monitoring: change both together.
EXPECTED = {
    "signalfire_build": ("info", ()),  # the version is the info value, not a label
    "signalfire_consumer_lag": ("gauge", ("topic", "partition")),
    "signalfire_articles_processed": ("counter", ("stage", "result")),
    "signalfire_articles_dead_lettered": ("counter", ("stage", "reason")),
    "signalfire_analysis_seconds": ("histogram", ()),
    "signalfire_end_to_end_seconds": ("histogram", ("stage",)),
    "signalfire_stories_open": ("gauge", ()),
    "signalfire_table_recovery_remaining": ("gauge", ("table",)),
    "signalfire_table_recovery_active": ("gauge", ()),
    "signalfire_alerts_fired": ("counter", ("channel",)),
    "signalfire_alerts_delivered": ("counter", ("channel",)),
    "signalfire_alerts_retried": ("counter", ("channel",)),
    "signalfire_alerts_dead": ("counter", ("channel",)),
    "signalfire_delivery_queue_depth": ("gauge", ("queue",)),
    "signalfire_delivery_oldest_pending_seconds": ("gauge", ("queue",)),
    "signalfire_watchlist_generation": ("gauge", ()),
    "signalfire_watchlist_last_reload_success": ("gauge", ()),
    "signalfire_watchlist_last_reload_timestamp_seconds": ("gauge", ()),
    "signalfire_watchlist_reloads": ("counter", ("result",)),
    "signalfire_worker_ready": ("gauge", ()),
    "signalfire_worker_ready_condition": ("gauge", ("condition",)),
}


@pytest.fixture
def metrics() -> Metrics:
    return Metrics(CollectorRegistry(), process=False)


def _families(m: Metrics) -> dict[str, tuple[str, tuple[str, ...]]]:
    """name -> (type, label names), label names from the declared metric objects."""
    out = {}
    for attr in vars(m).values():
        if hasattr(attr, "_labelnames") and hasattr(attr, "_name"):
            out[attr._name] = (attr._type, tuple(attr._labelnames))
    return out


def test_names_types_and_labels_are_pinned(metrics: Metrics) -> None:
    """Every metric exists with exactly the type and labels dashboards and rules rely on."""
    assert _families(metrics) == EXPECTED


def test_exposed_names(metrics: Metrics) -> None:
    """The exposition carries the `_total` / `_bucket` / `_info` names rules query."""
    metrics.article_processed("analyze")
    metrics.observe_analysis(0.002)
    samples = {s.name for fam in metrics.registry.collect() for s in fam.samples}
    for name in (
        "signalfire_articles_processed_total",
        "signalfire_analysis_seconds_bucket",
        "signalfire_build_info",
        "signalfire_worker_ready",
    ):
        assert name in samples


def test_channel_label_is_the_kind_never_the_url(metrics: Metrics) -> None:
    """Secrets in a notify URL never become label values: only the kind is kept."""
    metrics.alert_delivered(SecretStr("slack://xoxb-SECRET/T1/B2/#chan"))
    metrics.alert_dead("mailtos://alerts:hunter22@smtp.example.com?to=a@b.c")
    metrics.alert_retried("jsons://user:pw@hooks.example.com/path")
    metrics.alert_fired("https://hooks.slack.com/services/T/B/SECRET")
    text = "\n".join(
        f"{s.name}{s.labels}" for fam in metrics.registry.collect() for s in fam.samples
    )
    for secret in ("xoxb-SECRET", "hunter22", "pw@", "SECRET", "example.com"):
        assert secret not in text
    assert (
        metrics.registry.get_sample_value("signalfire_alerts_delivered_total", {"channel": "slack"})
        == 1.0
    )
    assert (
        metrics.registry.get_sample_value("signalfire_alerts_dead_total", {"channel": "email"})
        == 1.0
    )
    assert (
        metrics.registry.get_sample_value("signalfire_alerts_retried_total", {"channel": "json"})
        == 1.0
    )
    assert (
        metrics.registry.get_sample_value("signalfire_alerts_fired_total", {"channel": "slack"})
        == 1.0
    )


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("discord://id/token", "discord"),
        ("https://example.com/hook", "http"),
        ("not a url", "other"),
        ("WEIRD SCHEME://x", "other"),
        ("msteams://a/b/c", "msteams"),
        (None, "unknown"),
    ],
)
def test_channel_kind(url: str | None, kind: str) -> None:
    """Schemes fold to a short kind; anything odd becomes `other`."""
    assert channel_kind(url) == kind


@pytest.mark.parametrize(
    ("reason", "slug"),
    [
        ("message too large (2000001 bytes > 1000000)", "message_too_large"),
        ("analysis failed: KeyError", "analysis_failed"),
        ("does not fit ArticleEvent v1", "does_not_fit_articleevent_v1"),
        ("", "unknown"),
        ("x" * 200, "x" * 40),
    ],
)
def test_reason_label_is_bounded(reason: str, slug: str) -> None:
    """Numbers and details leave the reason, so each reason is one series."""
    assert reason_label(reason) == slug


def test_dead_letter_counts_by_slug(metrics: Metrics) -> None:
    """Two reasons that differ only in their numbers count in the same series."""
    metrics.article_dead_lettered("ingest", "message too large (2000001 bytes > 1000000)")
    metrics.article_dead_lettered("ingest", "message too large (3000000 bytes > 1000000)")
    value = metrics.registry.get_sample_value(
        "signalfire_articles_dead_lettered_total",
        {"stage": "ingest", "reason": "message_too_large"},
    )
    assert value == 2.0


def test_forget_partitions_drops_lag_series(metrics: Metrics) -> None:
    """A revoked partition stops reporting its last lag."""
    metrics.set_consumer_lag("articles", 0, 5)
    metrics.set_consumer_lag("articles", 1, -3)
    assert (
        metrics.registry.get_sample_value(
            "signalfire_consumer_lag", {"topic": "articles", "partition": "1"}
        )
        == 0.0
    )
    metrics.forget_partitions([("articles", 0), ("articles", 7)])
    assert (
        metrics.registry.get_sample_value(
            "signalfire_consumer_lag", {"topic": "articles", "partition": "0"}
        )
        is None
    )


def test_watchlist_generation_counts_successes(metrics: Metrics) -> None:
    """Successful loads advance the generation; a failed one keeps it and flags the gauge."""
    metrics.watchlist_reloaded(ok=True, at_unix=100.0)
    metrics.watchlist_reloaded(ok=True, at_unix=200.0)
    metrics.watchlist_reloaded(ok=False, at_unix=300.0)
    get = metrics.registry.get_sample_value
    assert get("signalfire_watchlist_generation") == 2.0
    assert get("signalfire_watchlist_last_reload_success") == 0.0
    assert get("signalfire_watchlist_last_reload_timestamp_seconds") == 300.0
    assert get("signalfire_watchlist_reloads_total", {"result": "failed"}) == 1.0


def test_delivery_queue_age_is_zero_when_empty(metrics: Metrics) -> None:
    """An empty queue reports no age, whatever the caller passed."""
    metrics.set_delivery_queue("held", 0, 999.0)
    metrics.set_delivery_queue("pending", 3, 12.5)
    get = metrics.registry.get_sample_value
    assert get("signalfire_delivery_oldest_pending_seconds", {"queue": "held"}) == 0.0
    assert get("signalfire_delivery_oldest_pending_seconds", {"queue": "pending"}) == 12.5
    assert get("signalfire_delivery_queue_depth", {"queue": "pending"}) == 3.0
