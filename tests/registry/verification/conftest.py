"""Verification tests run the app against the register simulator over real HTTP."""

import pytest

from support import simulator_settings


@pytest.fixture
def app(make_app, register_simulator):
    """The app with every public register pointed at the simulator (reset for this test)."""
    return make_app(**simulator_settings(register_simulator))


@pytest.fixture
def registers_app(app_context):
    """An app context of that app, for service tests."""
    return app_context
