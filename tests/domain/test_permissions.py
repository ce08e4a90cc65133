"""The permission table matches the issue's words, written out here on its own:

- inspector: create inspections (draft), enter and edit the items of drafts, upload a report
  into a draft (and see what the public cannot: drafts, moderated and embargoed inspections);
- moderator: everything an inspector can, plus moderate (and change grades while moderating),
  send back with a comment, publish;
- admin: everything a moderator can, plus accounts, reference data, corrections to published
  inspections, and the audit log.
"""

from __future__ import annotations

import pytest

from peelkit.domain.permissions import (
    ACTION_WORDS,
    OPERATOR,
    PERMISSIONS,
    Action,
    Role,
    allowed,
    roles_allowed,
)
from peelkit.errors import Forbidden
from peelkit.record.audit import Actor
from peelkit.record.workflow import authorise

# Issue 10 gives inspectors the drafts; issue 11 gives every role follow-up decisions.
INSPECTOR = {"read_staff", "create_inspection", "edit_draft", "import_into_draft", "follow_up"}
MODERATOR = INSPECTOR | {"edit_moderated", "moderate", "return", "publish"}
ADMIN = MODERATOR | {"correct_published", "manage_accounts", "manage_reference", "read_audit"}
EXPECTED = {"inspector": INSPECTOR, "moderator": MODERATOR, "admin": ADMIN}


def test_the_roles_are_inspector_moderator_and_admin() -> None:
    assert [role.value for role in Role] == ["inspector", "moderator", "admin"]


def test_the_table_gives_each_role_the_actions_the_issue_names() -> None:
    table = {role: {action.value for action in actions} for role, actions in PERMISSIONS.items()}
    assert {role: table[role] for role in EXPECTED} == EXPECTED
    # The operator (the CLI and the library, database in hand) may take every action.
    assert table[OPERATOR] == {action.value for action in Action}
    assert set(table) == set(EXPECTED) | {OPERATOR}


def test_every_action_is_someones_and_has_words() -> None:
    assert {action.value for action in Action} == ADMIN
    assert set(ACTION_WORDS) == set(Action)


@pytest.mark.parametrize("role", ["inspector", "moderator", "admin"])
@pytest.mark.parametrize("action", list(Action))
def test_allowed_and_authorise_follow_the_table(role: str, action: Action) -> None:
    expected = action.value in EXPECTED[role]
    assert allowed(role, action) is expected
    actor = Actor(f"someone.{role}", role, "web")
    if expected:
        authorise(actor, action)
    else:
        with pytest.raises(Forbidden) as caught:
            authorise(actor, action)
        assert (caught.value.code, caught.value.status) == ("not_permitted", 403)
        # The message says who may.
        for other in roles_allowed(action):
            assert other in caught.value.message


def test_an_unknown_role_may_do_nothing() -> None:
    for action in Action:
        assert not allowed("public", action)
        with pytest.raises(Forbidden):
            authorise(Actor("anonymous", "public", "web"), action)


def test_roles_allowed_lists_the_least_powerful_first() -> None:
    assert roles_allowed(Action.EDIT_DRAFT) == ["inspector", "moderator", "admin"]
    assert roles_allowed(Action.PUBLISH) == ["moderator", "admin"]
    assert roles_allowed(Action.READ_AUDIT) == ["admin"]
