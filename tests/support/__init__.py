"""Helpers shared by the fixtures and the tests: `from support import ...`.

- config: config_for, the one way to build a test configuration;
- databases: the run's database (its own on PostgreSQL), scratch databases, migrations;
- mail: the local SMTP server's mailbox; users: made users and signing in for real;
- registers: the public-register simulator; profiles: profiles that pass the gate.
"""

from support.config import config_for
from support.databases import (
    base_database_url,
    database_exists,
    drop_abandoned_run_databases,
    drop_run_database,
    is_postgres,
    migrate_to_head,
    run_database,
    run_database_name,
    scratch_database,
)
from support.mail import SmtpOutbox, body_of, free_port
from support.profiles import accept_everything, add_complete_profile, complete_profile
from support.registers import RunningRegisters, simulator_settings
from support.users import DEMO_PASSWORD, MadeUser, sign_in_for_real

__all__ = [
    "DEMO_PASSWORD",
    "MadeUser",
    "RunningRegisters",
    "SmtpOutbox",
    "accept_everything",
    "add_complete_profile",
    "base_database_url",
    "body_of",
    "complete_profile",
    "config_for",
    "database_exists",
    "drop_abandoned_run_databases",
    "drop_run_database",
    "free_port",
    "is_postgres",
    "migrate_to_head",
    "run_database",
    "run_database_name",
    "scratch_database",
    "sign_in_for_real",
    "simulator_settings",
]
