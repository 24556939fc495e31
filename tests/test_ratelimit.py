"""The per-account token bucket, on an injected clock: no test here waits or reads wall time."""

from __future__ import annotations

from guard.aws import Clients
from guard.ratelimit import TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_burst_then_one_call_per_interval():
    clock = FakeClock()
    bucket = TokenBucket(rate=5, burst=2, clock=clock, sleep=clock.sleep)
    waits = [bucket.acquire() for _ in range(6)]
    assert waits[:2] == [0.0, 0.0]  # the burst
    assert all(abs(w - 0.2) < 1e-9 for w in waits[2:]), waits  # then 1/rate apart
    assert abs(clock.now - 0.8) < 1e-9  # 6 calls at 5/s with 2 saved: 4 intervals


def test_idle_time_refills_but_never_beyond_the_burst():
    clock = FakeClock()
    bucket = TokenBucket(rate=10, burst=3, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        bucket.acquire()
    clock.now += 60  # a long pause saves at most 3 tokens, not 600
    assert [bucket.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.acquire() > 0


def test_waiters_reserve_in_turn_so_the_rate_holds_for_many_callers():
    clock = FakeClock()
    pending: list[float] = []
    bucket = TokenBucket(rate=2, burst=1, clock=clock, sleep=pending.append)  # nobody wakes up yet
    waits = [bucket.acquire() for _ in range(4)]
    assert waits == [0.0, 0.5, 1.0, 1.5]  # each waiter is due one interval after the one before


def test_every_request_of_an_accounts_clients_takes_a_token(aws):
    """Real requests to moto: the bucket is on botocore's before-send, so each one waits its turn."""
    clock = FakeClock()
    bucket = TokenBucket(rate=1, burst=1, clock=clock, sleep=clock.sleep)
    clients = Clients(aws, limiter=bucket)
    for _ in range(3):
        clients.account_id("us-east-1")
    clients.client("s3", "us-east-1").list_buckets()
    assert clients.requests_sent == 4
    assert clock.slept == [1.0, 1.0, 1.0]  # the first from the burst, then one a second
