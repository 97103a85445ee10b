"""Work that every test's new app would repeat, done once per run (speed-ups only).

Each test builds a new app. Compiling the GOV.UK macros again for each one, and Werkzeug
compiling two builder functions per URL rule with `ast` each time, would dominate the run.
"""

from __future__ import annotations

from collections.abc import Callable

from jinja2.bccache import Bucket, BytecodeCache
from werkzeug.routing import Rule


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept for the whole run, shared by every app the tests build."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = SharedBytecodeCache()

_ROUTE_BUILDERS: dict[tuple, Callable] = {}
_original_compile_builder = Rule._compile_builder


def compile_builder_once(self: Rule, append_unknown: bool = True) -> Callable:
    """Rule._compile_builder, once per identical rule for the run.

    A builder is a pure function of the rule's pattern, defaults and mode (the rule itself is
    passed in at call time), so one compiled for an identical rule of an earlier app is the same
    function.
    """
    key = (self.rule, tuple(self._trace), repr(sorted((self.defaults or {}).items())))
    key += (append_unknown,)
    if key not in _ROUTE_BUILDERS:
        _ROUTE_BUILDERS[key] = _original_compile_builder(self, append_unknown)
    return _ROUTE_BUILDERS[key]
