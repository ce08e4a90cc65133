"""The inspectors' workflow through ``peel``: accounts, moderation, embargoed publication,
corrections of a published inspection and the audit log, run in process as a user would."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from peelkit import Workspace
from peelkit.cli import app, main
from peelkit.cli.options import settings
from peelkit.errors import NotAuthenticated

PASSWORD = "correct horse battery staple"


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


Peel = Callable[..., Run]


@pytest.fixture
def peel(capsys: pytest.CaptureFixture[str]) -> Peel:
    def run(*args: str) -> Run:
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'workflow.sqlite'}"


def _signs_in(url: str, username: str, password: str) -> bool:
    with Workspace(url) as ws:
        try:
            ws.sign_in(username, password, "127.0.0.1", dt.datetime.now(dt.UTC), via="web")
        except NotAuthenticated:
            return False
    return True


def _error(result: Run) -> str:
    """The one error line, after checking the command failed as a user mistake does."""
    assert result.code == 2, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("peel: error: "), result.err
    return lines[0]


# --- accounts --------------------------------------------------------------------------------


def test_users_add_from_a_file_list_and_disable(peel: Peel, db: str, tmp_path: Path) -> None:
    password_file = tmp_path / "password.txt"
    # The first line is the password; its line ending and anything after it are not.
    password_file.write_text(f"{PASSWORD}\r\nsecond line\n", encoding="utf-8")
    added = peel(
        "users", "add", "alice", "--role", "moderator", "--password-file", str(password_file),
        "--db", db, "--json",
    )  # fmt: skip
    assert added.code == 0, added.err
    account = added.json()
    assert (account["username"], account["role"], account["disabled"]) == (
        "alice",
        "moderator",
        False,
    )
    assert PASSWORD not in added.out
    assert _signs_in(db, "alice", PASSWORD)
    assert not _signs_in(db, "alice", PASSWORD + "\r")

    assert peel("users", "add", "bob", "--role", "admin", "--password-file",
                str(password_file), "--db", db).code == 0  # fmt: skip
    listed = peel("users", "list", "--db", db, "--json").json()
    assert [(a["username"], a["role"], a["disabled_at"]) for a in listed] == [
        ("alice", "moderator", None),
        ("bob", "admin", None),
    ]

    disabled = peel("users", "disable", "alice", "--db", db, "--json")
    assert disabled.code == 0, disabled.err
    assert disabled.json()["disabled"] is True
    after = {a["username"]: a for a in peel("users", "list", "--db", db, "--json").json()}
    assert after["alice"]["disabled"] is True and after["alice"]["disabled_at"] is not None
    assert after["bob"]["disabled"] is False
    assert not _signs_in(db, "alice", PASSWORD)
    text = peel("users", "list", "--db", db).out
    assert "alice" in text and "moderator" in text

    assert "no account named 'carol'" in _error(peel("users", "disable", "carol", "--db", db))
    taken = peel("users", "add", "bob", "--role", "inspector", "--password-file",
                 str(password_file), "--db", db)  # fmt: skip
    assert "bob" in _error(taken)
    unknown_role = peel("users", "add", "dave", "--role", "superuser", "--password-file",
                        str(password_file), "--db", db)  # fmt: skip
    assert "superuser" in _error(unknown_role)
    names = [a["username"] for a in peel("users", "list", "--db", db, "--json").json()]
    assert names == ["alice", "bob"]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("short1!\n", "at least 12"),
        ("\n", "empty"),
        ("", "empty"),
        ("aaaaaaaaaaaaaaaa\n", "5 different"),
        ("erin-is-my-name-ok\n", "username"),
    ],
)
def test_a_weak_or_empty_password_makes_no_account(
    peel: Peel, db: str, tmp_path: Path, content: str, says: str
) -> None:
    password_file = tmp_path / "weak.txt"
    password_file.write_text(content, encoding="utf-8")
    result = peel("users", "add", "erin", "--role", "inspector", "--password-file",
                  str(password_file), "--db", db)  # fmt: skip
    assert says in _error(result)
    assert peel("users", "list", "--db", db, "--json").json() == []


def test_a_missing_password_file_is_a_clear_error(peel: Peel, db: str, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-file.txt"
    result = peel("users", "add", "erin", "--role", "inspector", "--password-file",
                  str(missing), "--db", db)  # fmt: skip
    line = _error(result)
    assert "--password-file" in line and "no-such-file.txt" in line and "cannot be read" in line
    assert peel("users", "list", "--db", db, "--json").json() == []


def test_users_add_asks_for_the_password_twice_without_showing_it(db: str) -> None:
    runner = CliRunner()
    # The two entries differ at first: it asks again, and keeps the pair that matches.
    typed = f"{PASSWORD} one\n{PASSWORD} two\n{PASSWORD}\n{PASSWORD}\n"
    try:
        result = runner.invoke(
            app,
            ["users", "add", "frank", "--role", "inspector", "--db", db, "--json"],
            input=typed,
        )
    finally:
        settings.reset()
    assert result.exit_code == 0, result.output
    # The questions go to standard error; standard output is only the answer.
    assert result.stderr.count("Password:") == 2
    assert result.stderr.count("Repeat for confirmation:") == 2
    assert "do not match" in result.stderr
    assert json.loads(result.stdout)["username"] == "frank"
    assert PASSWORD not in result.output  # hidden input is not echoed
    assert _signs_in(db, "frank", PASSWORD)
    assert not _signs_in(db, "frank", f"{PASSWORD} one")


def test_an_empty_password_at_the_prompt_is_refused(db: str, peel: Peel) -> None:
    runner = CliRunner()
    try:
        result = runner.invoke(
            app, ["users", "add", "gina", "--role", "inspector", "--db", db], input="\n\n"
        )
    finally:
        settings.reset()
    assert result.exit_code != 0
    assert getattr(result.exception, "code", None) == "weak_password"
    assert peel("users", "list", "--db", db, "--json").json() == []


# --- the workflow, end to end ----------------------------------------------------------------


def _status(peel: Peel, url: str, inspection_id: str) -> str:
    shown = peel("inspections", "show", inspection_id, "--db", url, "--json")
    assert shown.code == 0, shown.err
    status: str = shown.json()["status"]
    return status


def test_draft_to_embargoed_publication_then_a_correction(peel: Peel, database_url: str) -> None:
    url = database_url
    added = peel("inspections", "add", "Kent", "--framework", "peel-2018-19", "--status",
                 "draft", "--db", url, "--json")  # fmt: skip
    assert added.code == 0, added.err
    iid = str(added.json()["id"])
    assert added.json()["status"] == "draft" and added.json()["version"] == 1
    judged = peel("judgments", "add", iid, "Efficiency", "Good", "--db", url, "--json")
    assert judged.code == 0, judged.err

    moderated = peel("inspections", "moderate", iid, "--db", url, "--json")
    assert moderated.code == 0, moderated.err
    assert moderated.json()["status"] == "moderated"

    assert "comment" in _error(peel("inspections", "return", iid, "--db", url))
    assert _status(peel, url, iid) == "moderated"
    returned = peel("inspections", "return", iid, "--comment", "check efficiency", "--db", url)
    assert returned.code == 0, returned.err
    assert "draft" in returned.out
    assert _status(peel, url, iid) == "draft"
    # A draft cannot be published: it is moderated first.
    assert "draft" in _error(peel("inspections", "publish", iid, "--db", url))
    assert peel("inspections", "moderate", iid, "--db", url).code == 0

    past = peel("inspections", "publish", iid, "--embargo-until", "2020-01-01 00:01", "--db", url)
    assert "has passed" in _error(past)
    assert _status(peel, url, iid) == "moderated"
    assert "not a date and time" in _error(
        peel("inspections", "publish", iid, "--embargo-until", "soon", "--db", url)
    )

    # 1 July is in British Summer Time: 00:01 in London is 23:01 UTC the day before.
    year = dt.datetime.now(dt.UTC).year + 2
    day = dt.date(year, 7, 1)
    notice = f"Not for publication until 00:01 on {day:%A} 1 July {year} (UK time, BST)"
    published = peel("inspections", "publish", iid, "--embargo-until", f"{year}-07-01 00:01",
                     "--db", url)  # fmt: skip
    assert published.code == 0, published.err
    assert notice in published.out
    shown = peel("inspections", "show", iid, "--db", url, "--json").json()
    assert shown["status"] == "published"
    assert shown["embargo_until"] == f"{year}-06-30T23:01:00"
    assert shown["published"] == f"{year}-07-01"
    assert shown["version"] == 5  # four transitions after the first version
    assert notice in peel("inspections", "show", iid, "--db", url).out
    # The public does not see it before the embargo.
    with Workspace(url) as ws:
        assert ws.inspections(public_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)) == []

    # Frozen: an addition is a correction and needs its reason.
    frozen = peel("judgments", "add", iid, "Legitimacy", "Good", "--db", url)
    assert "reason" in _error(frozen)
    frozen_finding = peel("findings", "add", iid, "strength", "x", "--db", url)
    assert "reason" in _error(frozen_finding)
    corrected = peel("judgments", "add", iid, "Legitimacy", "Good", "--reason",
                     "left out in error", "--db", url, "--json")  # fmt: skip
    assert corrected.code == 0, corrected.err
    areas = [j["area"] for j in peel("inspections", "show", iid, "--db", url, "--json").json()[
        "judgments"]]  # fmt: skip
    assert sorted(areas) == ["efficiency", "legitimacy"]

    events = peel("audit", "--inspection", iid, "--db", url, "--json").json()
    assert [e["action"] for e in events] == [
        "inspection.add",
        "judgment.add",
        "inspection.moderate",
        "inspection.return",
        "inspection.moderate",
        "inspection.publish",
        "judgment.add",
    ]
    ids = [e["id"] for e in events]
    assert ids == sorted(ids)
    assert {e["via"] for e in events} == {"cli"}
    assert {(e["actor"], e["role"]) for e in events} == {
        (f"operator:{getpass.getuser()}", "operator")
    }
    assert {e["inspection"] for e in events} == {int(iid)}
    assert events[3]["comment"] == "check efficiency"
    assert events[3]["before"]["status"] == "moderated"
    assert events[3]["after"]["status"] == "draft"
    assert events[5]["after"] == {
        "status": "published",
        "published": f"{year}-07-01",
        "embargo_until": f"{year}-06-30T23:01:00",
    }
    assert events[6]["comment"] == "left out in error"
    assert events[6]["before"] is None and events[6]["after"]["area"] == "legitimacy"
    assert events[1]["after"]["grade"] == "good"

    judgments = peel("audit", "--object", "judgment", "--db", url, "--json").json()
    assert [e["object_id"] for e in judgments] == [
        str(judged.json()["id"]),
        str(corrected.json()["id"]),
    ]
    one = peel("audit", "--object", f"inspection:{iid}", "--db", url, "--json").json()
    assert len(one) == 5 and {e["object_type"] for e in one} == {"inspection"}
    table = peel("audit", "--inspection", iid, "--db", url).out
    assert "check efficiency" in table and "cli" in table


def test_audit_lists_account_changes_and_refuses_a_bad_filter(
    peel: Peel, db: str, tmp_path: Path
) -> None:
    password_file = tmp_path / "password.txt"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    peel("users", "add", "hana", "--role", "admin", "--password-file", str(password_file),
         "--db", db)  # fmt: skip
    peel("users", "disable", "hana", "--db", db)
    events = peel("audit", "--object", "account:hana", "--db", db, "--json").json()
    assert [e["action"] for e in events] == ["account.add", "account.disable"]
    assert events[1]["before"]["disabled"] is False and events[1]["after"]["disabled"] is True
    # No password, nor its hash, goes into the log.
    assert PASSWORD not in json.dumps(events) and "argon2" not in json.dumps(events)
    assert peel("audit", "--object", "account:nobody", "--db", db, "--json").json() == []
    assert "--object" in _error(peel("audit", "--object", "account:", "--db", db))
    assert "--object" in _error(peel("audit", "--object", ":3", "--db", db))


def test_transitions_of_an_unknown_inspection_are_refused(peel: Peel, db: str) -> None:
    assert "999" in _error(peel("inspections", "moderate", "999", "--db", db))
