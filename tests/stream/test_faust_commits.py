"""Why faust's own offset commits are switched off for our topics (docs/GUARANTEES.md §1).

A characterization test of faust-streaming's consumer: when the offsets a stream sees jump,
faust records the missing ones as a "gap" and later commits past them as if processed. If a
faust upgrade changes this, the test fails and the decision can be revisited.
"""

from __future__ import annotations

import faust
from faust.types import TP

from signalfire.stream.offsets import OffsetLedger, Verdict


async def test_faust_commits_past_offsets_it_never_delivered() -> None:
    """Committed up to 100; the stream is next handed offset 150 (e.g. a message buffered
    before a rebalance): faust commits 151 although 101..149 were never processed."""
    app = faust.App("gap-demo", broker="kafka://127.0.0.1:1", store="memory://",
                    web_enabled=False)  # fmt: skip
    consumer = app.consumer
    tp = TP("articles", 0)
    consumer._committed_offset[tp] = 101
    consumer._read_offset[tp] = 100
    await consumer._add_gap(tp, 101, 149)  # what _drain_messages does on the jump
    consumer._acked[tp].append(150)
    assert consumer._new_offset(tp) == 151


def test_the_ledger_refuses_the_same_jump() -> None:
    """The same delivery through our ledger: 150 is not processed, nothing is committable,
    and the partition is healed from 101."""
    ledger: OffsetLedger[TP] = OffsetLedger()
    tp = TP("articles", 0)
    ledger.assign({tp: 101})
    verdict, heal = ledger.admit(tp, 150, 0.0)
    assert verdict is Verdict.GAP and heal is not None and heal.expected == 101
    assert ledger.committable() == {}
