"""Outputs written whole or not at all, and output places checked before the work.

The full-disk and read-only cases run on a small tmpfs mounted for the test (``mount -t tmpfs``
needs root, or CAP_SYS_ADMIN); where it cannot be mounted they are skipped with the reason.
A folder made read-only with chmod stops a normal user but not root, so that case runs only
when the tests do not run as root (the read-only tmpfs covers root).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from peelkit.errors import PeelkitError
from peelkit.outputs import (
    OutputNotWritable,
    check_output_file,
    check_output_folder,
    replace_files,
    write_atomically,
)

Mount = Callable[..., Path]


def _mount(point: Path, size: str) -> str | None:
    """Mount a tmpfs of ``size`` on ``point``; why it could not be, or None."""
    if shutil.which("mount") is None:
        return "no mount command"
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(point)],
        capture_output=True,
        text=True,
        check=False,
    )
    return None if done.returncode == 0 else (done.stderr.strip() or f"exit {done.returncode}")


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Mount]:
    """``tmpfs(size="64k")``: a folder on a new tmpfs of that size, unmounted afterwards; the
    test is skipped, with the reason, where no tmpfs can be mounted."""
    mounted: list[Path] = []

    def mount(size: str = "64k") -> Path:
        point = tmp_path / f"tmpfs-{uuid.uuid4().hex[:8]}"
        point.mkdir()
        reason = _mount(point, size)
        if reason is not None:
            pytest.skip(f"cannot mount a tmpfs for the full-disk and read-only cases: {reason}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True, check=False)


def fill(disk: Path) -> None:
    """Fill the file system of ``disk`` to the last byte (with a file named ``filler``)."""
    with (disk / "filler").open("wb", buffering=0) as handle:
        for chunk in (b"\0" * 4096, b"\0"):
            try:
                while handle.write(chunk):
                    pass
            except OSError:
                pass  # full


def make_read_only(disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True, capture_output=True)


def left_beside(folder: Path, *expected: str) -> list[str]:
    """The names in ``folder`` that are not ``expected`` (temporary files left behind)."""
    return sorted(p.name for p in folder.iterdir() if p.name not in expected)


# --- writing ------------------------------------------------------------------------------------


def test_a_new_file_is_written_with_the_umasks_permissions(tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    write_atomically(target, '{"a": "é"}\n')
    assert target.read_bytes() == '{"a": "é"}\n'.encode()
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert left_beside(tmp_path, "export.json") == []


def test_an_earlier_file_is_replaced_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("earlier", encoding="utf-8")
    target.chmod(0o640)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert left_beside(tmp_path, "report.html") == []


def test_a_link_stays_a_link_and_its_target_is_written(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("earlier", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomically(link, "new")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new"


def test_a_full_disk_leaves_the_earlier_file_whole_and_no_temporary_file(tmpfs: Mount) -> None:
    disk = tmpfs("64k")
    target = disk / "export.json"
    target.write_text("the earlier export", encoding="utf-8")
    fill(disk)
    with pytest.raises(OutputNotWritable) as raised:
        write_atomically(target, "x" * 10_000)
    assert raised.value.code == "output_not_writable"
    assert str(raised.value) == (
        f"{target}: cannot write: No space left on device (the disk is full); "
        "the earlier file is unchanged"
    )
    assert target.read_text(encoding="utf-8") == "the earlier export"
    assert left_beside(disk, "export.json", "filler") == []


def test_several_files_change_together_or_not_at_all_on_a_full_disk(tmpfs: Mount) -> None:
    disk = tmpfs("64k")
    first, second = disk / "a.html", disk / "a.pdf"
    first.write_text("earlier html", encoding="utf-8")
    second.write_text("earlier pdf", encoding="utf-8")
    # 40 KB fit on the 64 KB disk once, not twice: the second file cannot be staged.
    with pytest.raises(OutputNotWritable):
        replace_files({first: "h" * 40_000, second: "p" * 40_000})
    assert first.read_text(encoding="utf-8") == "earlier html"
    assert second.read_text(encoding="utf-8") == "earlier pdf"
    assert left_beside(disk, "a.html", "a.pdf") == []
    # With room for both, both change.
    replace_files({first: "new html", second: b"new pdf"})
    assert (first.read_text(encoding="utf-8"), second.read_bytes()) == ("new html", b"new pdf")


def test_a_read_only_file_system_is_one_line_and_the_file_unchanged(tmpfs: Mount) -> None:
    disk = tmpfs("64k")
    target = disk / "export.json"
    target.write_text("the earlier export", encoding="utf-8")
    make_read_only(disk)
    with pytest.raises(OutputNotWritable) as raised:
        check_output_file(target, "FILE")
    assert str(raised.value) == (
        f"FILE {target}: the file is read-only (or on a read-only file system); nothing was written"
    )
    with pytest.raises(OutputNotWritable) as raised:
        write_atomically(target, "new")
    assert "Read-only file system" in str(raised.value)
    assert target.read_text(encoding="utf-8") == "the earlier export"
    with pytest.raises(OutputNotWritable) as raised:
        check_output_folder(disk / "reports", "--out")
    assert str(raised.value) == (
        f"--out {disk / 'reports'}: cannot write: Read-only file system; nothing was written"
    )


# --- the checks before the work -----------------------------------------------------------------


def _refused(check: Callable[[], None]) -> PeelkitError:
    with pytest.raises(OutputNotWritable) as raised:
        check()
    return raised.value


def test_a_file_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "export.json"
    error = _refused(lambda: check_output_file(target))
    assert error.code == "output_folder_missing"
    assert str(error) == (
        f"{target}: folder {tmp_path / 'missing'} does not exist; create it first or give "
        "another path"
    )
    assert not (tmp_path / "missing").exists()


def test_a_folder_given_as_a_file_is_refused(tmp_path: Path) -> None:
    error = _refused(lambda: check_output_file(tmp_path, "FILE"))
    assert error.code == "output_is_a_folder"
    assert str(error) == f"FILE {tmp_path}: is a folder; give the name of a file to write"


def test_a_file_in_the_path_of_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine", encoding="utf-8")
    error = _refused(lambda: check_output_file(blocker / "deeper" / "export.json"))
    assert error.code == "output_not_a_folder"
    assert f": {blocker} is a file, not a folder; give a path in a folder" in str(error)


def test_a_file_given_as_a_folder_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine", encoding="utf-8")
    error = _refused(lambda: check_output_folder(blocker, "--out"))
    assert error.code == "output_not_a_folder"
    assert str(error) == f"--out {blocker}: it is a file, not a folder; give a folder"
    error = _refused(lambda: check_output_folder(blocker / "reports" / "2019", "--out"))
    assert str(error) == (
        f"--out {blocker / 'reports' / '2019'}: {blocker} is a file, not a folder; give a folder"
    )
    assert blocker.read_text(encoding="utf-8") == "mine"


def test_places_that_can_be_written_pass(tmp_path: Path) -> None:
    check_output_file(tmp_path / "new.json")
    (tmp_path / "earlier.json").write_text("{}", encoding="utf-8")
    check_output_file(tmp_path / "earlier.json")
    check_output_folder(tmp_path)
    check_output_folder(tmp_path / "not" / "yet" / "made")  # made when the files are written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["earlier.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a chmod 555 folder regardless")
def test_a_folder_without_write_permission_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        error = _refused(lambda: check_output_file(locked / "export.json"))
        assert str(error).endswith("cannot write: Permission denied; nothing was written")
    finally:
        locked.chmod(0o755)


def test_root_is_not_stopped_by_chmod(tmp_path: Path) -> None:
    """Why the chmod case above is skipped as root (and the read-only tmpfs is used)."""
    if os.geteuid() != 0:
        pytest.skip("not root: chmod stops this user (see the test above)")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    check_output_file(locked / "export.json")  # passes: root may write there
    locked.chmod(0o755)
