"""The app's loaded eligibility policy (read once at start-up, never changed while running)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from registry.policy import Policy, load_policy

EXTENSION_KEY = "eligibility_policy"


def init_policy(app: Flask) -> None:
    """Load and validate the policy file; PolicyError stops the app with the file and key."""
    app.extensions[EXTENSION_KEY] = load_policy(Path(app.config["POLICY_PATH"]))


def current_policy() -> Policy:
    """The policy every evaluation in this process uses."""
    return current_app.extensions[EXTENSION_KEY]
