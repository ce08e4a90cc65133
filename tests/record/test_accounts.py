"""Accounts, passwords, sessions and throttled sign-ins, on SQLite and PostgreSQL.

The rules are the issue's: Argon2id hashes, weak passwords refused at ``users add``, a new
session id at every sign-in, sessions ended by signing out, disabling or idling, and failed
sign-ins throttled per account and per address with one message that does not tell whether an
account exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, text

from peelkit import Workspace
from peelkit.errors import InvalidRecord, NotAuthenticated, NotFound, Throttled
from peelkit.record.audit import Actor
from peelkit.record.schema import AccountRow, AccountSessionRow

NOW = dt.datetime(2026, 6, 1, 9, 0)
PASSWORD = "correct horse battery"
OPERATOR = Actor.operator("cli")
ADDRESS = "192.0.2.10"


def _add(workspace: Workspace, name: str = "j.smith", role: str = "inspector") -> None:
    workspace.add_user(name, role, PASSWORD, OPERATOR, now=NOW)


def _sign_in(
    workspace: Workspace,
    name: str = "j.smith",
    password: str = PASSWORD,
    at: dt.datetime = NOW,
    address: str | None = ADDRESS,
) -> str:
    return workspace.sign_in(name, password, address, at, "web").token


def _refusal(
    workspace: Workspace, name: str, password: str, at: dt.datetime, address: str | None = ADDRESS
) -> NotAuthenticated:
    with pytest.raises(NotAuthenticated) as caught:
        workspace.sign_in(name, password, address, at, "web")
    return caught.value


# --- passwords --------------------------------------------------------------------------------


def test_the_password_is_kept_only_as_its_argon2id_hash(workspace: Workspace) -> None:
    _add(workspace)
    with workspace.database.transaction() as session:
        stored = session.scalar(select(AccountRow.password_hash))
        dump = " ".join(
            str(value)
            for row in session.execute(text("SELECT * FROM account")).all()
            for value in row
        )
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in dump
    # An Argon2 implementation of its own verifies the hash against the password.
    assert PasswordHasher().verify(stored, PASSWORD)


@pytest.mark.parametrize(
    "password",
    [
        "",  # empty
        "Tr0ub4dor&3",  # 11 characters
        "aaaaaaaaaaaa",  # 12, one character repeated
        "xj.smith-42!Q",  # holds the username
        "password1234",  # a common password with digits after it
    ],
)
def test_a_weak_password_is_refused_and_no_account_is_made(
    workspace: Workspace, password: str
) -> None:
    with pytest.raises(InvalidRecord) as caught:
        workspace.add_user("j.smith", "inspector", password, OPERATOR, now=NOW)
    assert caught.value.code == "weak_password"
    assert caught.value.status == 400
    assert workspace.users(OPERATOR) == []
    assert workspace.audit(OPERATOR) == []


def test_a_twelve_character_password_of_the_users_own_is_accepted(workspace: Workspace) -> None:
    workspace.add_user("j.smith", "moderator", "Tr0ub4dor&3x", OPERATOR, now=NOW)
    assert [(u.username, u.role, u.disabled) for u in workspace.users(OPERATOR)] == [
        ("j.smith", "moderator", False)
    ]


def test_a_second_account_of_the_same_name_is_a_conflict(workspace: Workspace) -> None:
    _add(workspace)
    with pytest.raises(InvalidRecord) as caught:
        workspace.add_user("j.smith", "admin", "another long passphrase", OPERATOR, now=NOW)
    assert (caught.value.code, caught.value.kind, caught.value.status) == (
        "account_exists",
        "conflict",
        409,
    )
    assert [u.role for u in workspace.users(OPERATOR)] == ["inspector"]


def test_bad_names_and_roles_are_refused(workspace: Workspace) -> None:
    with pytest.raises(InvalidRecord) as caught:
        workspace.add_user("J Smith", "inspector", PASSWORD, OPERATOR, now=NOW)
    assert caught.value.code == "invalid_username"
    with pytest.raises(InvalidRecord) as caught:
        workspace.add_user("j.smith", "superuser", PASSWORD, OPERATOR, now=NOW)
    assert caught.value.code == "unknown_role"
    with pytest.raises(NotFound) as missing:
        workspace.disable_user("nobody", OPERATOR, now=NOW)
    assert missing.value.code == "account_not_found"
    assert workspace.users(OPERATOR) == []


# --- sessions ---------------------------------------------------------------------------------


def test_every_sign_in_makes_a_new_session_and_sign_out_ends_only_that_one(
    workspace: Workspace,
) -> None:
    _add(workspace)
    first = _sign_in(workspace)
    second = _sign_in(workspace, at=NOW + dt.timedelta(minutes=1))
    assert first != second
    # The earlier session still works until it is revoked.
    later = NOW + dt.timedelta(minutes=2)
    assert workspace.session(first, later).username == "j.smith"
    assert workspace.session(second, later).role == "inspector"
    assert workspace.session(first, later).csrf_token != workspace.session(second, later).csrf_token
    workspace.sign_out(first, later, "web")
    with pytest.raises(NotAuthenticated) as caught:
        workspace.session(first, later)
    assert (caught.value.code, caught.value.status) == ("session_ended", 401)
    assert workspace.session(second, later).username == "j.smith"
    # Signing out again with the ended session is refused too.
    with pytest.raises(NotAuthenticated):
        workspace.sign_out(first, later, "web")


def test_an_unknown_token_is_not_signed_in(workspace: Workspace) -> None:
    with pytest.raises(NotAuthenticated) as caught:
        workspace.session("made-up-token", NOW)
    assert (caught.value.code, caught.value.status) == ("not_signed_in", 401)
    with pytest.raises(NotAuthenticated):
        workspace.session("", NOW)


def test_only_the_sha256_of_the_token_is_stored(workspace: Workspace) -> None:
    _add(workspace)
    token = _sign_in(workspace)
    with workspace.database.transaction() as session:
        ids = list(session.scalars(select(AccountSessionRow.id)))
        dump = " ".join(
            str(value)
            for row in session.execute(text("SELECT * FROM account_session")).all()
            for value in row
        )
    assert ids == [hashlib.sha256(token.encode()).hexdigest()]
    assert token not in dump


def test_a_session_ends_after_30_minutes_idle(workspace: Workspace) -> None:
    _add(workspace)
    token = _sign_in(workspace)
    # Used at 29 minutes, it lives 30 minutes from then.
    assert workspace.session(token, NOW + dt.timedelta(minutes=29)).username == "j.smith"
    assert workspace.session(token, NOW + dt.timedelta(minutes=58)).username == "j.smith"
    with pytest.raises(NotAuthenticated) as caught:
        workspace.session(token, NOW + dt.timedelta(minutes=58 + 31))
    assert caught.value.code == "session_ended"


def test_a_session_idle_31_minutes_after_sign_in_has_ended(workspace: Workspace) -> None:
    _add(workspace)
    token = _sign_in(workspace)
    with pytest.raises(NotAuthenticated) as caught:
        workspace.session(token, NOW + dt.timedelta(minutes=31))
    assert caught.value.code == "session_ended"


def test_a_session_never_outlives_twelve_hours_even_when_used(workspace: Workspace) -> None:
    _add(workspace)
    token = _sign_in(workspace)
    at = NOW
    while at < NOW + dt.timedelta(hours=11, minutes=50):
        at += dt.timedelta(minutes=20)
        assert workspace.session(token, at).username == "j.smith"
    with pytest.raises(NotAuthenticated) as caught:
        workspace.session(token, NOW + dt.timedelta(hours=12, minutes=1))
    assert caught.value.code == "session_ended"


def test_disabling_an_account_ends_its_sessions_and_refuses_its_sign_in(
    workspace: Workspace,
) -> None:
    _add(workspace)
    _add(workspace, "a.jones", "moderator")
    token = _sign_in(workspace)
    other = _sign_in(workspace, "a.jones")
    disabled = workspace.disable_user("j.smith", OPERATOR, now=NOW + dt.timedelta(minutes=1))
    assert disabled.disabled
    later = NOW + dt.timedelta(minutes=2)
    with pytest.raises(NotAuthenticated) as caught:
        workspace.session(token, later)
    assert caught.value.code == "session_ended"
    refused = _refusal(workspace, "j.smith", PASSWORD, later)
    assert refused.code == "sign_in_refused"
    wrong = _refusal(workspace, "a.jones", "not the password at all", later)
    # One message whether the account is disabled or the password wrong.
    assert refused.message == wrong.message
    assert workspace.session(other, later).username == "a.jones"


# --- throttling -------------------------------------------------------------------------------


def test_five_failures_throttle_the_account_even_for_the_right_password(
    workspace: Workspace,
) -> None:
    _add(workspace)
    for second in range(5):
        failure = _refusal(
            workspace, "j.smith", "wrong password here", NOW + dt.timedelta(0, second)
        )
        assert failure.code == "sign_in_refused"
    with pytest.raises(Throttled) as caught:
        _sign_in(workspace, at=NOW + dt.timedelta(seconds=10))
    assert (caught.value.code, caught.value.kind, caught.value.status) == (
        "too_many_attempts",
        "throttled",
        429,
    )
    assert 0 < caught.value.retry_after <= 15 * 60
    # Another address does not help: the limit is on the account.
    with pytest.raises(Throttled):
        _sign_in(workspace, at=NOW + dt.timedelta(minutes=14), address="198.51.100.7")
    # Free again once the failures are more than 15 minutes old.
    token = _sign_in(workspace, at=NOW + dt.timedelta(minutes=15, seconds=5))
    assert workspace.session(token, NOW + dt.timedelta(minutes=16)).username == "j.smith"


def test_an_unknown_name_is_refused_and_throttled_the_same_way(workspace: Workspace) -> None:
    _add(workspace)
    wrong_password = _refusal(workspace, "j.smith", "wrong password here", NOW)
    unknown = _refusal(workspace, "nobody.here", "wrong password here", NOW)
    assert (unknown.code, unknown.message) == (wrong_password.code, wrong_password.message)
    assert "nobody" not in unknown.message
    for second in range(1, 5):
        _refusal(workspace, "nobody.here", "still wrong", NOW + dt.timedelta(0, second))
    with pytest.raises(Throttled) as unknown_throttled:
        workspace.sign_in("nobody.here", "still wrong", ADDRESS, NOW + dt.timedelta(0, 9), "web")
    for second in range(1, 5):
        _refusal(workspace, "j.smith", "wrong password here", NOW + dt.timedelta(0, second))
    with pytest.raises(Throttled) as known_throttled:
        _sign_in(workspace, at=NOW + dt.timedelta(0, 9))
    assert unknown_throttled.value.message == known_throttled.value.message


def test_twenty_failures_from_one_address_throttle_it_across_names(workspace: Workspace) -> None:
    _add(workspace)
    for number in range(20):
        # Twenty names, each failing once: no name reaches its own limit.
        _refusal(workspace, f"guess{number}", "a wrong password", NOW + dt.timedelta(0, number))
    with pytest.raises(Throttled):
        _sign_in(workspace, at=NOW + dt.timedelta(minutes=1))
    # The account itself is not throttled: from another address the right password works.
    token = _sign_in(workspace, at=NOW + dt.timedelta(minutes=1), address="198.51.100.7")
    assert workspace.session(token, NOW + dt.timedelta(minutes=1)).username == "j.smith"
    # And the address is free again 15 minutes after its failures.
    assert _sign_in(workspace, at=NOW + dt.timedelta(minutes=15, seconds=20))


def test_nineteen_failures_from_an_address_do_not_throttle_it(workspace: Workspace) -> None:
    _add(workspace)
    for number in range(19):
        _refusal(workspace, f"guess{number}", "a wrong password", NOW + dt.timedelta(0, number))
    assert _sign_in(workspace, at=NOW + dt.timedelta(minutes=1))


def test_four_failures_do_not_throttle_an_account(workspace: Workspace) -> None:
    _add(workspace)
    for second in range(4):
        _refusal(workspace, "j.smith", "wrong password here", NOW + dt.timedelta(0, second))
    assert _sign_in(workspace, at=NOW + dt.timedelta(seconds=10))
