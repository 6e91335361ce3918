"""Retry policy: exponential backoff, full jitter, limits, Retry-After."""

from __future__ import annotations

import random

from signalfire.delivery.policy import RetryPolicy


def test_full_jitter_stays_under_the_exponential_ceiling() -> None:
    """Delay n is uniform in [0, min(max_delay, base*factor^(n-1))]."""
    p = RetryPolicy(base=1, factor=2, max_delay=10)
    assert [p.backoff(n, lambda: 1.0) for n in range(1, 7)] == [1, 2, 4, 8, 10, 10]
    assert p.backoff(3, lambda: 0.5) == 2.0
    rng = random.Random(7)
    assert all(0 <= p.backoff(4, rng.random) <= 8 for _ in range(200))


def test_gives_up_after_max_attempts() -> None:
    """The attempt that reaches max_attempts gets no further delay."""
    p = RetryPolicy(max_attempts=3)
    assert p.next_delay(2, 0, lambda: 1.0) is not None
    assert p.next_delay(3, 0, lambda: 1.0) is None


def test_gives_up_when_the_deadline_would_pass() -> None:
    """No retry is scheduled past the deadline."""
    p = RetryPolicy(base=10, max_attempts=100, deadline=30)
    assert p.next_delay(1, 15, lambda: 1.0) == 10
    assert p.next_delay(1, 25, lambda: 1.0) is None


def test_retry_after_is_a_floor() -> None:
    """A server's Retry-After is never undercut by jitter; beyond the deadline → give up."""
    p = RetryPolicy(base=1, deadline=100)
    assert p.next_delay(1, 0, lambda: 0.1, retry_after=42) == 42
    assert p.next_delay(1, 0, lambda: 1.0, retry_after=0.2) == 1.0
    assert p.next_delay(1, 70, lambda: 0.1, retry_after=42) is None
