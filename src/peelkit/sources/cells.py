"""Small helpers every publication reader needs: spreadsheet column letters, file checksums."""

from __future__ import annotations

import hashlib
from pathlib import Path


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks (some releases are large)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
