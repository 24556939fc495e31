"""How big an input file guard reads: a state or plan is read whole, so a limit keeps a
wrong file (a 200 MB log, a core dump) from taking the machine's memory."""

from __future__ import annotations

import os
from pathlib import Path

from guard.errors import InputError

DEFAULT_MAX_STATE_MB = 128
ENV = "GUARD_MAX_STATE_MB"


def max_state_bytes() -> int:
    """GUARD_MAX_STATE_MB (default 128): the largest state, plan or stack export read."""
    text = os.environ.get(ENV, "")
    try:
        megabytes = float(text) if text else DEFAULT_MAX_STATE_MB
    except ValueError:
        raise InputError(ENV, f"{text!r} is not a number of megabytes", f"e.g. {ENV}=512") from None
    if megabytes <= 0:
        raise InputError(ENV, f"{text!r} must be above 0", f"e.g. {ENV}=512")
    return int(megabytes * 1024 * 1024)


def check_size(size: int, source: str) -> None:
    """Refuse an input over the limit before reading it."""
    limit = max_state_bytes()
    if size > limit:
        raise InputError(
            source,
            f"is {size / 1024 / 1024:.0f} MB, over the {limit / 1024 / 1024:.0f} MB limit",
            f"check it is the right file, or raise the limit with {ENV}",
        )


def check_file_size(path: str | Path, source: str) -> None:
    """`check_size` for a local file; a file that cannot be stat'ed is left to the reader's errors."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return
    check_size(size, source)
