"""The public-register simulator: development and tests only, never imported by the service.

It answers on the live registers' paths with their page shapes, from a seeded data set, so that
`make run` and the tests check registrations over real HTTP with nothing leaving the machine.
"""
