"""Signing in: passwords, second factor, recovery codes, emailed links.

Each public function is one unit of work and commits once. Emails go out after the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from registry import notifications
from registry.audit import record_audit, record_security_event
from registry.auth import passwords, totp
from registry.errors import ValidationFailed
from registry.extensions import db
from registry.models import AccountStatus, AccountToken, RecoveryCode, TokenPurpose, User
from registry.rows import rowcount

LinkBuilder = Callable[[str], str]


def _profile() -> str:
    return current_app.config["PASSWORD_HASH_PROFILE"]


def find_user_by_email(email: str) -> User | None:
    """The account with this email address (compared case-insensitively), if any."""
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def authenticate(email: str, password: str, *, now: datetime) -> User | None:
    """Check email and password; None for any failure, with the same cost either way (AUTH-06)."""
    user = find_user_by_email(email)
    ok = passwords.verify_password(user.password_hash if user else None, password, _profile())
    if ok and user is not None and user.password_must_change and user.password_expires_at:
        ok = user.password_expires_at > now
    if not ok or user is None or user.status is not AccountStatus.ACTIVE:
        record_security_event(user, "auth.sign_in_failed", at=now, outcome="failure")
        db.session.commit()
        return None
    if passwords.needs_rehash(user.password_hash or "", _profile()):
        user.password_hash = passwords.hash_password(password, _profile())
    record_security_event(user, "auth.password_accepted", at=now)
    db.session.commit()
    return user


def verify_second_factor(user: User, code: str, *, now: datetime) -> bool:
    """Accept a TOTP code once (MFA-03, MFA-04); a replayed or wrong code is refused."""
    seed = _seed_of(user)
    timecode = totp.matched_timecode(seed, code, now=now) if seed else None
    accepted = False
    if timecode is not None:
        # Conditional update: of two simultaneous submissions of one code, one wins.
        result = db.session.execute(
            update(User)
            .where(User.id == user.id)
            .where((User.last_totp_timecode.is_(None)) | (User.last_totp_timecode < timecode))
            .values(last_totp_timecode=timecode, last_signed_in_at=now)
        )
        accepted = rowcount(result) == 1
    action = "auth.second_factor_accepted" if accepted else "auth.second_factor_failed"
    record_security_event(user, action, at=now, outcome="success" if accepted else "failure")
    db.session.commit()
    db.session.refresh(user)
    return accepted


def use_recovery_code(user: User, code: str, *, now: datetime) -> bool:
    """Accept one of the user's unused recovery codes, once (MFA-05)."""
    result = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id)
        .where(RecoveryCode.code_hash == totp.hash_recovery_code(code))
        .where(RecoveryCode.used_at.is_(None))
        .values(used_at=now)
    )
    accepted = rowcount(result) == 1
    if accepted:
        user.last_signed_in_at = now
    action = "auth.recovery_code_used" if accepted else "auth.recovery_code_failed"
    record_security_event(user, action, at=now, outcome="success" if accepted else "failure")
    db.session.commit()
    return accepted


def sign_out(user: User, *, now: datetime) -> None:
    """End the user's sessions: bumping the version kills copies of the cookie too (SES-02)."""
    user.session_version += 1
    record_security_event(user, "auth.signed_out", at=now)
    db.session.commit()


def reauthenticate(user: User, password: str, code: str, *, now: datetime) -> bool:
    """Check password and a fresh TOTP code together before a sensitive action (MFA-06)."""
    password_ok = passwords.verify_password(user.password_hash, password, _profile())
    if not password_ok:
        record_security_event(user, "auth.reauthentication_failed", at=now, outcome="failure")
        db.session.commit()
        return False
    return verify_second_factor(user, code, now=now)


def start_enrolment(user: User, *, now: datetime) -> str:
    """Make a new pending TOTP seed for the user and return it, to be shown once (MFA-02)."""
    seed = totp.new_seed()
    user.totp_secret_encrypted = totp.encrypt_seed(seed, _totp_key(), user_id=user.id)
    user.totp_enrolled_at = None
    record_security_event(user, "auth.mfa_enrolment_started", at=now)
    db.session.commit()
    return seed


def confirm_enrolment(user: User, code: str, *, now: datetime) -> list[str] | None:
    """Finish enrolment with a first valid code; returns the ten new recovery codes, or None.

    A wrong code discards the pending secret: it is never shown again, so enrolment starts over.
    """
    seed = _seed_of(user)
    timecode = totp.matched_timecode(seed, code, now=now) if seed else None
    if timecode is None or user.totp_enrolled_at is not None:
        if user.totp_enrolled_at is None:
            # The secret was shown once (MFA-02): after a wrong code, start again with a new one.
            user.totp_secret_encrypted = None
        record_security_event(user, "auth.mfa_enrolment_failed", at=now, outcome="failure")
        db.session.commit()
        return None
    user.totp_enrolled_at = now
    user.last_totp_timecode = timecode
    user.last_signed_in_at = now
    user.session_version += 1  # any other session predates the new factor (SES-04)
    codes = _replace_recovery_codes(user)
    record_audit(user, "auth.mfa_enrolled", user, at=now)
    _notify(user, "security_change.txt", "Your sign-in settings changed", change="two-factor")
    db.session.commit()
    return codes


def regenerate_recovery_codes(user: User, *, now: datetime) -> list[str]:
    """Replace all of the user's recovery codes; the new ones are shown once.

    An MFA change: every other session ends (SES-04); the caller re-issues the current one.
    """
    codes = _replace_recovery_codes(user)
    user.session_version += 1
    record_audit(user, "auth.recovery_codes_replaced", user, at=now)
    _notify(user, "security_change.txt", "Your sign-in settings changed", change="recovery codes")
    db.session.commit()
    return codes


def change_password(user: User, current: str, new: str, *, now: datetime) -> None:
    """Change a password given the current one (AUTH-05); ends every other session (SES-04)."""
    if not passwords.verify_password(user.password_hash, current, _profile()):
        record_security_event(user, "auth.password_change_failed", at=now, outcome="failure")
        db.session.commit()
        raise ValidationFailed("Your current password is incorrect", "current_password")
    _set_password(user, new)
    record_audit(user, "auth.password_changed", user, at=now)
    _notify(user, "security_change.txt", "Your password was changed", change="password")
    db.session.commit()


def set_first_password(user: User, new: str, *, now: datetime) -> None:
    """Replace a one-time password at first sign-in (AUTH-07)."""
    _set_password(user, new)
    record_audit(user, "auth.password_changed", user, at=now, after={"first": True})
    db.session.commit()


def accept_invitation(token: str, new_password: str, *, now: datetime) -> User:
    """Set the invited person's password from a valid invitation link; raises ValidationFailed."""
    record = _live_token(token, TokenPurpose.INVITATION, now=now)
    user = record.user
    _set_password(user, new_password)
    user.status = AccountStatus.ACTIVE
    _consume_token(record, now=now)
    record_audit(user, "auth.invitation_accepted", user, at=now)
    db.session.commit()
    return user


def request_password_reset(email: str, *, now: datetime, link_to: LinkBuilder) -> None:
    """Email a 30-minute reset link if the account exists; the caller says the same either way."""
    user = find_user_by_email(email)
    if user is None or user.status is not AccountStatus.ACTIVE:
        record_security_event(None, "auth.password_reset_requested", at=now, outcome="no_account")
        db.session.commit()
        return
    token = issue_token(user, TokenPurpose.PASSWORD_RESET, now=now)
    record_security_event(user, "auth.password_reset_requested", at=now)
    notifications.send_after_commit(
        notifications.render_email(
            "password_reset.txt",
            user.email,
            "Reset your password",
            user=user,
            link=link_to(token),
            minutes=int(current_app.config["RESET_LINK_LIFETIME"].total_seconds() // 60),
        )
    )
    db.session.commit()


def reset_password(token: str, new_password: str, *, now: datetime) -> User:
    """Set a new password from a reset link; TOTP is still asked at the next sign-in (AUTH-08)."""
    record = _live_token(token, TokenPurpose.PASSWORD_RESET, now=now)
    user = record.user
    _set_password(user, new_password)
    _consume_token(record, now=now)
    record_audit(user, "auth.password_reset", user, at=now)
    _notify(user, "security_change.txt", "Your password was reset", change="password")
    db.session.commit()
    return user


def token_is_live(token: str, purpose: TokenPurpose, *, now: datetime) -> bool:
    """True when an emailed link can still be used."""
    try:
        _live_token(token, purpose, now=now)
    except ValidationFailed:
        return False
    return True


def issue_token(user: User, purpose: TokenPurpose, *, now: datetime) -> str:
    """Add a single-use link token for the user (the caller commits) and return it."""
    lifetime_key = (
        "INVITATION_LIFETIME" if purpose is TokenPurpose.INVITATION else ("RESET_LINK_LIFETIME")
    )
    token = totp.new_token()
    db.session.add(
        AccountToken(
            user=user,
            purpose=purpose,
            token_hash=totp.hash_token(token),
            created_at=now,
            expires_at=now + current_app.config[lifetime_key],
        )
    )
    return token


def password_context(user: User) -> tuple[str, ...]:
    """Words from the user's own details that their password must not contain (AUTH-04)."""
    local_part = user.email.split("@")[0]
    return (local_part, *user.full_name.split())


def _live_token(token: str, purpose: TokenPurpose, *, now: datetime) -> AccountToken:
    record = db.session.scalar(
        select(AccountToken).where(AccountToken.token_hash == totp.hash_token(token))
    )
    if (
        record is None
        or record.purpose is not purpose
        or record.used_at
        or record.expires_at <= now
        or record.user.status is AccountStatus.DISABLED
    ):
        raise ValidationFailed("This link has expired or has already been used")
    return record


def _consume_token(record: AccountToken, *, now: datetime) -> None:
    """Mark a link used with a conditional update: of two requests at once, one wins (AUTH-08)."""
    result = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == record.id)
        .where(AccountToken.used_at.is_(None))
        .where(AccountToken.expires_at > now)
        .values(used_at=now)
    )
    if rowcount(result) != 1:
        db.session.rollback()
        raise ValidationFailed("This link has expired or has already been used")


def _set_password(user: User, new: str) -> None:
    config = current_app.config
    passwords.check_password_policy(
        new,
        min_length=config["PASSWORD_MIN_LENGTH"],
        max_length=config["PASSWORD_MAX_LENGTH"],
        context=password_context(user),
    )
    user.password_hash = passwords.hash_password(new, _profile())
    user.password_must_change = False
    user.password_expires_at = None
    user.session_version += 1


def _replace_recovery_codes(user: User) -> list[str]:
    codes = totp.new_recovery_codes(current_app.config["RECOVERY_CODE_COUNT"])
    user.recovery_codes.clear()
    user.recovery_codes.extend(RecoveryCode(code_hash=totp.hash_recovery_code(c)) for c in codes)
    return codes


def _seed_of(user: User) -> str | None:
    if not user.totp_secret_encrypted:
        return None
    return totp.decrypt_seed(user.totp_secret_encrypted, _totp_key(), user_id=user.id)


def _totp_key() -> str:
    return current_app.config["TOTP_ENCRYPTION_KEY"]


def _notify(user: User, template: str, subject: str, **context: object) -> None:
    """A security notice to the user, sent after the commit (AUTH-09)."""
    notifications.send_after_commit(
        notifications.render_email(template, user.email, subject, user=user, **context)
    )
