"""Retry policy (pure): exponential backoff with full jitter until a deadline (hours, as
Alertmanager retries), optionally bounded by attempts, never sooner than a server's
Retry-After."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """Defaults: ~1, 2, 4 … 60 s between tries (jittered), for up to 6 hours after the alert
    was accepted; only then does it go to alerts.dead (from where `signalfire redrive`
    sends it again). `max_attempts` 0 means no limit but the deadline. Retries never block
    other destinations: each destination has its own schedule."""

    base: float = 1.0
    factor: float = 2.0
    max_delay: float = 60.0
    max_attempts: int = 0
    deadline: float = 6 * 3600.0
    max_retry_after: float = 3600.0

    def backoff(self, attempt: int, rand: Callable[[], float]) -> float:
        """Full jitter (AWS architecture blog): uniform in [0, min(cap, base*factor^(n-1))],
        which spreads a thundering herd of retries better than equal or no jitter."""
        ceiling = min(self.max_delay, self.base * self.factor ** max(0, attempt - 1))
        return rand() * ceiling

    def next_delay(
        self,
        attempt: int,
        elapsed: float,
        rand: Callable[[], float],
        retry_after: float | None = None,
    ) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to give up.

        `attempt` counts attempts made so far; `elapsed` is time since the alert was accepted.
        A Retry-After longer than what is left of the deadline means giving up now
        rather than retrying early against the server's wish."""
        if self.max_attempts and attempt >= self.max_attempts:
            return None
        delay = self.backoff(attempt, rand)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_retry_after))
        if elapsed + delay > self.deadline:
            return None
        return delay
