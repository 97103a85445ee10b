"""The charts of the managers' lists, kept in the process while the register has not changed.

The expiries page's items due per week and the registrations page's check outcomes per week are
counted over every dated item or check of the register, yet they change only when the register
does (or the day does). Each is kept under the register's latest change (the eligible search's
token: any write to an assessor, an item, a registration or a check names a new state, decision
0012), the UK day and the policy; a page then costs one statement for the token. The lists
themselves are always read from the database a page at a time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from registry.policy_store import current_policy
from registry.register_state import register_token

T = TypeVar("T")
MAX_ENTRIES = 64

_cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_lock = threading.Lock()


def cached(key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """compute()'s value for the key in this state of the register (computed when not kept).
    The token is read before computing, so a change made meanwhile is never hidden by it."""
    token = register_token()
    if token is None:
        return compute()  # nothing logged yet: nothing names the state
    policy = current_policy()  # loaded once per app: its identity stands for its content
    full = (*key, token, policy.version, id(policy))
    with _lock:
        if full in _cache:
            _cache.move_to_end(full)
            return _cache[full]
    value = compute()
    with _lock:
        _cache[full] = value
        while len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _cache.clear()
