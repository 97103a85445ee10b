"""The public-register simulator as the tests see it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RunningRegisters:
    """The register simulator served over real HTTP, and the app object to steer it."""

    base_url: str
    app: object


def simulator_settings(register_simulator: RunningRegisters) -> dict[str, object]:
    """Config overrides pointing every public register at the simulator, with short timeouts."""
    from registry.registers import reset_breakers

    register_simulator.app.reset()
    reset_breakers()
    url = register_simulator.base_url
    return {
        "REGISTER_HCPC_URL": url,
        "REGISTER_SWE_URL": url,
        "REGISTER_GMC_URL": url,
        "REGISTER_NMC_URL": url,
        "REGISTER_READ_TIMEOUT": 1.0,
        "REGISTER_CONNECT_TIMEOUT": 1.0,
    }
