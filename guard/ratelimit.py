"""A token bucket per account: at most `rate` AWS calls a second, so one big account cannot
take every connection of a central runner while the others wait."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up; each call takes one or waits for it.

    A caller that finds the bucket empty reserves the next token (the count goes below
    zero) and sleeps until it is due, outside the lock: callers are served in order and
    the rate holds however many threads share the bucket. The clock and the sleep are
    injectable so the arithmetic is tested without waiting.
    """

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = float(rate)
        self.burst = float(burst if burst is not None else max(1.0, rate))
        self.clock = clock
        self.sleep = sleep
        self.tokens = self.burst
        self.updated = clock()
        self.waited = 0.0  # seconds callers spent waiting, in total
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token; returns how long this call waited for it."""
        with self._lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            self.tokens -= 1.0
            wait = -self.tokens / self.rate if self.tokens < 0 else 0.0
            self.waited += wait
        if wait > 0:
            self.sleep(wait)
        return wait

    def hook(self, **_: Any) -> None:
        """A botocore `before-send` handler: every HTTP request, retries included, takes a token."""
        self.acquire()
