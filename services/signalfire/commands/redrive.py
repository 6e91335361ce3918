"""`signalfire redrive`: dead letters back into the pipeline (see `stream/redrive.py`)."""

from __future__ import annotations

import argparse
import sys

from kafka.errors import KafkaError

from signalfire.settings import Settings
from signalfire.stream import redrive
from signalfire.stream.kafka_config import kafka_python_kwargs


def run(settings: Settings, args: argparse.Namespace) -> int:
    kind: redrive.Kind = "alerts" if args.topic == "alerts.dead" else "articles"
    kwargs = kafka_python_kwargs(settings)
    kwargs.pop("bootstrap_servers", None)
    try:
        sent, skipped = redrive.run(
            settings,
            kind,
            dry_run=args.dry_run,
            from_beginning=args.from_beginning,
            reason=args.reason,
            limit=args.limit,
            client_kwargs=kwargs,
        )
    except KafkaError as exc:
        print(f"cannot reach Kafka at {settings.kafka}: {exc}", file=sys.stderr)
        return 2
    verb = "would send" if args.dry_run else "sent"
    print(f"redrive {args.topic}: {verb} {sent}, skipped {skipped}", file=sys.stderr)
    return 0
