"""The open-data folder: the tables of :mod:`peelkit.views.open_data` as CSV files, the public
record as ``record.json`` (the ``peel export`` format) and a Frictionless Data Package
(``datapackage.json``) describing every file and field, with sizes and checksums.

:func:`write_open_data` writes a whole folder or nothing: the files go into a new folder beside
the target, which then takes the target's place; on any failure the earlier folder is left as
it was. It only ever replaces a folder it wrote itself (or an empty one).
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import hashlib
import io
import json
import shutil
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from peelkit import __version__
from peelkit.outputs import OutputNotWritable, sync_folder, sync_tree
from peelkit.record.exchange import dumps as dump_record
from peelkit.views.open_data import (
    PACKAGE_DESCRIPTION,
    PACKAGE_FILE,
    RECORD_DESCRIPTION,
    RECORD_FILE,
    TABLES,
    Cell,
    FieldSpec,
    OpenDataFile,
    OpenDataFilesView,
    OpenDataTable,
    OpenDataView,
    TableSpec,
)

PACKAGE_NAME = "peelkit-open-data"
OGL = {
    "name": "OGL-UK-3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "title": "Open Government Licence v3.0",
}
ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
LICENCE_NOTE = (
    "The official statistics the indicators are computed from are published by the Office for "
    "National Statistics and the Home Office under the Open Government Licence v3.0 (each "
    "publication's licence is named in sources). The inspection record is drawn from the "
    "reports and grades HM Inspectorate of Constabulary and Fire & Rescue Services publishes "
    "(Crown copyright). " + ATTRIBUTION
)


def write_open_data(
    view: OpenDataView, folder: Path, created: dt.datetime | None = None
) -> OpenDataFilesView:
    """Write the open-data files into ``folder`` (created, or replacing an earlier open-data
    folder) at once: all the files or, on a failure, none and the earlier folder intact.
    ``created`` (default: now) is the time datapackage.json gives."""
    created = created or dt.datetime.now(dt.UTC)
    check_folder(folder)
    parent = folder.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".new", dir=parent))
    except OSError as exc:
        raise _not_writable(folder, exc) from None
    try:
        files = _write_files(view, staging, created)
        _swap(staging, folder)
    except OSError as exc:
        raise _not_writable(folder, exc) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    record_inspections = view.record.get("inspections") or []
    return OpenDataFilesView(
        folder=str(folder),
        created=_utc_text(created),
        public_at=_utc_text(view.public_at),
        inspections=len(record_inspections),
        files=tuple(files),
    )


def file_names() -> tuple[str, ...]:
    """Every file an open-data folder holds."""
    return (*(t.filename for t in TABLES), RECORD_FILE, PACKAGE_FILE)


# --- the folder ---------------------------------------------------------------------------------


def check_folder(folder: Path) -> None:
    """Refuse a ``folder`` :func:`write_open_data` would not replace: a file, or a folder
    holding other files (callers check before the work of building the view)."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise OutputNotWritable(
            f"{folder}: is a file or a link, not a folder; give a new folder (or one peel "
            "export-open wrote) for the open-data files",
            code="output_folder_in_use",
            kind="conflict",
        )
    if folder.is_dir() and not _replaceable(folder):
        raise OutputNotWritable(
            f"{folder}: holds files peel export-open did not write; give a new or empty folder "
            "(or one peel export-open wrote)",
            code="output_folder_in_use",
            kind="conflict",
        )
    _probe(folder)


def _probe(folder: Path) -> None:
    """Fail now, before the work of building, if nothing can be written where ``folder`` goes:
    its nearest existing ancestor must be a folder that takes a new folder."""
    existing = folder.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise _not_writable(
            folder, NotADirectoryError(errno.ENOTDIR, "Not a directory", str(existing))
        )
    try:
        Path(tempfile.mkdtemp(prefix=".peelkit-probe-", dir=existing)).rmdir()
    except OSError as exc:  # named without the probe's own (random) name
        raise _not_writable(folder, OSError(exc.errno, exc.strerror, str(existing))) from None


def _replaceable(folder: Path) -> bool:
    """An empty folder, or one written by :func:`write_open_data` (its files and no others)."""
    try:
        held = {p.name for p in folder.iterdir()}
    except OSError as exc:
        raise _not_writable(folder, exc) from None
    if not held:
        return True
    if not held <= set(file_names()) or PACKAGE_FILE not in held:
        return False
    try:
        package = json.loads((folder / PACKAGE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(package, dict) and package.get("name") == PACKAGE_NAME


def _swap(staging: Path, folder: Path) -> None:
    """``staging`` becomes ``folder``; an earlier ``folder`` is put back if that fails. The
    new files are flushed to the disk first, so that the folder that takes ``folder``'s place
    never holds a file cut short by a crash."""
    staging.chmod(0o755)
    sync_tree(staging)
    if not folder.exists():
        staging.rename(folder)
        sync_folder(folder.parent)
        return
    earlier = folder.parent / f".{folder.name}.{uuid.uuid4().hex[:12]}.old"
    folder.rename(earlier)
    try:
        staging.rename(folder)
    except OSError:
        earlier.rename(folder)
        raise
    sync_folder(folder.parent)
    shutil.rmtree(earlier, ignore_errors=True)


def _not_writable(folder: Path, exc: OSError) -> OutputNotWritable:
    reason = exc.strerror or str(exc)
    where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(folder) else ""
    return OutputNotWritable(f"{folder}: cannot write the open-data folder: {reason}{where}")


# --- the files ----------------------------------------------------------------------------------


def _write_files(view: OpenDataView, staging: Path, created: dt.datetime) -> list[OpenDataFile]:
    written: list[OpenDataFile] = []
    for table in view.tables:
        spec = table.spec
        data = _csv(table).encode("utf-8")
        (staging / spec.filename).write_bytes(data)
        shape = {"fields": len(spec.fields), "rows": len(table.rows)}
        written.append(_described(spec.filename, spec.title, spec.description, data, **shape))
    data = dump_record(dict(view.record)).encode("utf-8")
    (staging / RECORD_FILE).write_bytes(data)
    written.append(_described(RECORD_FILE, "Record", RECORD_DESCRIPTION, data))
    package = _package(view, written, created)
    data = (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    (staging / PACKAGE_FILE).write_bytes(data)
    written.append(_described(PACKAGE_FILE, "Data package", PACKAGE_DESCRIPTION, data))
    return written


def _described(
    name: str,
    title: str,
    description: str,
    data: bytes,
    fields: int | None = None,
    rows: int | None = None,
) -> OpenDataFile:
    return OpenDataFile(
        name=name,
        title=title,
        description=description,
        media_type="text/csv" if name.endswith(".csv") else "application/json",
        fields=fields,
        rows=rows,
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return repr(cell)
    return str(cell)


def _csv(table: OpenDataTable) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.spec.field_names)
    writer.writerows([_text(c) for c in row] for row in table.rows)
    return buffer.getvalue()


# --- datapackage.json ---------------------------------------------------------------------------


def _utc_text(moment: dt.datetime) -> str:
    """A naive UTC time (or an aware one) as ISO 8601 with ``Z``."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"


def _field(spec: FieldSpec) -> dict[str, Any]:
    field: dict[str, Any] = {"name": spec.name, "type": spec.type, "description": spec.description}
    constraints: dict[str, Any] = {}
    if spec.required:
        constraints["required"] = True
    if spec.unique:
        constraints["unique"] = True
    if spec.enum:
        constraints["enum"] = list(spec.enum)
    if spec.pattern:
        constraints["pattern"] = spec.pattern
    if spec.minimum is not None:
        constraints["minimum"] = spec.minimum
    if constraints:
        field["constraints"] = constraints
    return field


def _schema(spec: TableSpec) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(f) for f in spec.fields],
        "missingValues": [""],
        "primaryKey": list(spec.primary_key),
    }
    if spec.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(k.fields),
                "reference": {
                    # The Data Package v1 spelling of a key into the same table is "".
                    "resource": "" if k.table == spec.name else k.table,
                    "fields": list(k.reference_fields),
                },
            }
            for k in spec.foreign_keys
        ]
    return schema


def _resource(file: OpenDataFile, spec: TableSpec | None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "name": spec.name if spec else file.name.removesuffix(".json"),
        "path": file.name,
        "title": file.title,
        "description": file.description,
        "format": "csv" if spec else "json",
        "mediatype": file.media_type,
        "encoding": "utf-8",
        "bytes": file.bytes,
        "hash": f"sha256:{file.sha256}",
    }
    if spec is None:
        resource["profile"] = "data-resource"
        return resource
    resource["profile"] = "tabular-data-resource"
    resource["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "header": True}
    resource["schema"] = _schema(spec)
    return resource


def _package(view: OpenDataView, files: Iterable[OpenDataFile], created: dt.datetime) -> Any:
    specs = {t.spec.filename: t.spec for t in view.tables}
    statistics_licences = sorted({s.licence for s in view.statistics_sources})
    return {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": "peelkit open data: police inspection results of England and Wales",
        "description": (
            "The public inspection record of the 43 police forces of England and Wales and "
            "British Transport Police (inspections published and out of embargo at "
            f"{_utc_text(view.public_at)}): grades, findings, inspections and most similar "
            "groups, and indicators computed from the official statistics, each with its "
            "source. " + LICENCE_NOTE
        ),
        "created": _utc_text(created),
        "public_at": _utc_text(view.public_at),
        "peelkit_version": __version__,
        "licenses": [OGL],
        "statistics_licences": statistics_licences,
        "sources": [
            *(
                {
                    "title": f"{s.publisher}: {s.title}, {s.release} ({s.file}, sha256 "
                    f"{s.sha256}; {s.licence})"
                }
                for s in view.statistics_sources
            ),
            *(
                {"title": f"{d.publisher or 'Source document'}: {d.name} (sha256 {d.sha256})"}
                for d in view.documents
            ),
        ],
        "resources": [_resource(f, specs.get(f.name)) for f in files],
    }
