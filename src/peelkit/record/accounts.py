"""Accounts, passwords, sessions and throttled sign-ins.

- Passwords are hashed with Argon2id (``argon2-cffi``, its recommended parameters); a hash made
  with older parameters is rehashed at the next sign-in.
- A session is a random token (256 bits) in an HttpOnly cookie; the database keeps only its
  SHA-256, the CSRF token that goes with it, and when it was last used. Signing in always makes
  a new session (the id rotates); signing out, disabling the account or being idle for
  :data:`IDLE_TIMEOUT` ends it, and a session never outlives :data:`MAX_AGE`.
- Failed sign-ins are counted by the name given (whether or not an account has it) and by the
  address: past :data:`ACCOUNT_LIMIT` (or :data:`ADDRESS_LIMIT`) failures in
  :data:`THROTTLE_WINDOW`, sign-in is refused until the window has passed, with one message for
  every case, so nobody learns whether an account exists.

Times are naive UTC, as the record stores them; the caller passes ``now`` (the app's clock).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from peelkit.domain.permissions import Role
from peelkit.errors import InvalidRecord, NotAuthenticated, NotFound, Throttled
from peelkit.record.schema import AccountRow, AccountSessionRow, LoginFailureRow

IDLE_TIMEOUT = dt.timedelta(minutes=30)
MAX_AGE = dt.timedelta(hours=12)
# A session's last use is written at most this often (not on every request).
TOUCH_INTERVAL = dt.timedelta(seconds=60)
THROTTLE_WINDOW = dt.timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
MIN_PASSWORD_LENGTH = 12
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
SIGN_IN_REFUSED = "the username or password is not right"

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when no account has the name given, so that a wrong name takes as
    long as a wrong password. Made at the first sign-in, not at import (an Argon2id hash takes
    a fifth of a second, which every command would pay)."""
    return _hasher.hash(secrets.token_urlsafe(16))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_username(name: str) -> str:
    if not USERNAME.fullmatch(name or ""):
        raise InvalidRecord(
            f"username {name!r} is not allowed: 2 to 60 characters, lower-case letters, "
            "digits, '.', '_' or '-', starting with a letter or digit",
            code="invalid_username",
        )
    return name


def check_role(role: str) -> str:
    roles = [r.value for r in Role]
    if role not in roles:
        raise InvalidRecord(
            f"unknown role {role!r} (expected one of: {', '.join(roles)})", code="unknown_role"
        )
    return role


def check_password(password: str, username: str) -> None:
    """Refuse an empty, short or guessable password, saying which rule it breaks."""
    if not password:
        raise InvalidRecord("the password is empty", code="weak_password")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidRecord(
            f"the password has {len(password)} characters; at least {MIN_PASSWORD_LENGTH} "
            "are needed",
            code="weak_password",
        )
    if len(set(password)) < 5:
        raise InvalidRecord(
            "the password repeats too few characters (at least 5 different ones are needed)",
            code="weak_password",
        )
    if username.lower() in password.lower():
        raise InvalidRecord("the password contains the username", code="weak_password")
    if password.lower().strip("0123456789!") in _COMMON:
        raise InvalidRecord("the password is a commonly used one", code="weak_password")


# Common long passwords (the obvious ones a 12-character rule lets through).
_COMMON = frozenset(
    {
        "password",
        "passwordpassword",
        "qwertyuiop",
        "qwertyuiopasdfghjkl",
        "iloveyou",
        "letmein",
        "administrator",
        "inspector",
        "moderator",
        "peelkit",
        "changeme",
        "welcome",
        "abcdefghijkl",
    }
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def find_account(session: Session, username: str) -> AccountRow | None:
    return session.scalar(select(AccountRow).where(AccountRow.username == username))


def get_account(session: Session, username: str) -> AccountRow:
    account = find_account(session, username)
    if account is None:
        raise NotFound(f"no account named {username!r}", code="account_not_found")
    return account


def create_account(
    session: Session, *, username: str, role: str, password: str, now: dt.datetime
) -> AccountRow:
    check_username(username)
    check_role(role)
    check_password(password, username)
    if find_account(session, username) is not None:
        raise InvalidRecord(
            f"an account named {username!r} already exists",
            code="account_exists",
            kind="conflict",
        )
    account = AccountRow(
        username=username, role=role, password_hash=hash_password(password), created_at=now
    )
    session.add(account)
    session.flush()
    return account


def list_accounts(session: Session) -> list[AccountRow]:
    return list(session.scalars(select(AccountRow).order_by(AccountRow.username)))


def disable_account(session: Session, username: str, now: dt.datetime) -> AccountRow:
    """Disable the account and end its sessions (a disabled account cannot sign in)."""
    account = get_account(session, username)
    if account.disabled_at is None:
        account.disabled_at = now
    for row in session.scalars(
        select(AccountSessionRow).where(
            AccountSessionRow.account_id == account.id, AccountSessionRow.revoked_at.is_(None)
        )
    ):
        row.revoked_at = now
    session.flush()
    return account


# --- signing in ------------------------------------------------------------------------------


def _failures(session: Session, scope: str, key: str, since: dt.datetime) -> list[dt.datetime]:
    query = select(LoginFailureRow.at).where(
        LoginFailureRow.scope == scope, LoginFailureRow.key == key, LoginFailureRow.at > since
    )
    return sorted(session.scalars(query))


def check_throttle(session: Session, username: str, address: str | None, now: dt.datetime) -> None:
    """Refuse a sign-in while the name or the address has too many recent failures."""
    since = now - THROTTLE_WINDOW
    for scope, key, limit in (
        ("account", username.lower(), ACCOUNT_LIMIT),
        ("address", address, ADDRESS_LIMIT),
    ):
        if key is None:
            continue
        failures = _failures(session, scope, key, since)
        if len(failures) >= limit:
            # Free again when the oldest failure that counts leaves the window.
            retry = failures[-limit] + THROTTLE_WINDOW - now
            seconds = max(1, int(retry.total_seconds()) + 1)
            minutes = -(-seconds // 60)
            raise Throttled(
                "too many failed sign-in attempts; try again in "
                f"{minutes} minute{'s' if minutes != 1 else ''}",
                retry_after=seconds,
            )


def record_failure(session: Session, username: str, address: str | None, now: dt.datetime) -> None:
    session.add(LoginFailureRow(scope="account", key=username.lower()[:200], at=now))
    if address:
        session.add(LoginFailureRow(scope="address", key=address[:200], at=now))
    # Old failures count for nothing: drop them as new ones arrive.
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.at <= now - THROTTLE_WINDOW))


def authenticate(session: Session, username: str, password: str) -> AccountRow | None:
    """The enabled account with this name and password, else None (constant work either way)."""
    account = find_account(session, username)
    stored = account.password_hash if account is not None else _dummy_hash()
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is None or account.disabled_at is not None:
        return None
    if _hasher.check_needs_rehash(stored):
        account.password_hash = hash_password(password)
    return account


@dataclass(frozen=True)
class NewSession:
    token: str  # for the cookie; never stored
    csrf_token: str
    account: AccountRow


def open_session(
    session: Session, account: AccountRow, now: dt.datetime, address: str | None
) -> NewSession:
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    session.add(
        AccountSessionRow(
            id=_digest(token),
            account_id=account.id,
            csrf_token=csrf,
            created_at=now,
            last_seen_at=now,
            address=address,
        )
    )
    session.flush()
    return NewSession(token, csrf, account)


def revoke_session(session: Session, token: str, now: dt.datetime) -> None:
    row = session.get(AccountSessionRow, _digest(token))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now


@dataclass(frozen=True)
class LiveSession:
    username: str
    role: str
    csrf_token: str
    started: dt.datetime


def live_session(session: Session, token: str, now: dt.datetime) -> LiveSession:
    """The session this token opens, refreshed; :class:`NotAuthenticated` when it has ended."""
    row = session.get(AccountSessionRow, _digest(token)) if token else None
    if row is None:
        raise NotAuthenticated("sign in first: this session is not known", code="not_signed_in")
    account = session.get(AccountRow, row.account_id)
    ended = (
        row.revoked_at is not None
        or account is None
        or account.disabled_at is not None
        or now - row.last_seen_at > IDLE_TIMEOUT
        or now - row.created_at > MAX_AGE
    )
    if ended or account is None:
        raise NotAuthenticated("your session has ended: sign in again", code="session_ended")
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
    return LiveSession(account.username, account.role, row.csrf_token, row.created_at)


def csrf_matches(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def sessions_open(session: Session, username: str) -> int:
    account = get_account(session, username)
    query = (
        select(func.count())
        .select_from(AccountSessionRow)
        .where(AccountSessionRow.account_id == account.id, AccountSessionRow.revoked_at.is_(None))
    )
    return int(session.scalar(query) or 0)
