"""The frozen decision record: canonical JSON of what was known, and its SHA-256 (pure)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from registry.eligibility import Eligibility


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, dates in ISO 8601."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_encode
    )


def _encode(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"Cannot freeze {type(value).__name__}")


def freeze(
    eligibility: Eligibility,
    *,
    commission: dict[str, Any],
    assessor: dict[str, Any],
    decision: dict[str, Any],
    policy_text: list[dict[str, Any]] | None = None,
) -> tuple[str, str]:
    """The snapshot of a panel decision and its SHA-256 over the canonical JSON.

    `policy_text` is the policy in plain English as it stood (each section's heading and
    paragraphs), so that a case review reads the rules the decision was made under.
    """
    document = {
        "commission": commission,
        "assessor": assessor,
        "decision": decision,
        "policy_text": policy_text or [],
        "policy_version": eligibility.policy_version,
        "eligible": eligibility.eligible,
        "rules": [
            {
                "code": rule.code,
                "title": rule.title,
                "passed": rule.passed,
                "sentence": rule.sentence,
                "evidence_ids": list(rule.evidence_ids),
                "needs_panel_attention": rule.needs_panel_attention,
                "warning": rule.warning,
            }
            for rule in eligibility.rules
        ],
    }
    text = canonical_json(document)
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_intact(snapshot: str, sha256: str) -> bool:
    """True when the stored snapshot still hashes to the stored SHA-256."""
    return hashlib.sha256(snapshot.encode("utf-8")).hexdigest() == sha256
