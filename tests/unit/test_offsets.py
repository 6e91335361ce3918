"""OffsetLedger: only durable, contiguous progress is ever committable; a jump in delivered
offsets is a gap to heal, never something to commit past."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from signalfire.stream.offsets import OffsetLedger, Verdict

TP = ("articles", 0)


def ledger(start: int | None = 0) -> OffsetLedger[tuple[str, int]]:
    led: OffsetLedger[tuple[str, int]] = OffsetLedger()
    led.assign({TP: start})
    return led


def test_contiguous_delivery_is_admitted_and_committable_only_once_complete() -> None:
    """Admitted offsets become committable when the stage reports them durable."""
    led = ledger(10)
    assert [led.admit(TP, o, 0.0)[0] for o in (10, 11, 12)] == [Verdict.ADMIT] * 3
    assert led.committable() == {}, "admitted is not durable"
    led.complete({TP: 13})
    assert led.committable() == {TP: 13}
    led.committed({TP: 13})
    assert led.committable() == {}


def test_a_jump_is_a_gap_not_admitted_and_asks_for_one_heal() -> None:
    """The faust failure mode: offsets 10..59 never delivered, 60 arrives. 60 is not
    processed, nothing past 10 becomes committable, and exactly one heal is requested."""
    led = ledger(10)
    verdict, heal = led.admit(TP, 60, 0.0)
    assert verdict is Verdict.GAP and heal is not None
    assert (heal.expected, heal.got) == (10, 60)
    again, heal2 = led.admit(TP, 61, 1.0)
    assert again is Verdict.GAP and heal2 is None, "one heal while the seek takes effect"
    assert led.committable() == {}


def test_heal_to_the_expected_offset_redelivers_everything() -> None:
    """The broker says offset 10 exists: seek there; 10.. are admitted again in order."""
    led = ledger(10)
    _, heal = led.admit(TP, 60, 0.0)
    assert heal is not None
    assert led.healed(TP, 10, 0.5) == 10
    assert led.admit(TP, 10, 0.6)[0] is Verdict.ADMIT
    assert led.admit(TP, 11, 0.6)[0] is Verdict.ADMIT


def test_a_real_gap_is_skipped_after_the_broker_confirms_it() -> None:
    """Transaction markers or compaction: the first existing offset after 10 is 12."""
    led = ledger(10)
    led.admit(TP, 12, 0.0)
    assert led.healed(TP, 12, 0.1) == 12
    assert led.committable() == {TP: 12}, "nothing in flight: the missing offsets are done"
    assert led.admit(TP, 12, 0.2)[0] is Verdict.ADMIT


def test_heal_is_asked_again_when_the_seek_did_not_take() -> None:
    """Stale buffered messages can keep arriving; after the timeout a new heal is asked."""
    led = ledger(10)
    led.heal_timeout = 5.0
    led.admit(TP, 60, 0.0)
    assert led.admit(TP, 61, 4.0)[1] is None
    assert led.admit(TP, 62, 6.0)[1] is not None


def test_redeliveries_below_the_next_offset_are_duplicates() -> None:
    led = ledger(10)
    led.admit(TP, 10, 0.0)
    assert led.admit(TP, 10, 0.0)[0] is Verdict.DUPLICATE
    assert led.admit(TP, 3, 0.0)[0] is Verdict.DUPLICATE


def test_unknown_start_takes_the_first_delivered_offset() -> None:
    led = ledger(None)
    assert led.admit(TP, 7, 0.0)[0] is Verdict.ADMIT
    led.complete({TP: 8})
    assert led.committable() == {TP: 8}


def test_revoked_partitions_are_unassigned_and_not_committed() -> None:
    led = ledger(0)
    led.admit(TP, 0, 0.0)
    led.complete({TP: 1})
    led.revoke([TP])
    assert led.admit(TP, 1, 0.0)[0] is Verdict.UNASSIGNED
    assert led.committable() == {}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=80))
def test_committable_never_passes_an_offset_that_was_not_processed(delivered: list[int]) -> None:
    """Whatever order and repetition of offsets faust delivers, the committable offset is
    always a prefix of offsets the stage really processed."""
    led = ledger(0)
    processed: set[int] = set()
    for offset in delivered:
        verdict, _ = led.admit(TP, offset, 0.0)
        if verdict is Verdict.ADMIT:
            processed.add(offset)
            led.complete({TP: offset + 1})
    commit = led.committable().get(TP, 0)
    assert all(o in processed for o in range(commit))
