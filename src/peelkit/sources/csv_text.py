"""The text of a statistics CSV, checked for the damage a CSV reader cannot see.

A file cut short in the middle of its last line still parses: the csv module gives a row
whose last cell is the start of a number ("586" of "586100", "1,8" of "1,801"), and that number
would be stored as the figure. Every CSV a publisher writes (and every one in ../shared) ends
its last line with a line break, so a file that does not is refused, naming the line.
"""

from __future__ import annotations

from peelkit.errors import DataFileError


def csv_text(data: bytes, name: str) -> str:
    """The file's text (UTF-8, with or without a byte order mark), refused with one line if
    it is not UTF-8 or ends in the middle of a line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataFileError(
            name,
            f"line {line}",
            f"is not UTF-8 text (byte {data[exc.start]:#04x}); save the file as UTF-8 CSV",
            code="data_file_invalid",
        ) from None
    if text and not text.endswith(("\n", "\r")):
        line = text.count("\n") + 1
        raise DataFileError(
            name,
            f"line {line}",
            "the file ends in the middle of this line, as a file cut short does (its last "
            "figure may be the start of a number); if the file is whole, end it with a line break",
            code="file_cut_short",
        )
    return text
