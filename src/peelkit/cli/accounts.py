"""Accounts and the audit log: ``peel users add|list|disable`` and ``peel audit``.

The CLI writes as the operator (``Actor.operator(via="cli")``): whoever runs ``peel`` with the
database in hand. The library checks the permission and the password rules; a refusal prints
one line and exits 2, with nothing changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peelkit.cli.options import DbOption, JsonOption, record_id, workspace
from peelkit.cli.output import or_dash, out, print_json, table
from peelkit.errors import PeelkitError

if TYPE_CHECKING:
    from peelkit.record.audit import Actor
    from peelkit.views.workflow import AccountView

users_app = typer.Typer(
    help="Accounts of the web app: add one (inspector, moderator or admin), list them, disable "
    "one.",
    add_completion=False,
)


def cli_actor() -> Actor:
    """Who writes through the CLI: the operator, via ``cli``."""
    from peelkit.record.audit import Actor

    return Actor.operator(via="cli")


def _read_password_file(path: Path) -> str:
    """The file's first line without its line ending (an empty file: an empty password)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PeelkitError(
            f"--password-file {path}: cannot be read ({exc.strerror or exc})",
            code="file_unreadable",
        ) from None
    except UnicodeDecodeError:
        raise PeelkitError(
            f"--password-file {path}: is not UTF-8 text", code="file_unreadable"
        ) from None
    lines = text.splitlines()
    return lines[0] if lines else ""


def _print_account(verb: str, account: AccountView) -> None:
    state = " (disabled)" if account.disabled else ""
    out().print(f"{verb} {account.username}: {account.role}{state}", markup=False)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The username (lower case).")],
    role: Annotated[str, typer.Option(help="inspector, moderator or admin.")],
    password_file: Annotated[
        Path | None,
        typer.Option(
            help="Read the password from the first line of this file (default: ask for it, "
            "twice, without showing it)."
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add an account. The password is kept as an Argon2id hash, never as given."""
    if password_file is not None:
        password = _read_password_file(password_file)
    else:
        # Asked on standard error, so that standard output carries only the answer (--json).
        password = typer.prompt(
            "Password",
            hide_input=True,
            confirmation_prompt=True,
            default="",
            show_default=False,
            err=True,
        )
    with workspace(db) as ws:
        account = ws.add_user(name, role, password, cli_actor())
    if as_json:
        print_json(account)
        return
    _print_account("added", account)


@users_app.command("list")
def users_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the accounts, by name."""
    with workspace(db) as ws:
        listed = ws.users(cli_actor())
    if as_json:
        print_json(listed)
        return
    if not listed:
        out().print("no accounts yet (add one with peel users add)")
        return
    shown = table("name", "role", "created", "disabled")
    for account in listed:
        shown.add_row(
            account.username, account.role, account.created_at, or_dash(account.disabled_at)
        )
    out().print(shown)


@users_app.command("disable")
def users_disable(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The username.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Disable an account: it can no longer sign in, and its sessions end now."""
    with workspace(db) as ws:
        account = ws.disable_user(name, cli_actor())
    if as_json:
        print_json(account)
        return
    _print_account("disabled", account)


def _object_filter(value: str | None) -> tuple[str | None, str | None]:
    """``TYPE`` or ``TYPE:ID`` -> (type, id)."""
    if value is None:
        return None, None
    kind, _, given_id = value.partition(":")
    kind, given_id = kind.strip(), given_id.strip()
    if not kind or (":" in value and not given_id):
        raise PeelkitError(
            f"--object: expected TYPE or TYPE:ID (e.g. inspection:3, account:alice), got {value!r}",
            code="usage",
        )
    return kind, given_id or None


def audit(
    object_filter: Annotated[
        str | None,
        typer.Option(
            "--object",
            metavar="TYPE[:ID]",
            help="Only events on this kind of object (inspection, judgment, finding, evidence, "
            "figure, account, document, ...), or on this one.",
        ),
    ] = None,
    inspection: Annotated[
        int | None,
        typer.Option(help="Only events of this inspection and its items.", callback=record_id),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The audit log: every write, by whom, through which door, oldest first."""
    object_type, object_id = _object_filter(object_filter)
    with workspace(db) as ws:
        events = ws.audit(
            cli_actor(), object_type=object_type, object_id=object_id, inspection_id=inspection
        )
    if as_json:
        print_json(events)
        return
    if not events:
        out().print("no audit events match")
        return
    import json

    # One line per event, never folded or cut short: an audit log is read (and grepped) whole.
    console = out()
    for event in events:
        target = event.object_type + (f":{event.object_id}" if event.object_id else "")
        when = event.at[:19].replace("T", " ")
        line = f"{when}  {event.actor} ({event.role}, via {event.via})  {event.action}  {target}"
        if event.comment:
            line += f"  {json.dumps(' '.join(event.comment.split()), ensure_ascii=False)}"
        console.print(line, markup=False, highlight=False, soft_wrap=True)
