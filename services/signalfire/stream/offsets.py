"""Which input offsets are safe to commit: the at-least-once bookkeeping of one stage.

faust's own commits cannot be trusted here: when the offsets it delivers jump (around a
rebalance, a buffered message from before the partition was revoked can arrive after it was
assigned again), faust records the missing offsets as a "gap" (it assumes compaction or
transaction markers) and later commits past them, so the skipped messages are never
processed. Our topics are subscribed with acks disabled, so faust commits nothing for them;
this ledger decides instead, per partition:

- it knows where each assigned partition starts (the committed offset, or the start of the
  log for a new group), and admits only the next expected offset;
- an offset below it is a re-delivery (skipped as a duplicate of work already done);
- an offset above it is a gap: the message is not processed, and the stage asks the broker
  which offset really comes next, then seeks there (`Heal`), so nothing is ever skipped;
- a partition's progress is committable only once the stage has made the admitted messages'
  outputs durable (`complete`).

Pure bookkeeping: the faust/Kafka edge is `stream/committer.py`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar

TP = TypeVar("TP", bound=Hashable)


class Verdict(Enum):
    ADMIT = "admit"  # process it
    DUPLICATE = "duplicate"  # already processed (a re-delivery after a seek or rebalance)
    GAP = "gap"  # offsets before it were not delivered: do not process, heal first
    UNASSIGNED = "unassigned"  # the partition is not (or no longer) ours


@dataclass
class _Progress:
    next: int | None  # the next offset to admit; None until the start is known
    done: int | None  # every offset below it has durable outputs
    committed: int | None  # what the group has committed (offset of the next message)
    healing: tuple[int, float] | None = None  # (offset sought to, when) while a seek is due


@dataclass(frozen=True)
class Heal:
    """A partition whose delivery jumped from `expected` to `got`: find the first offset that
    exists at or after `expected`, then seek there."""

    tp: Hashable
    expected: int
    got: int


@dataclass
class OffsetLedger(Generic[TP]):
    """Per-partition progress of one stage. `heal_timeout`: how long to wait for a seek to
    take effect before asking again (stale buffered messages can arrive in between)."""

    heal_timeout: float = 5.0
    _parts: dict[TP, _Progress] = field(default_factory=dict)

    # -- assignment -------------------------------------------------------------------------

    def assign(self, starts: Mapping[TP, int | None]) -> None:
        """Partitions assigned to us, each with its starting offset (committed, else the log
        start; None when unknown: the first delivered offset is taken as the start)."""
        for tp, start in starts.items():
            self._parts[tp] = _Progress(next=start, done=start, committed=start)

    def revoke(self, tps: Iterable[TP]) -> None:
        for tp in tps:
            self._parts.pop(tp, None)

    def assigned(self) -> set[TP]:
        return set(self._parts)

    def is_assigned(self, tp: TP) -> bool:
        return tp in self._parts

    # -- delivery ---------------------------------------------------------------------------

    def admit(self, tp: TP, offset: int, now: float) -> tuple[Verdict, Heal | None]:
        """Decide what to do with a delivered message; returns a `Heal` the first time a gap
        is seen (and again after `heal_timeout` if the seek did not take)."""
        p = self._parts.get(tp)
        if p is None:
            return Verdict.UNASSIGNED, None
        if p.next is None or offset == p.next:
            if p.next is None and p.done is None:
                p.done = offset
            p.next = offset + 1
            p.healing = None
            return Verdict.ADMIT, None
        if offset < p.next:
            return Verdict.DUPLICATE, None
        if p.healing is not None and now - p.healing[1] < self.heal_timeout:
            return Verdict.GAP, None
        p.healing = (p.next, now)
        return Verdict.GAP, Heal(tp, p.next, offset)

    def healed(self, tp: TP, first_existing: int | None, now: float) -> int | None:
        """The broker says `first_existing` is the first offset at or after the expected one
        (None: nothing exists there yet). Offsets between do not exist (compaction,
        transaction markers, retention), so progress moves there. Returns where to seek."""
        p = self._parts.get(tp)
        if p is None or p.next is None:
            return None
        target = p.next if first_existing is None else max(p.next, first_existing)
        if p.done == p.next:
            p.done = target  # nothing in flight: the missing offsets are done too
        p.next = target
        p.healing = (target, now)
        return target

    # -- durability ---------------------------------------------------------------------------

    def complete(self, upto: Mapping[TP, int]) -> None:
        """The outputs of every admitted message below `upto[tp]` are durable."""
        for tp, offset in upto.items():
            p = self._parts.get(tp)
            if p is not None and (p.done is None or offset > p.done):
                p.done = offset

    def committable(self) -> dict[TP, int]:
        """Partitions whose durable progress is ahead of what the group committed."""
        return {
            tp: p.done
            for tp, p in self._parts.items()
            if p.done is not None and (p.committed is None or p.done > p.committed)
        }

    def committed(self, offsets: Mapping[TP, int]) -> None:
        for tp, offset in offsets.items():
            p = self._parts.get(tp)
            if p is not None:
                p.committed = offset

    def done(self, tp: TP) -> int | None:
        """The offset below which every admitted message has durable outputs."""
        p = self._parts.get(tp)
        return None if p is None else p.done

    def lag_behind(self, tp: TP) -> int | None:
        """Admitted but not yet durable (for metrics)."""
        p = self._parts.get(tp)
        if p is None or p.next is None or p.done is None:
            return None
        return p.next - p.done
