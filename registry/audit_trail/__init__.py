"""The audit trail, read in the application: a commission's history, the trail with filters,
and its CSV export, each for the viewer's own organisation only."""

from registry.audit_trail.views import bp

__all__ = ["bp"]
