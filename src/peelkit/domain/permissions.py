"""Who may do what: the roles of peelkit's accounts and the one table of their permissions.

Every write through the web app, the API or the CLI names one :class:`Action`; the library
checks it against :data:`PERMISSIONS` in one place (``peelkit.record.workflow.authorise``).
docs/inspectors.md prints the same table (tests/web/test_staff_pages.py checks the two agree).

Roles are cumulative: a moderator can do everything an inspector can, an administrator
everything a moderator can. The ``operator`` is not an account: it is whoever runs ``peel`` with
the database in hand (the CLI and the Python library), who could change the database file
anyway; its writes are audited like anyone's, and published inspections are frozen for it too.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    INSPECTOR = "inspector"
    MODERATOR = "moderator"
    ADMIN = "admin"


OPERATOR = "operator"


class Action(StrEnum):
    """What an actor asks to do. Reading published inspections needs no action (public)."""

    READ_STAFF = "read_staff"  # see drafts, moderated and embargoed inspections
    CREATE_INSPECTION = "create_inspection"
    EDIT_DRAFT = "edit_draft"  # judgments, findings, evidence and figures of a draft
    IMPORT_INTO_DRAFT = "import_into_draft"  # upload a report into a draft
    EDIT_MODERATED = "edit_moderated"  # change grades while moderating
    MODERATE = "moderate"  # draft -> moderated
    RETURN = "return"  # moderated -> draft, with a comment
    PUBLISH = "publish"  # moderated -> published, now or at an embargo time
    CORRECT_PUBLISHED = "correct_published"  # change a published inspection, with a reason
    MANAGE_ACCOUNTS = "manage_accounts"
    MANAGE_REFERENCE = "manage_reference"  # most similar groups, framework files
    READ_AUDIT = "read_audit"
    FOLLOW_UP = "follow_up"  # confirm or reject lineage links, record status events


_INSPECTOR = frozenset(
    {
        Action.READ_STAFF,
        Action.CREATE_INSPECTION,
        Action.EDIT_DRAFT,
        Action.IMPORT_INTO_DRAFT,
        Action.FOLLOW_UP,
    }
)
_MODERATOR = _INSPECTOR | {Action.EDIT_MODERATED, Action.MODERATE, Action.RETURN, Action.PUBLISH}
_ADMIN = _MODERATOR | {
    Action.CORRECT_PUBLISHED,
    Action.MANAGE_ACCOUNTS,
    Action.MANAGE_REFERENCE,
    Action.READ_AUDIT,
}

# The table: role -> the actions it may take.
PERMISSIONS: dict[str, frozenset[Action]] = {
    Role.INSPECTOR.value: _INSPECTOR,
    Role.MODERATOR.value: _MODERATOR,
    Role.ADMIN.value: _ADMIN,
    OPERATOR: frozenset(Action),
}

# In words, for docs/permissions.md and error messages.
ACTION_WORDS: dict[Action, str] = {
    Action.READ_STAFF: "see drafts, moderated and embargoed inspections",
    Action.CREATE_INSPECTION: "create an inspection (a draft)",
    Action.EDIT_DRAFT: "enter and edit the judgments, findings, evidence and figures of a draft",
    Action.IMPORT_INTO_DRAFT: "upload a report to import into a draft",
    Action.EDIT_MODERATED: "edit a moderated inspection",
    Action.MODERATE: "moderate a draft (draft → moderated)",
    Action.RETURN: "send a moderated inspection back with a comment (moderated → draft)",
    Action.PUBLISH: "publish a moderated inspection, now or at an embargo time",
    Action.CORRECT_PUBLISHED: "correct a published inspection, giving the reason",
    Action.MANAGE_ACCOUNTS: "add, list and disable accounts",
    Action.MANAGE_REFERENCE: "load reference data (most similar groups)",
    Action.READ_AUDIT: "read the audit log",
    Action.FOLLOW_UP: "confirm or reject links between findings and record their status",
}


def allowed(role: str, action: Action) -> bool:
    return action in PERMISSIONS.get(role, frozenset())


def roles_allowed(action: Action) -> list[str]:
    """The account roles that may take ``action``, least powerful first."""
    return [role.value for role in Role if allowed(role.value, action)]
