"""Per-account rate limits on features that are costly or reach outside (RATE-03).

Search and "why not?" run the eligibility gate over the register; adding a registration and a
re-check look a number up on a regulator's public register; uploads store files; exports read
everything held about a person. Each is limited per signed-in account, with values from the
configuration (config.py, README's configuration table, docs/requirements/rate-limits.md).
Going over answers with the 429 page and an audit row (registry/handlers.py).

Put a decorator below `@role_required`, so that only permitted requests are counted.
"""

from __future__ import annotations

from registry.extensions import limiter
from registry.limits import setting, signed_in_key

search = limiter.limit(setting("SEARCH_LIMIT_PER_ACCOUNT"), key_func=signed_in_key("search"))
why_not = limiter.limit(
    setting("WHY_NOT_LIMIT_PER_ACCOUNT"), key_func=signed_in_key("why-not"), methods=["POST"]
)
# The names suggested while an officer types a "why not?" question: one count per keystroke
# (the script waits for a pause), so a separate, larger allowance than the questions.
why_not_suggestions = limiter.limit(
    setting("SEARCH_LIMIT_PER_ACCOUNT"), key_func=signed_in_key("why-not-suggestions")
)
registration_add = limiter.limit(
    setting("REGISTRATION_ADD_LIMIT_PER_ACCOUNT"),
    key_func=signed_in_key("registration-add"),
    methods=["POST"],
)
register_check = limiter.limit(
    setting("REGISTER_CHECK_LIMIT_PER_ACCOUNT"),
    key_func=signed_in_key("register-check"),
    methods=["POST"],
)
# One count for every upload and one for every export, whichever page they come from.
upload = limiter.shared_limit(
    setting("UPLOAD_LIMIT_PER_ACCOUNT"),
    scope="upload",
    key_func=signed_in_key("upload"),
    methods=["POST"],
)
export = limiter.shared_limit(
    setting("EXPORT_LIMIT_PER_ACCOUNT"), scope="export", key_func=signed_in_key("export")
)
