"""Every topic the worker reads or writes, defined once: role, partitions, what it carries.

Names come from settings (`SIGNALFIRE_TOPICS__<ROLE>`); `ensure_topics` creates the missing
ones with kafka-python's admin client before faust starts (faust creates only its own
internal topics). Correlation and dispatch read single-partition topics because they own
global state (README, "Scaling").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import structlog
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError

from signalfire.settings import Settings
from signalfire.stream.kafka_config import kafka_python_kwargs, preflight

log = structlog.get_logger(__name__)

Role = Literal[
    "articles", "articles_dead", "analyzed", "alerts", "alerts_dead", "findings", "pending_alerts"
]


@dataclass(frozen=True)
class TopicSpec:
    role: Role
    single_partition: bool  # True: one partition (global state); False: SIGNALFIRE_PARTITIONS
    carries: str


TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec("articles", False, "ArticleEvent v1 from publishers (input)"),
    TopicSpec("articles_dead", False, "MessageDeadLetter: input that cannot be processed"),
    TopicSpec("analyzed", False, "AnalyzedArticle: the article with its analysis record"),
    TopicSpec("alerts", False, "AlertRecord with one delivery outcome per destination"),
    TopicSpec("alerts_dead", False, "AlertDeadLetter (undeliverable) or MessageDeadLetter"),
    TopicSpec("findings", True, "internal: article bytes + ArticleAnalysis header"),
    TopicSpec("pending_alerts", True, "internal: AlertRecord to deliver"),
)


def topic_name(settings: Settings, role: Role) -> str:
    name: str = getattr(settings.topics, role)
    return name


def partitions_of(settings: Settings, spec: TopicSpec) -> int:
    return 1 if spec.single_partition else settings.partitions


def ensure_topics(
    settings: Settings, *, timeout_ms: int = 30_000, client_kwargs: dict[str, Any] | None = None
) -> list[str]:
    """Create missing topics; returns the names created. Existing topics are left as they are.
    A cluster that refuses our credentials or certificate raises KafkaConfigError at once."""
    preflight(settings)
    admin = KafkaAdminClient(
        **{
            **kafka_python_kwargs(settings),
            "client_id": f"{settings.app_id}-admin",
            "request_timeout_ms": timeout_ms,
            **(client_kwargs or {}),
        }
    )
    try:
        existing = set(admin.list_topics())
        created: list[str] = []
        for spec in TOPICS:
            name = topic_name(settings, spec.role)
            if name in existing:
                continue
            try:
                admin.create_topics(
                    [
                        NewTopic(
                            name=name,
                            num_partitions=partitions_of(settings, spec),
                            replication_factor=settings.replication,
                        )
                    ],
                    timeout_ms=timeout_ms,
                )
                created.append(name)
            except TopicAlreadyExistsError:
                pass
        if created:
            log.info("topics.created", topics=created)
        check_single_partition(settings, admin)
        return created
    finally:
        admin.close()


class TopicLayoutError(Exception):
    """A topic exists with a layout the worker cannot run on; the message says how to fix."""


def check_single_partition(settings: Settings, admin: Any) -> None:
    """Correlation and dispatch own global state (stories, the outbox): their input topics
    must have exactly one partition. A topic auto-created by some other client (a consumer
    that subscribed first, with the broker's default partition count) would split that
    state between workers, so the worker refuses to start on it."""
    single = [topic_name(settings, spec.role) for spec in TOPICS if spec.single_partition]
    wrong = []
    for info in admin.describe_topics(single):
        count = len(info.get("partitions") or [])
        if count != 1:
            wrong.append(f"{info.get('name')} has {count} partitions")
    if wrong:
        raise TopicLayoutError(
            "; ".join(wrong) + ": the story and delivery stages need exactly 1 (they own "
            "global state). Delete and recreate it with 1 partition (it holds only internal "
            "messages), or name a new one with SIGNALFIRE_TOPICS__FINDINGS / "
            "SIGNALFIRE_TOPICS__PENDING_ALERTS."
        )
