"""Observations as columns: the form the embedded dataset is stored and loaded in.

Each column is a NumPy array of one row per figure; text columns (measure, force, period,
publication, sheet, column) are codes into small tables of their distinct values. Loading is a
few array reads instead of 53,764 ``Observation`` objects; an :class:`Observation`, with its
provenance, is made only when one is asked for (:meth:`ObservationTable.observation`).

On disk it is an ``.npz`` file (a zip of ``.npy`` arrays, read with ``numpy.load`` and never
with pickle), written member by member with a fixed date so the same content gives the same
bytes (the test that the shipped dataset is what the raw files build compares bytes).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt

from peelkit.domain.periods import Period
from peelkit.sources.model import Cell, Observation

# The text columns, each stored as codes into a table of its values.
TEXT_COLUMNS = ("measure", "force", "period", "publication", "sheet", "column")
FORMAT_VERSION = 1
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

Codes = npt.NDArray[np.int32]


@dataclass(frozen=True)
class ObservationTable:
    """Figures as columns. ``tables[name][codes[name][i]]`` is row i's text in that column."""

    tables: dict[str, tuple[str, ...]]
    codes: dict[str, Codes]
    value: npt.NDArray[np.float64]
    row: Codes

    def __len__(self) -> int:
        return int(self.value.shape[0])

    @classmethod
    def of(cls, observations: Iterable[Observation]) -> ObservationTable:
        """The table of a list of observations (in their order)."""
        rows = list(observations)
        columns: dict[str, list[str]] = {
            "measure": [o.measure for o in rows],
            "force": [o.force for o in rows],
            "period": [o.period.key for o in rows],
            "publication": [o.publication for o in rows],
            "sheet": [o.cell.sheet or "" for o in rows],
            "column": [o.cell.column for o in rows],
        }
        tables: dict[str, tuple[str, ...]] = {}
        codes: dict[str, Codes] = {}
        for name, texts in columns.items():
            distinct = tuple(sorted(set(texts)))
            position = {text: i for i, text in enumerate(distinct)}
            tables[name] = distinct
            codes[name] = np.fromiter((position[t] for t in texts), np.int32, len(texts))
        return cls(
            tables=tables,
            codes=codes,
            value=np.fromiter((o.value for o in rows), np.float64, len(rows)),
            row=np.fromiter((o.cell.row for o in rows), np.int32, len(rows)),
        )

    @cached_property
    def periods(self) -> tuple[Period, ...]:
        """The period table as periods (``tables["period"]`` holds their keys)."""
        return tuple(Period.from_key(key) for key in self.tables["period"])

    def text(self, column: str, index: int) -> str:
        return self.tables[column][self.codes[column].item(index)]

    def observation(self, index: int) -> Observation:
        """Row ``index`` as an observation, with its cell (``item`` reads one element of an
        array as a Python value without making a NumPy scalar)."""
        tables, codes = self.tables, self.codes
        sheet = tables["sheet"][codes["sheet"].item(index)]
        return Observation(
            measure=tables["measure"][codes["measure"].item(index)],
            force=tables["force"][codes["force"].item(index)],
            period=self.periods[codes["period"].item(index)],
            value=self.value.item(index),
            publication=tables["publication"][codes["publication"].item(index)],
            cell=Cell(
                sheet or None, self.row.item(index), tables["column"][codes["column"].item(index)]
            ),
        )

    def observations(self) -> list[Observation]:
        return [self.observation(i) for i in range(len(self))]

    def without(self, keys: set[tuple[str, str, str]]) -> ObservationTable:
        """The rows whose (measure, force, period key) is not in ``keys``."""
        if not keys:
            return self
        measures, forces, periods = (self.tables[c] for c in ("measure", "force", "period"))
        keep = np.fromiter(
            (
                (measures[m], forces[f], periods[p]) not in keys
                for m, f, p in zip(
                    self.codes["measure"].tolist(),
                    self.codes["force"].tolist(),
                    self.codes["period"].tolist(),
                    strict=True,
                )
            ),
            bool,
            len(self),
        )
        return self.take(np.flatnonzero(keep))

    def take(self, indices: npt.NDArray[np.intp]) -> ObservationTable:
        return ObservationTable(
            tables=self.tables,
            codes={name: codes[indices] for name, codes in self.codes.items()},
            value=self.value[indices],
            row=self.row[indices],
        )

    # --- on disk ---------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The ``.npz`` bytes: the same for the same table."""
        arrays: dict[str, np.ndarray] = {
            "format_version": np.array([FORMAT_VERSION], np.int32),
            "value": self.value,
            "row": self.row,
        }
        for name in TEXT_COLUMNS:
            arrays[f"{name}_codes"] = self.codes[name].astype(np.int32)
            arrays[f"{name}_table"] = np.array(self.tables[name], dtype=np.str_)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, array in arrays.items():
                member = io.BytesIO()
                np.lib.format.write_array(member, np.ascontiguousarray(array), allow_pickle=False)
                info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, member.getvalue(), compresslevel=9)
        return buffer.getvalue()

    @classmethod
    def read(cls, path: Path) -> ObservationTable:
        with np.load(path, allow_pickle=False) as archive:
            version = int(archive["format_version"][0])
            if version != FORMAT_VERSION:
                raise ValueError(
                    f"{path.name}: observation table format {version}, expected {FORMAT_VERSION}"
                )
            return cls(
                tables={
                    name: tuple(str(t) for t in archive[f"{name}_table"].tolist())
                    for name in TEXT_COLUMNS
                },
                codes={name: archive[f"{name}_codes"] for name in TEXT_COLUMNS},
                value=archive["value"],
                row=archive["row"],
            )


def concatenate(tables: Sequence[ObservationTable]) -> ObservationTable:
    """Rows of several tables, in order, over merged text tables."""
    merged: dict[str, tuple[str, ...]] = {}
    codes: dict[str, Codes] = {}
    for name in TEXT_COLUMNS:
        distinct = tuple(sorted({t for table in tables for t in table.tables[name]}))
        position = {text: i for i, text in enumerate(distinct)}
        merged[name] = distinct
        parts = []
        for table in tables:
            recode = np.array([position[t] for t in table.tables[name]], np.int32)
            parts.append(recode[table.codes[name]] if len(recode) else table.codes[name])
        codes[name] = np.concatenate(parts) if parts else np.zeros(0, np.int32)
    return ObservationTable(
        tables=merged,
        codes=codes,
        value=np.concatenate([t.value for t in tables]) if tables else np.zeros(0),
        row=np.concatenate([t.row for t in tables]) if tables else np.zeros(0, np.int32),
    )
