"""Demo data for `make run` and the benchmarks: development only, never imported by the service.

`flask demo seed` and `flask demo code` are attached by `create_app` only where the
configuration allows demo data (development and tests).
"""
