"""Abuse limits kept in the cache, shared by the pages and the API.

Each scope of `settings.RATE_LIMITS` allows a number of hits per period for a
key (a client address, an email address …). With Redis configured, every
worker shares the counts.
"""

import hashlib
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

RATE_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(Exception):
    """Too many attempts; try again after `retry_after` seconds."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        minutes = math.ceil(retry_after / 60)
        wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
        super().__init__(f"Too many attempts. Please try again in {wait}.")


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        match = RATE_PATTERN.match(text)
        if not match:
            raise ValueError(f"{text!r} is not a rate like '10/15m'.")
        count, multiplier, unit = match.groups()
        return cls(int(count), int(multiplier or 1) * PERIOD_SECONDS[unit])


def client_ip(request) -> str:
    """The client's address, read through `NUM_PROXIES` trusted proxies."""
    return BaseThrottle().get_ident(request) or ""


def _window(scope: str, key: str) -> tuple[str, Rate, float]:
    rate = Rate.parse(settings.RATE_LIMITS[scope])
    now = time.time()
    window = int(now // rate.period)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    retry_at = (window + 1) * rate.period
    return f"ratelimit:{scope}:{digest}:{window}", rate, retry_at - now


def check(scope: str, key: str) -> None:
    """Raise `RateLimited` if `key` has used up its hits in `scope`."""
    cache_key, rate, remaining = _window(scope, key)
    if cache.get(cache_key, 0) >= rate.limit:
        raise RateLimited(retry_after=max(1, math.ceil(remaining)))


def hit(scope: str, key: str) -> None:
    """Count one hit of `key` in `scope`."""
    cache_key, rate, _ = _window(scope, key)
    if not cache.add(cache_key, 1, timeout=rate.period + 1):
        try:
            cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=rate.period + 1)


def consume(scope: str, key: str) -> None:
    """Check, then count, one hit of `key` in `scope`."""
    check(scope, key)
    hit(scope, key)
