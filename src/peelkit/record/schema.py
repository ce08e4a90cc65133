"""Tables of the inspection record (SQLAlchemy 2). Alembic migrations create them.

Reference tables (``force``, ``framework``, ``framework_area``) mirror the data shipped in the
package, so that judgments and findings point at real forces and areas with foreign keys. The
record tables hold what inspectors entered or what was imported from published reports, each row
with its provenance (the source document and the line or page span it came from).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# --- reference tables -------------------------------------------------------------------------


class ForceRow(Base):
    __tablename__ = "force"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(100))
    ons_code: Mapped[str | None] = mapped_column(String(9))
    region: Mapped[str | None] = mapped_column(String(60))
    country: Mapped[str] = mapped_column(String(30))
    territorial: Mapped[bool] = mapped_column(Boolean)
    in_england_and_wales_totals: Mapped[bool] = mapped_column(Boolean)


class FrameworkRow(Base):
    __tablename__ = "framework"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    programme: Mapped[str] = mapped_column(String(100))
    period: Mapped[str] = mapped_column(String(20))
    grade_scale: Mapped[str | None] = mapped_column(String(40))
    direction_scale: Mapped[str | None] = mapped_column(String(40))
    checksum: Mapped[str] = mapped_column(String(64))


class FrameworkAreaRow(Base):
    __tablename__ = "framework_area"

    framework_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("framework.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(String(80))
    level: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(20))
    graded: Mapped[bool] = mapped_column(Boolean)
    direction: Mapped[bool] = mapped_column(Boolean)
    position: Mapped[int] = mapped_column(Integer)


# --- the record -------------------------------------------------------------------------------


class SourceDocument(Base):
    """A published document something was imported from, identified by its checksum, and by
    the checksum of its normalised text (``text_sha256``; null for documents stored before it
    was kept): a copy in other bytes is the same document."""

    __tablename__ = "source_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    text_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    # The counts of judgments the document states (peelkit.reportimport.model.StatedCounts):
    # {"areas", "graded", "by_grade", "line_start", "line_end"}; null where it states none.
    stated_counts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    title: Mapped[str | None] = mapped_column(Text)
    filename: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(80))
    publisher: Mapped[str | None] = mapped_column(String(100))
    published: Mapped[dt.date | None] = mapped_column(Date)
    line_count: Mapped[int | None] = mapped_column(Integer)
    page_count: Mapped[int | None] = mapped_column(Integer)


class VersionedMixin:
    """An editable row's version: 1 when created, one more on every deliberate change (an
    edit, a transition; ``bump``). An edit names the version it was made to; a stale one is
    refused (``peelkit.errors.StaleEdit``), and the ORM checks it again as it writes
    (``version_id_col``: every UPDATE says ``WHERE version = <the version read>``), so two
    transactions racing cannot both win. A loaded record keeps its versions."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version, "version_id_generator": False}

    def bump(self) -> None:
        self.version = (self.version or 1) + 1


class ProvenanceMixin:
    """Where an item came from: a document and a line or page span, or who entered it."""

    document_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("source_document.id", ondelete="RESTRICT")
    )
    line_start: Mapped[int | None] = mapped_column(Integer)
    line_end: Mapped[int | None] = mapped_column(Integer)
    page_start: Mapped[int | None] = mapped_column(Integer)
    page_end: Mapped[int | None] = mapped_column(Integer)
    entered_by: Mapped[str | None] = mapped_column(String(100))


class Inspection(VersionedMixin, Base):
    """One inspection of one force under one framework for one period: every source about it
    (a report, the grades CSV, a person's entries) adds to this one."""

    __tablename__ = "inspection"
    __table_args__ = (
        Index(
            "uq_inspection_force_framework_period",
            "force_id",
            "framework_id",
            "period",
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    force_id: Mapped[str] = mapped_column(String(40), ForeignKey("force.id"), index=True)
    framework_id: Mapped[str] = mapped_column(String(40), ForeignKey("framework.id"))
    period: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    published: Mapped[dt.date | None] = mapped_column(Date)
    embargo_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=False))
    hm_inspector: Mapped[str | None] = mapped_column(String(200))
    document_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("source_document.id", ondelete="RESTRICT")
    )
    entered_by: Mapped[str | None] = mapped_column(String(100))

    judgments: Mapped[list[Judgment]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="Judgment.id"
    )
    findings: Mapped[list[Finding]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="Finding.id"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="Evidence.id"
    )
    figures: Mapped[list[DataFigure]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="DataFigure.id"
    )
    performance_rows: Mapped[list[PerformanceRow]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="PerformanceRow.id"
    )


def _area_key(table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["framework_id", "area_id"],
        ["framework_area.framework_id", "framework_area.id"],
        name=f"fk_{table}_area_framework_area",
    )


class Judgment(VersionedMixin, ProvenanceMixin, Base):
    """A graded (or ungraded) judgment on one framework area, stored as entered, never derived."""

    __tablename__ = "judgment"
    __table_args__ = (
        _area_key("judgment"),
        # One judgment per area per source document (a report, the grades CSV). NULLs are
        # distinct here: the operations refuse a second hand-entered judgment on an area (the
        # migration that merged duplicate inspections may have kept two, both with provenance).
        UniqueConstraint(
            "inspection_id", "area_id", "document_id", name="uq_judgment_inspection_area_document"
        ),
        # At most one shown judgment per area (the operations make it exactly one).
        Index(
            "uq_judgment_inspection_area_shown",
            "inspection_id",
            "area_id",
            unique=True,
            sqlite_where=text("shown"),
            postgresql_where=text("shown"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("inspection.id", ondelete="CASCADE"), index=True
    )
    framework_id: Mapped[str] = mapped_column(String(40))
    area_id: Mapped[str] = mapped_column(String(80))
    grade: Mapped[str | None] = mapped_column(String(40))
    grade_as_printed: Mapped[str | None] = mapped_column(String(80))
    direction: Mapped[str | None] = mapped_column(String(40))
    direction_as_printed: Mapped[str | None] = mapped_column(String(80))
    year_last_inspected: Mapped[str | None] = mapped_column(String(20))
    carried_over: Mapped[bool] = mapped_column(Boolean, default=False)
    previous_grade: Mapped[str | None] = mapped_column(String(40))
    rationale: Mapped[str | None] = mapped_column(Text)
    # Where an imported grade was read (peelkit.domain.judgments.READ_FROM): "box" or
    # "sentence"; null for hand entries, table rows and judgments imported before it was kept.
    read_from: Mapped[str | None] = mapped_column(String(20))
    # Several sources may judge one area (a report and the grades CSV): each keeps its row and
    # provenance; exactly one per (inspection, area) is shown, and shown_reason says why.
    shown: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    shown_reason: Mapped[str | None] = mapped_column(Text)

    inspection: Mapped[Inspection] = relationship(back_populates="judgments")


class Finding(VersionedMixin, ProvenanceMixin, Base):
    """A strength, area for improvement, cause of concern, recommendation or other finding."""

    __tablename__ = "finding"
    __table_args__ = (_area_key("finding"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("inspection.id", ondelete="CASCADE"), index=True
    )
    framework_id: Mapped[str] = mapped_column(String(40))
    area_id: Mapped[str | None] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    heading: Mapped[str | None] = mapped_column(Text)
    lead_in: Mapped[str | None] = mapped_column(Text)
    sub_items: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Indexed: deleting findings (an inspection, ``peel load --replace``) looks up, for every
    # finding deleted, the recommendations naming it (migration 0011).
    cause_of_concern_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("finding.id", ondelete="SET NULL"), index=True
    )
    deadline: Mapped[str | None] = mapped_column(String(200))
    # Why a reader should look twice, e.g. a cause of concern created from a letter because the
    # record held no finding it could be matched to.
    flag: Mapped[str | None] = mapped_column(Text)

    inspection: Mapped[Inspection] = relationship(back_populates="findings")


class Evidence(VersionedMixin, ProvenanceMixin, Base):
    """Evidence an inspection used: a case file review, a survey, a record review..."""

    __tablename__ = "evidence"
    __table_args__ = (_area_key("evidence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("inspection.id", ondelete="CASCADE"), index=True
    )
    framework_id: Mapped[str] = mapped_column(String(40))
    area_id: Mapped[str | None] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(60))
    description: Mapped[str | None] = mapped_column(Text)
    sample_size: Mapped[int | None] = mapped_column(Integer)
    period: Mapped[str | None] = mapped_column(String(100))
    criteria_results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    inspection: Mapped[Inspection] = relationship(back_populates="evidence")


class DataFigure(VersionedMixin, ProvenanceMixin, Base):
    """A figure as a report printed it, with its parsed value, unit, period and comparator."""

    __tablename__ = "data_figure"
    __table_args__ = (_area_key("data_figure"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("inspection.id", ondelete="CASCADE"), index=True
    )
    framework_id: Mapped[str] = mapped_column(String(40))
    area_id: Mapped[str | None] = mapped_column(String(80))
    table_title: Mapped[str | None] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(100))
    unit: Mapped[str | None] = mapped_column(String(40))
    force_value_as_printed: Mapped[str | None] = mapped_column(String(60))
    force_value: Mapped[float | None] = mapped_column(Float)
    comparator: Mapped[str] = mapped_column(String(30))
    comparator_label: Mapped[str | None] = mapped_column(String(200))
    comparator_value_as_printed: Mapped[str | None] = mapped_column(String(60))
    comparator_value: Mapped[float | None] = mapped_column(Float)
    change_as_printed: Mapped[str | None] = mapped_column(String(60))
    change: Mapped[float | None] = mapped_column(Float)

    inspection: Mapped[Inspection] = relationship(back_populates="figures")


class PerformanceRow(ProvenanceMixin, Base):
    """A row of a printed performance table (2005 Appendix 1): every cell as printed and parsed.

    Ranks keep their printed form ("9= out of 43") beside position 9, of 43, tied.
    """

    __tablename__ = "performance_row"
    __table_args__ = (_area_key("performance_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("inspection.id", ondelete="CASCADE"), index=True
    )
    framework_id: Mapped[str] = mapped_column(String(40))
    area_id: Mapped[str | None] = mapped_column(String(80))
    table_title: Mapped[str] = mapped_column(Text)
    indicator: Mapped[str] = mapped_column(Text)
    previous_as_printed: Mapped[str | None] = mapped_column(String(60))
    previous: Mapped[float | None] = mapped_column(Float)
    current_as_printed: Mapped[str | None] = mapped_column(String(60))
    current: Mapped[float | None] = mapped_column(Float)
    change_as_printed: Mapped[str | None] = mapped_column(String(60))
    change: Mapped[float | None] = mapped_column(Float)
    change_unit: Mapped[str | None] = mapped_column(String(20))
    msf_average_as_printed: Mapped[str | None] = mapped_column(String(60))
    msf_average: Mapped[float | None] = mapped_column(Float)
    msf_rank_as_printed: Mapped[str | None] = mapped_column(String(60))
    msf_rank: Mapped[int | None] = mapped_column(Integer)
    msf_rank_of: Mapped[int | None] = mapped_column(Integer)
    msf_rank_tied: Mapped[bool] = mapped_column(Boolean, default=False)
    national_average_as_printed: Mapped[str | None] = mapped_column(String(60))
    national_average: Mapped[float | None] = mapped_column(Float)
    national_rank_as_printed: Mapped[str | None] = mapped_column(String(60))
    national_rank: Mapped[int | None] = mapped_column(Integer)
    national_rank_of: Mapped[int | None] = mapped_column(Integer)
    national_rank_tied: Mapped[bool] = mapped_column(Boolean, default=False)

    inspection: Mapped[Inspection] = relationship(back_populates="performance_rows")


class ImportWarningRow(Base):
    """A data-quality problem found in a document when it was imported (never silently fixed)."""

    __tablename__ = "import_warning"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("source_document.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(Text)
    table_title: Mapped[str | None] = mapped_column(Text)
    row: Mapped[str | None] = mapped_column(Text)
    column: Mapped[str | None] = mapped_column(Text)
    line_start: Mapped[int | None] = mapped_column(Integer)
    line_end: Mapped[int | None] = mapped_column(Integer)


class MostSimilarPeer(Base):
    """One peer of a force's most similar group for a year, loaded from a user's file."""

    __tablename__ = "most_similar_peer"
    __table_args__ = (UniqueConstraint("force_id", "year", "peer_id", name="uq_most_similar_peer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    force_id: Mapped[str] = mapped_column(String(40), ForeignKey("force.id"))
    year: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    peer_id: Mapped[str] = mapped_column(String(40), ForeignKey("force.id"))
    source: Mapped[str] = mapped_column(Text)


class RecordVersionRow(Base):
    """The record's change counter: one row, its version increased by a trigger on every write
    to the record and reference tables (migration 0005), so that caches in several processes
    agree on when anything changed. Findings' full-text index (``finding_search`` on SQLite,
    ``finding.search_vector`` on PostgreSQL) is kept by triggers too and is not declared here
    (``peelkit.record.search.UNDECLARED`` names it for schema comparisons)."""

    __tablename__ = "record_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


# --- follow-up (migration 0007) -----------------------------------------------------------------


class FindingLinkRow(Base):
    """A later finding's relation to an earlier finding of the same force (lineage)."""

    __tablename__ = "finding_link"
    __table_args__ = (UniqueConstraint("earlier_id", "later_id", name="uq_finding_link_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    force_id: Mapped[str] = mapped_column(String(40), ForeignKey("force.id"), index=True)
    earlier_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("finding.id", ondelete="CASCADE"), index=True
    )
    later_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("finding.id", ondelete="CASCADE"), index=True
    )
    relation: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))  # detected | entered | stated
    score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))  # candidate | confirmed | rejected
    document_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("source_document.id", ondelete="RESTRICT")
    )
    line_start: Mapped[int | None] = mapped_column(Integer)
    line_end: Mapped[int | None] = mapped_column(Integer)
    entered_by: Mapped[str | None] = mapped_column(String(100))
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=False))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False))


class NationalRecommendationRow(Base):
    """A recommendation addressed to all forces (the older HMIC recommendations register)."""

    __tablename__ = "national_recommendation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    framework_id: Mapped[str | None] = mapped_column(String(40), ForeignKey("framework.id"))
    inspection_title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    deadline: Mapped[str | None] = mapped_column(String(200))
    addressed_to: Mapped[str] = mapped_column(String(100))
    made: Mapped[dt.date | None] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("source_document.id", ondelete="RESTRICT")
    )
    line_start: Mapped[int | None] = mapped_column(Integer)
    line_end: Mapped[int | None] = mapped_column(Integer)


class StatusEventRow(Base):
    """One dated status of a finding or a national recommendation; append-only (triggers refuse
    UPDATE; rows go only with their finding). ``status`` None is a comment (the register's
    dated notes)."""

    __tablename__ = "status_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("finding.id", ondelete="CASCADE"), index=True
    )
    national_recommendation_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("national_recommendation.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str | None] = mapped_column(String(30))
    status_as_printed: Mapped[str | None] = mapped_column(String(100))
    date: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("source_document.id", ondelete="RESTRICT")
    )
    line_start: Mapped[int | None] = mapped_column(Integer)
    line_end: Mapped[int | None] = mapped_column(Integer)
    entered_by: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False))


class PccResponseRow(Base):
    """A police and crime commissioner's section 55 response to an inspection's report."""

    __tablename__ = "pcc_response"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("inspection.id", ondelete="CASCADE"), index=True
    )
    responded: Mapped[dt.date | None] = mapped_column(Date)
    stated_deadline: Mapped[dt.date | None] = mapped_column(Date)
    address: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    # Text per recommendation where the form gives it: [{"finding": id | None, "text": ...}].
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    document_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("source_document.id", ondelete="RESTRICT")
    )
    line_start: Mapped[int | None] = mapped_column(Integer)
    line_end: Mapped[int | None] = mapped_column(Integer)
    entered_by: Mapped[str | None] = mapped_column(String(100))


class MonitoringStatementRow(Base):
    """A document's statement that a force entered a monitoring stage (scan, engage) on a date.
    Episodes are derived: each stage lasts until the force's next different stage."""

    __tablename__ = "monitoring_statement"
    __table_args__ = (
        UniqueConstraint(
            "force_id", "stage", "date", "document_id", name="uq_monitoring_statement"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    force_id: Mapped[str] = mapped_column(String(40), ForeignKey("force.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    date: Mapped[dt.date] = mapped_column(Date)
    # The causes of concern given as the reason (finding ids).
    reasons: Mapped[list[int]] = mapped_column(JSON, default=list)
    document_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("source_document.id", ondelete="RESTRICT")
    )
    line_start: Mapped[int | None] = mapped_column(Integer)
    line_end: Mapped[int | None] = mapped_column(Integer)
    entered_by: Mapped[str | None] = mapped_column(String(100))


# --- official statistics imported by users (peel data import) ---------------------------------


class PublicationRow(Base):
    """A release of an official publication a user imported, identified by its checksum."""

    __tablename__ = "publication"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    publication_id: Mapped[str] = mapped_column(String(60))
    publisher: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(Text)
    release: Mapped[str] = mapped_column(Text)
    release_date: Mapped[dt.date | None] = mapped_column(Date)
    licence: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(255))


class ObservationRow(Base):
    """One figure of an imported publication, with the cell it was read from."""

    __tablename__ = "observation"
    __table_args__ = (
        UniqueConstraint(
            "publication", "measure", "force_id", "period", name="uq_observation_figure"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publication: Mapped[str] = mapped_column(
        String(64), ForeignKey("publication.sha256", ondelete="CASCADE"), index=True
    )
    measure: Mapped[str] = mapped_column(String(80))
    force_id: Mapped[str] = mapped_column(String(40), ForeignKey("force.id"))
    period: Mapped[str] = mapped_column(String(20))
    value: Mapped[float] = mapped_column(Float)
    sheet: Mapped[str | None] = mapped_column(String(100))
    row: Mapped[int] = mapped_column(Integer)
    column: Mapped[str] = mapped_column(String(100))


class DataProblemRow(Base):
    """A validation problem found in an imported publication, with its coordinates."""

    __tablename__ = "data_problem"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publication: Mapped[str] = mapped_column(
        String(64), ForeignKey("publication.sha256", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(Text)
    file: Mapped[str] = mapped_column(String(255))
    sheet: Mapped[str | None] = mapped_column(String(100))
    row: Mapped[int | None] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(100))


# --- the inspectors' workflow: accounts, sessions, audit, versions of corrected inspections ----


class AccountRow(VersionedMixin, Base):
    """A person who signs in: an inspector, a moderator or an administrator. The password is
    kept only as its Argon2id hash."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False))
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=False))


class AccountSessionRow(Base):
    """A signed-in session. The cookie holds a random token; only its SHA-256 is stored, so a
    copy of the database does not let anyone sign in."""

    __tablename__ = "account_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the token
    account_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=False))
    address: Mapped[str | None] = mapped_column(String(100))


class LoginFailureRow(Base):
    """A failed sign-in, kept for throttling: by the name given (whether or not an account has
    it) and by the address it came from."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_scope_key_at", "scope", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(10))  # account | address
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False))


class AuditEventRow(Base):
    """One write, by anyone, through any door: who, when, what, and the object before and
    after. Appended in the writing transaction; nothing edits or deletes events (triggers
    refuse it, migration 0006)."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False))
    actor: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    via: Mapped[str] = mapped_column(String(10))  # web | api | cli | library
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(60))
    inspection_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    comment: Mapped[str | None] = mapped_column(Text)


class InspectionVersionRow(Base):
    """A published inspection as it stood before a correction, with who corrected it and why:
    earlier versions stay readable."""

    __tablename__ = "inspection_version"
    __table_args__ = (
        UniqueConstraint("inspection_id", "number", name="uq_inspection_version_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("inspection.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False))
    corrected_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    snapshot: Mapped[Any] = mapped_column(JSON)


class PendingUploadRow(Base):
    """A report uploaded into a draft and parsed for preview, waiting for its confirmation."""

    __tablename__ = "pending_upload"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    account: Mapped[str] = mapped_column(String(100))
    inspection_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("inspection.id", ondelete="CASCADE")
    )
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False))


# Tables whose writes change nothing the record says (sign-in bookkeeping): no record-version
# trigger, so that signing in does not empty every cache.
UNVERSIONED_TABLES = ("record_version", "account_session", "login_failure", "pending_upload")
