"""Topic creation with kafka-python's admin client, before faust starts.

faust creates only its own internal topics; the contract's topics are created here with the
configured partition counts. The story and dispatch stages read single-partition topics because
they own global state (see README, "Scaling").
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError

from signalfire.settings import Settings
from signalfire.stream.kafka_config import kafka_python_kwargs, preflight

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    compact: bool = False


def topic_specs(settings: Settings) -> list[TopicSpec]:
    """Every topic the worker reads or writes, with its partition count."""
    t, n = settings.topics, settings.partitions
    return [
        TopicSpec(t.articles, n),
        TopicSpec(t.articles_dead, n),
        TopicSpec(t.analyzed, n),
        TopicSpec(t.alerts, n),
        TopicSpec(t.alerts_dead, n),
        TopicSpec(t.findings, 1),
        TopicSpec(t.pending_alerts, 1),
    ]


def ensure_topics(settings: Settings, *, timeout_ms: int = 30_000) -> list[str]:
    """Create missing topics; returns the names created. Existing topics are left as they are.
    A cluster that refuses our credentials or certificate raises KafkaConfigError at once."""
    preflight(settings)
    admin = KafkaAdminClient(
        **kafka_python_kwargs(settings),
        client_id=f"{settings.app_id}-admin",
        request_timeout_ms=timeout_ms,
    )
    try:
        existing = set(admin.list_topics())
        wanted = [s for s in topic_specs(settings) if s.name not in existing]
        created: list[str] = []
        for spec in wanted:
            configs = {"cleanup.policy": "compact"} if spec.compact else {}
            try:
                admin.create_topics(
                    [
                        NewTopic(
                            name=spec.name,
                            num_partitions=spec.partitions,
                            replication_factor=settings.replication,
                            topic_configs=configs,
                        )
                    ],
                    timeout_ms=timeout_ms,
                )
                created.append(spec.name)
            except TopicAlreadyExistsError:
                pass
        if created:
            log.info("topics.created", topics=created)
        return created
    finally:
        admin.close()
