"""The files peelkit writes: whole or not at all, with their places checked before the work.

:func:`write_atomically` (and :func:`replace_files` for several files at once) writes each new
content to a temporary file in the target's own folder, flushes it to the disk (``fsync``) and
renames it over the target (``os.replace``), then flushes the folder. A reader sees the old
file or the new one, never a part of one; a failure (a full disk, a read-only file system, an
exception while making the content, an interrupted process) leaves the earlier file whole and
no temporary file behind. Only a process killed between creating and renaming a temporary file
can leave one, named ``.NAME.*.tmp`` beside NAME, and never a damaged NAME.

:func:`check_output_file` and :func:`check_output_folder` refuse, before any work starts, a
place nothing could be written to: a missing folder for a file, a folder where a file is meant,
a file where a folder is meant, a folder that is read-only or on a read-only file system. Each
raises :class:`OutputNotWritable` with one line naming the option (when given) and the path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from peelkit.errors import PeelkitError

TEMPORARY_SUFFIX = ".tmp"


class OutputNotWritable(PeelkitError):
    """A file or folder peelkit was asked to write cannot be written there."""

    code = "output_not_writable"


# --- checks before the work ---------------------------------------------------------------------


def check_output_file(path: Path, option: str | None = None) -> None:
    """Refuse now a ``path`` a file could not be written to: its folder must exist and take
    new files, ``path`` must not be a folder and, if it exists, must be writable."""
    shown = _shown(path, option)
    if path.is_dir():
        raise OutputNotWritable(
            f"{shown}: is a folder; give the name of a file to write", code="output_is_a_folder"
        )
    folder = _target(path).parent
    blocker = _first_file(folder)
    if blocker is not None:
        raise _not_a_folder(shown, blocker, "give a path in a folder")
    if not folder.exists():
        raise OutputNotWritable(
            f"{shown}: folder {folder} does not exist; create it first or give another path",
            code="output_folder_missing",
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputNotWritable(
            f"{shown}: the file is read-only (or on a read-only file system); nothing was written"
        )
    _probe(folder, shown)


def check_output_folder(path: Path, option: str | None = None) -> None:
    """Refuse now a folder ``path`` files could not be written into: ``path`` must be a folder
    that takes new files or, if it does not exist yet, be creatable (its nearest existing
    ancestor a folder that takes new folders)."""
    shown = _shown(path, option)
    if path.exists() and not path.is_dir():
        raise _not_a_folder(shown, path, "give a folder")
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise _not_a_folder(shown, existing, "give a folder")
    _probe(existing, shown)


def _shown(path: Path, option: str | None) -> str:
    return f"{option} {path}" if option else str(path)


def _not_a_folder(shown: str, file: Path, hint: str) -> OutputNotWritable:
    where = "it" if shown.endswith(str(file)) else str(file)
    return OutputNotWritable(
        f"{shown}: {where} is a file, not a folder; {hint}", code="output_not_a_folder"
    )


def _first_file(folder: Path) -> Path | None:
    """The first part of ``folder``'s path that is a file (not a folder), if one is."""
    for part in (*reversed(folder.parents), folder):
        if part.exists() and not part.is_dir():
            return part
    return None


def _probe(folder: Path, shown: str) -> None:
    """Create and remove a file in ``folder``: fails on a read-only folder or file system."""
    try:
        handle, name = tempfile.mkstemp(prefix=".peelkit-probe-", dir=folder)
    except OSError as exc:
        raise not_writable(shown, exc, existed=False) from None
    os.close(handle)
    os.unlink(name)


# --- writing ------------------------------------------------------------------------------------


def write_atomically(path: Path, data: bytes | str) -> None:
    """Write ``data`` (text as UTF-8) as ``path``, whole or not at all (the module's docstring
    says how); a failure raises :class:`OutputNotWritable` with the earlier file unchanged."""
    replace_files({path: data})


def replace_files(contents: Mapping[Path, bytes | str]) -> None:
    """Write every file of ``contents``: all the temporary files first, then the renames, so
    that a failure while writing (a full disk) leaves every earlier file as it was."""
    staged: list[tuple[Path, str]] = []
    try:
        for path, data in contents.items():
            raw = data.encode("utf-8") if isinstance(data, str) else data
            staged.append((path, _stage(path, raw)))
        for path, temporary in staged:
            try:
                os.replace(temporary, _target(path))
            except OSError as exc:
                raise not_writable(str(path), exc, existed=path.exists()) from None
    finally:
        for _, temporary in staged:
            _remove(temporary)
    for folder in dict.fromkeys(_target(path).parent for path in contents):
        sync_folder(folder)


def _stage(path: Path, data: bytes) -> str:
    """``data`` in a new temporary file beside ``path``, flushed to the disk; its name."""
    target = _target(path)
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX, dir=target.parent
        )
    except OSError as exc:
        raise not_writable(str(path), exc, existed=target.exists()) from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(name, _mode(target))
    except OSError as exc:
        _remove(name)
        raise not_writable(str(path), exc, existed=target.exists()) from None
    except BaseException:
        _remove(name)
        raise
    return name


def _target(path: Path) -> Path:
    """The file really written: a link's target, so the link stays a link."""
    return path.resolve() if path.is_symlink() else path


def _mode(target: Path) -> int:
    """An earlier file's permissions, or those a new file gets under the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove(name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename into it) to the disk, where the system allows it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # some file systems cannot flush a folder
            os.fsync(handle)
    finally:
        os.close(handle)


def sync_tree(folder: Path) -> None:
    """Flush every file of ``folder`` (not its subfolders' files) and the folder itself."""
    for path in folder.iterdir():
        if path.is_file():
            handle = os.open(path, os.O_RDONLY)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)
    sync_folder(folder)


def not_writable(shown: str, exc: OSError, *, existed: bool) -> OutputNotWritable:
    """The one-line error for an OSError met while writing ``shown``."""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = f"{reason} (the disk is full)"
    kept = "the earlier file is unchanged" if existed else "nothing was written"
    return OutputNotWritable(f"{shown}: cannot write: {reason}; {kept}")
