"""The Workspace: peelkit's one front door. The CLI, web app and API are thin layers on it.

A workspace is a database (SQLite by default; PostgreSQL supported) plus the reference data
shipped in the package: forces, frameworks and most similar groups. Every method that writes
runs in one transaction: on any error nothing is changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from peelkit.domain.forces import Force, MostSimilarGroup
from peelkit.domain.frameworks import Framework
from peelkit.domain.periods import Period
from peelkit.domain.permissions import Action
from peelkit.errors import InvalidRecord, NotFound
from peelkit.followup import register as followup_facts
from peelkit.followup.previous_grades import previous_grade_mismatches
from peelkit.followup.store import refresh_links
from peelkit.followups import FollowUpDesk
from peelkit.frameworks import load_all, load_framework
from peelkit.indicators.catalogue import catalogue
from peelkit.indicators.compute import Engine, MsgMethod
from peelkit.indicators.service import COMPARATOR_NAMES, record_engine
from peelkit.inspectors import InspectorsDesk
from peelkit.record import changes, exchange, groups, queries, search, serialise, workflow
from peelkit.record import operations as ops
from peelkit.record.audit import Actor
from peelkit.record.database import Database, default_database_url
from peelkit.record.visibility import is_public, utc_now
from peelkit.reference import all_forces, resolve_force
from peelkit.reference.groups import forces_without_group
from peelkit.reportimport.importer import parse_file
from peelkit.reportimport.model import ParsedDocument
from peelkit.reportimport.store import ImportResult, document_warnings, store_document
from peelkit.sources.coverage import describe_dataset, problem_dict
from peelkit.sources.dataset import embedded, shipped_boundaries
from peelkit.sources.dataset import read_file as read_statistics_file
from peelkit.sources.store import StoredSource, store_source
from peelkit.sources.store import imported as imported_statistics
from peelkit.views.followup import ProgressView
from peelkit.views.force_report import (
    ForceReportInputs,
    ForceReportView,
    build_force_report,
    choose_year,
)
from peelkit.views.grades import GradesView, build_grades
from peelkit.views.groups import GroupsView
from peelkit.views.indicators import IndicatorQuery, IndicatorRow, indicator_rows
from peelkit.views.inspections import (
    DocumentView,
    EvidenceView,
    FigureView,
    FindingView,
    InspectionSummaryView,
    InspectionView,
    JudgmentView,
)
from peelkit.views.national import NationalInputs, NationalView, build_national
from peelkit.views.open_data import (
    OpenDataIndicators,
    OpenDataInputs,
    OpenDataView,
    build_open_data,
    build_open_data_indicators,
)
from peelkit.views.pages import (
    ForcePageView,
    ForcesView,
    HomeView,
    IndicatorCatalogueView,
    IndicatorPageView,
    build_catalogue,
    build_force_page,
    build_forces,
    build_home,
    build_indicator_page,
)
from peelkit.views.search import FindingSearchView
from peelkit.views.statistics import SourcesView, StatisticsProblemView
from peelkit.views.summary import SummaryView

Progress = Callable[[int, int], None]
# The national report's framework when the record holds no graded inspection.
DEFAULT_NATIONAL_FRAMEWORK = "peel-2018-19"


def _latest_graded_framework(session: Session, public_at: dt.datetime | None) -> str:
    """The latest graded framework the record holds inspections of (with ``public_at``, ones
    the public may see then); the default framework when it holds none."""
    held = {
        i.framework_id
        for i in ops.list_inspections(session)
        if public_at is None or is_public(i.status, i.embargo_until, public_at)
    }
    graded = [f for f in load_all() if f.grade_scale is not None and f.id in held]
    return graded[-1].id if graded else DEFAULT_NATIONAL_FRAMEWORK


def predecessors_of(framework: Framework) -> list[Framework]:
    """The framework's graded predecessors (its era data's chain), latest first."""
    chain = []
    current = framework.predecessor
    while current is not None:
        earlier = load_framework(current)
        if earlier.grade_scale is not None:
            chain.append(earlier)
        current = earlier.predecessor
    return chain


class Workspace(InspectorsDesk, FollowUpDesk):
    """Open a workspace on a database URL (or the default SQLite file).

    Every write is audited (``record.audit``): methods take an ``actor`` (default: the
    operator, through the library); the inspectors' workflow is in ``peelkit.inspectors``."""

    def __init__(self, database_url: str | None = None) -> None:
        self.database = Database(database_url or default_database_url())
        self._engine: tuple[Hashable, Engine] | None = None
        # The latest period with figures of each indicator, for the engine it was found with.
        self._latest_periods: tuple[Engine, dict[str, Period | None]] | None = None
        self._open_data_indicators: tuple[Engine, OpenDataIndicators] | None = None

    @property
    def database_name(self) -> str:
        return self.database.name

    def close(self) -> None:
        self.database.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- reference data (no database needed) ------------------------------------------------

    @staticmethod
    def forces() -> tuple[Force, ...]:
        return all_forces()

    @staticmethod
    def resolve_force(name: str) -> Force:
        return resolve_force(name)

    @staticmethod
    def frameworks() -> list[Framework]:
        return load_all()

    @staticmethod
    def framework(framework_id: str) -> Framework:
        return load_framework(framework_id)

    # --- setting up -------------------------------------------------------------------------

    def initialise(self) -> None:
        """Create or upgrade the schema and write the reference tables."""
        self.database.ensure_ready()

    # --- most similar groups ----------------------------------------------------------------

    def groups(self, force: str | None = None, year: str | None = None) -> list[MostSimilarGroup]:
        with self.database.transaction() as session:
            if force is None:
                if year is not None:
                    raise InvalidRecord("--year needs a force", code="usage")
                return groups.all_groups(session)
            return groups.groups_of(session, force, year)

    @staticmethod
    def no_group_reason(force: str) -> str | None:
        """Why a force has no most similar group (City of London), or None."""
        return forces_without_group().get(resolve_force(force).id)

    def most_similar_groups(self, force: str | None = None, year: str | None = None) -> GroupsView:
        """A force's groups (the one in effect in ``year``, if given), or every force's, and why
        a force has none."""
        found = self.groups(force, year)
        resolved = resolve_force(force).id if force else None
        reason = forces_without_group().get(resolved) if resolved else None
        return GroupsView.of(resolved, year, found, reason)

    def load_groups(self, path: Path, actor: Actor | None = None) -> list[MostSimilarGroup]:
        actor = actor or Actor.operator()
        workflow.authorise(actor, Action.MANAGE_REFERENCE)
        parsed = groups.read_groups_csv(path)
        with self.database.transaction() as session:
            groups.store_groups(session, parsed)
            self._event(
                session,
                actor,
                "groups.load",
                "most_similar_groups",
                path.name,
                utc_now(),
                after={"file": path.name, "groups": len(parsed)},
            )
        return parsed

    # --- inspections ------------------------------------------------------------------------

    def add_inspection(self, *, actor: Actor | None = None, **fields: Any) -> InspectionView:
        """An inspection in any status (history being transcribed); the workflow's way in is
        :meth:`create_draft`."""
        actor = actor or Actor.operator()
        with self.database.transaction() as session:
            view = InspectionView.of(ops.create_inspection(session, **fields))
            self._event(
                session,
                actor,
                "inspection.add",
                "inspection",
                view.id,
                utc_now(),
                None,
                view,
                inspection_id=view.id,
            )
            return view

    def inspections(
        self,
        force: str | None = None,
        framework: str | None = None,
        public_at: dt.datetime | None = None,
    ) -> list[InspectionSummaryView]:
        """The inspections (by force, period and id), their judgments and findings loaded in
        one query each, not one per inspection. With ``public_at``, only those the public may
        see at that time (published, out of embargo)."""
        with self.database.transaction() as session:
            listed = ops.list_inspections(session, force=force, framework=framework)
            return [
                InspectionSummaryView.of(i)
                for i in listed
                if public_at is None or is_public(i.status, i.embargo_until, public_at)
            ]

    def inspection(
        self, inspection_id: int, public_at: dt.datetime | None = None
    ) -> InspectionView:
        """One inspection; with ``public_at``, one the public may see then (else not found,
        exactly as for an id that does not exist)."""
        with self.database.transaction() as session:
            row = ops.get_inspection(session, inspection_id)
            if public_at is not None and not is_public(row.status, row.embargo_until, public_at):
                raise NotFound(
                    f"no inspection with id {inspection_id}", code="inspection_not_found"
                )
            return InspectionView.of(row)

    def add_judgment(
        self,
        inspection_id: int,
        *,
        actor: Actor | None = None,
        reason: str | None = None,
        **fields: Any,
    ) -> JudgmentView:
        view: JudgmentView = self.enter_item(
            inspection_id, "judgment", actor or Actor.operator(), reason=reason, **fields
        )
        return view

    def add_finding(
        self,
        inspection_id: int,
        *,
        actor: Actor | None = None,
        reason: str | None = None,
        **fields: Any,
    ) -> FindingView:
        view: FindingView = self.enter_item(
            inspection_id, "finding", actor or Actor.operator(), reason=reason, **fields
        )
        return view

    def add_evidence(
        self,
        inspection_id: int,
        *,
        actor: Actor | None = None,
        reason: str | None = None,
        **fields: Any,
    ) -> EvidenceView:
        view: EvidenceView = self.enter_item(
            inspection_id, "evidence", actor or Actor.operator(), reason=reason, **fields
        )
        return view

    def add_figure(
        self,
        inspection_id: int,
        *,
        actor: Actor | None = None,
        reason: str | None = None,
        **fields: Any,
    ) -> FigureView:
        view: FigureView = self.enter_item(
            inspection_id, "figure", actor or Actor.operator(), reason=reason, **fields
        )
        return view

    def delete_inspection(self, inspection_id: int, actor: Actor | None = None) -> None:
        actor = actor or Actor.operator()
        with self.database.transaction() as session:
            before = serialise.inspection(ops.get_inspection(session, inspection_id))
            ops.delete_inspection(session, inspection_id)
            self._event(
                session,
                actor,
                "inspection.delete",
                "inspection",
                inspection_id,
                utc_now(),
                before,
                None,
                inspection_id=inspection_id,
            )

    def register_document(self, **fields: Any) -> DocumentView:
        with self.database.transaction() as session:
            return DocumentView.of(ops.register_document(session, **fields))

    def summary(self) -> SummaryView:
        """Counts for a newcomer: forces, frameworks, groups and inspections by framework."""
        with self.database.transaction() as session:
            listed = ops.list_inspections(session)
            all_groups = groups.all_groups(session)
            held = [i.framework_id for i in listed]
        return SummaryView.of(self.database_name, all_forces(), load_all(), len(all_groups), held)

    # --- importing published reports ------------------------------------------------------

    @staticmethod
    def parse_report(
        path: Path,
        framework: str | None = None,
        force: str | None = None,
        force_framework: bool = False,
    ) -> ParsedDocument:
        """Read a report (text, PDF or saved web page) without touching the database."""
        return parse_file(path, framework=framework, force=force, force_framework=force_framework)

    def import_report(
        self,
        path: Path,
        framework: str | None = None,
        force: str | None = None,
        actor: Actor | None = None,
        again: bool = False,
        force_framework: bool = False,
    ) -> tuple[ParsedDocument, ImportResult]:
        """Import one report in one transaction; importing the same file again changes nothing,
        nor does a copy of its text in other bytes unless ``again``."""
        parsed = parse_file(path, framework=framework, force=force, force_framework=force_framework)
        with self.database.transaction() as session:
            result = store_document(session, parsed, again=again)
            if not result.already_imported:
                # Findings belong to the document's own force (a national table adds other
                # forces' judgments, never their findings): only its lineage can change.
                refresh_links(session, parsed.force, utc_now(), result.inspections)
                result.warnings.extend(previous_grade_mismatches(session, parsed.force))
                self._event(
                    session,
                    actor or Actor.operator(),
                    "document.import",
                    "document",
                    result.document_id,
                    utc_now(),
                    after={
                        "file": result.filename,
                        "inspections": result.inspections,
                        "counts": result.counts,
                    },
                )
            return parsed, result

    def import_warnings(self, document_id: int) -> list[dict[str, Any]]:
        with self.database.transaction() as session:
            return [serialise.import_warning(r) for r in document_warnings(session, document_id)]

    # --- indicators ---------------------------------------------------------------------------

    def indicators(
        self,
        period: Period,
        force: str | None = None,
        indicator_ids: Sequence[str] | None = None,
        comparator: str = "england_and_wales",
        population_year: int | None = None,
        msg_method: MsgMethod = "pooled",
    ) -> list[IndicatorRow]:
        """Indicator rows for a force (all indicators by default) or, without a force, for every
        force (ranked), computed from the embedded dataset."""
        with self.database.transaction() as session:
            engine = self._indicator_engine(session)
        return indicator_rows(
            engine,
            period,
            force=force,
            indicator_ids=indicator_ids,
            comparator=comparator,
            population_year=population_year,
            msg_method=msg_method,
        )

    def _indicator_engine(self, session: Session) -> Engine:
        """The engine over the embedded and imported statistics, kept while neither the
        imported publications nor the most similar groups change (a report asks it a dozen
        questions; building it takes a fifth of a second)."""
        self._engine = record_engine(session, self._engine)
        return self._engine[1]

    def documents(self) -> dict[int, DocumentView]:
        """Every source document of the record, by id (titles and checksums for provenance)."""
        with self.database.transaction() as session:
            return {d.id: DocumentView.of(d) for d in queries.documents(session)}

        # --- official statistics ------------------------------------------------------------------

    def import_statistics(self, path: Path, actor: Actor | None = None) -> StoredSource:
        """Identify, read, check and store an official statistics file (one transaction)."""
        data = read_statistics_file(path)
        with self.database.transaction() as session:
            stored = store_source(session, data)
            self._event(
                session,
                actor or Actor.operator(),
                "statistics.import",
                "publication",
                path.name,
                utc_now(),
                after={"file": path.name},
            )
            return stored

    def statistics_sources(self) -> SourcesView:
        """What is loaded: the embedded dataset's publications and the imported ones."""
        with self.database.transaction() as session:
            user = imported_statistics(session)
        return SourcesView.of(describe_dataset(embedded()), describe_dataset(user))

    def statistics_problems(self) -> list[StatisticsProblemView]:
        """The validation problems of the embedded and imported statistics."""
        with self.database.transaction() as session:
            user = imported_statistics(session)
        return [StatisticsProblemView.of(p) for p in [*embedded().problems, *user.problems]]

    # --- published grades -------------------------------------------------------------------

    def load_grades(self, path: Path, actor: Actor | None = None) -> Any:
        """Load the HMICFRS grades CSV (year,force,pillar,question,grade,source_url) as
        judgments, one inspection per force and framework (one transaction)."""
        from peelkit.record.grades_csv import read_grades_csv, store_grades

        grades = read_grades_csv(path)
        with self.database.transaction() as session:
            stored = store_grades(session, grades)
            if not stored.already_loaded:  # "already loaded; nothing changed", as an import
                self._event(
                    session,
                    actor or Actor.operator(),
                    "grades.load",
                    "grades_csv",
                    path.name,
                    utc_now(),
                    after={"file": path.name},
                )
            return stored

    # --- reports --------------------------------------------------------------------------------

    def force_report(
        self,
        force: str,
        framework: str,
        year: str | None = None,
        public_at: dt.datetime | None = None,
    ) -> ForceReportView:
        """The view of one force's report under one framework and year (default: the
        framework's), from the record and the indicator engine, in one transaction. With
        ``public_at``, built only from inspections the public may see at that time."""
        spec = load_framework(framework)
        resolved = resolve_force(force)
        chosen_year = choose_year(spec, year)
        predecessors = predecessors_of(spec)
        with self.database.transaction() as session:
            engine = self._indicator_engine(session)
            known_groups = groups.groups_of(session, resolved.id, chosen_year)
            peers = known_groups[0].peers if known_groups else ()
            rows = queries.full_inspections(
                session,
                forces={resolved.id, *peers},
                frameworks={spec.id, *(p.id for p in predecessors)},
                public_at=public_at,
            )
            inspections = [InspectionView.of(r) for r in rows]
            documents = {d.id: DocumentView.of(d) for d in queries.documents(session)}
            revised = self._revised_by_file(session)
            # "Progress since the last inspection" of the report's own inspection(s).
            today = (public_at or utc_now()).date()
            progress = {
                r.id: ProgressView.of(*followup_facts.progress(session, r, today, public_at))
                for r in rows
                if (r.force_id, r.framework_id, r.period) == (resolved.id, spec.id, chosen_year)
            }
        inputs = ForceReportInputs(
            force=resolved,
            framework=spec,
            year=chosen_year,
            inspections=[
                i for i in inspections if i.force == resolved.id and i.framework == spec.id
            ],
            documents=documents,
            group=known_groups[0] if known_groups else None,
            no_group_reason=forces_without_group().get(resolved.id),
            peer_inspections={p: [i for i in inspections if i.force == p] for p in peers},
            predecessors=predecessors,
            revised_by_file=revised,
            query=IndicatorQuery(engine),
            progress=progress,
        )
        return build_force_report(inputs)

    def national_report(
        self,
        framework: str | None = None,
        indicator: str = "recorded_crime_per_1000",
        year: str | None = None,
        by_region: bool = False,
        boundaries: Path | None = None,
        public_at: dt.datetime | None = None,
    ) -> NationalView:
        """Every force's grades under a framework (default: the latest graded framework the
        record holds inspections of), their distribution, and one indicator for every force."""
        catalogue().get(indicator)
        with self.database.transaction() as session:
            if framework is None:
                framework = _latest_graded_framework(session, public_at)
            spec = load_framework(framework)
            engine = self._indicator_engine(session)
            rows = queries.full_inspections(session, frameworks={spec.id}, public_at=public_at)
            inspections = [InspectionView.of(r) for r in rows]
            documents = {d.id: DocumentView.of(d) for d in queries.documents(session)}
            revised = self._revised_by_file(session)
        inputs = NationalInputs(
            framework=spec,
            year=choose_year(spec, year),
            indicator=indicator,
            by_region=by_region,
            inspections=inspections,
            documents=documents,
            boundaries=boundaries if boundaries is not None else shipped_boundaries(),
            revised_by_file=revised,
            query=IndicatorQuery(engine),
        )
        return build_national(inputs)

    @staticmethod
    def _revised_by_file(session: Session) -> dict[str, int]:
        """How many figures of each statistics file were revised between releases."""
        counts: dict[str, int] = {}
        for problem in [*embedded().problems, *imported_statistics(session).problems]:
            described = problem_dict(problem)
            if described.get("code") == "revised_between_releases" and described.get("file"):
                file = str(described["file"])
                counts[file] = counts.get(file, 0) + 1
        return counts

    # --- web pages: grades of every force, the home page, force pages, indicator pages -----

    def latest_public_framework(self, public_at: dt.datetime | None = None) -> str:
        """The latest graded framework the record holds inspections of (with ``public_at``,
        inspections the public may see then); the default framework when it holds none."""
        with self.database.transaction() as session:
            return _latest_graded_framework(session, public_at)

    def grades(
        self,
        framework: str | None = None,
        level: str | None = None,
        force: str | None = None,
        year: str | None = None,
        public_at: dt.datetime | None = None,
    ) -> GradesView:
        """Every territorial force's grades (or one force's) under a framework (default: the
        latest with inspections) at a level (default: pillars, else its top graded areas):
        a ``peelkit.views.grades.GradesView``."""
        spec = load_framework(framework or self.latest_public_framework(public_at))
        resolved = resolve_force(force).id if force else None
        chosen_year = choose_year(spec, year)
        with self.database.transaction() as session:
            rows = queries.full_inspections(session, frameworks={spec.id}, public_at=public_at)
            inspections = [InspectionView.of(r) for r in rows]
            documents = {d.id: DocumentView.of(d) for d in queries.documents(session)}
        return build_grades(spec, chosen_year, level, inspections, documents, force=resolved)

    def home(
        self,
        framework: str | None = None,
        level: str | None = None,
        sort: str | None = None,
        by_region: bool = False,
        public_at: dt.datetime | None = None,
    ) -> HomeView:
        """The national picture (``peelkit.views.pages.HomeView``): the grades of every force,
        sorted and grouped as asked, and recorded crime for every force, for the framework's
        statistics period (else the latest period with figures)."""
        from peelkit.views.force_report import RANKED_INDICATOR

        grades = self.grades(framework, level, public_at=public_at)
        spec = load_framework(grades.framework_id)
        period, population_year = spec.statistics_period(grades.period)
        note = None
        if self._computes(RANKED_INDICATOR, period, population_year):
            figures = self.indicator_page(
                RANKED_INDICATOR,
                month=f"{period.end:%Y-%m}",
                population_year=population_year,
            )
        else:
            figures = self.indicator_page(RANKED_INDICATOR)
            note = (
                f"The statistics hold no figures for the {period.label()} (the period the "
                f"{spec.title} reports quote); these are the latest figures held, for the "
                f"{figures.period}."
            )
        return build_home(grades, load_all(), sort, by_region, figures, note)

    @staticmethod
    def forces_page() -> ForcesView:
        """The 44 forces with their regions and ONS codes (``peelkit.views.pages.ForcesView``)."""
        return build_forces(all_forces())

    def force_page(self, force: str, public_at: dt.datetime | None = None) -> ForcePageView:
        """A force's page (``peelkit.views.pages.ForcePageView``): identity and groups, grade
        history, latest findings, key indicators and its inspections (with ``public_at``, only
        those the public may see then)."""
        resolved = resolve_force(force)
        with self.database.transaction() as session:
            rows = queries.full_inspections(session, forces={resolved.id}, public_at=public_at)
            inspections = [InspectionView.of(r) for r in rows]
            documents = {d.id: DocumentView.of(d) for d in queries.documents(session)}
        report = None
        note = None
        if not resolved.in_england_and_wales_totals:
            note = f"{resolved.name} is not among the forces the indicator figures cover."
        else:
            context = self._context_framework()
            if context is None:
                note = "The statistics hold no figures for any framework's period."
            else:
                report = self.force_report(resolved.id, context, public_at=public_at)
        return build_force_page(
            resolved,
            load_all(),
            inspections,
            documents,
            self.most_similar_groups(resolved.id),
            report,
            note,
        )

    def _computes(self, indicator: str, period: Period, population_year: int | None) -> bool:
        """Whether the statistics give the indicator for ``period`` (for at least one force)."""
        from peelkit.indicators.compute import NoData

        with self.database.transaction() as session:
            engine = self._indicator_engine(session)
        spec = catalogue().get(indicator)
        try:
            engine.compute(indicator, period, spec.comparators[0], population_year)
        except NoData:
            return False
        return True

    def _context_framework(self) -> str | None:
        """The latest framework whose reports have a "Force in context" the statistics give
        figures for (the force page's key indicators)."""
        from peelkit.views.force_report import RANKED_INDICATOR

        for spec in reversed(load_all()):
            if spec.report_layout != "integrated" or spec.grade_scale is None:
                continue
            period, population_year = spec.statistics_period()
            if self._computes(RANKED_INDICATOR, period, population_year):
                return spec.id
        return None

    def latest_indicator_period(self, indicator: str) -> Period | None:
        """The latest 12 months (to a month end) for which the statistics give the indicator
        with its default population year, or None if they give it for none."""
        spec = catalogue().get(indicator)
        with self.database.transaction() as session:
            engine = self._indicator_engine(session)
        cached = self._latest_periods
        if cached is None or cached[0] is not engine:
            cached = self._latest_periods = (engine, {})
        if indicator in cached[1]:
            return cached[1][indicator]
        main = spec.numerator or spec.measure or ""
        candidates = sorted(
            {Period.year_ending(p.end.year, p.end.month) for p in engine.index.periods(main)},
            reverse=True,
        )
        found = next((p for p in candidates if self._computes(indicator, p, None)), None)
        cached[1][indicator] = found
        return found

    def indicator_catalogue(self) -> IndicatorCatalogueView:
        """Every indicator with its definition, method and latest period with figures
        (``peelkit.views.pages.IndicatorCatalogueView``)."""
        latest: dict[str, tuple[str, str] | None] = {}
        for indicator_id in catalogue().indicators:
            period = self.latest_indicator_period(indicator_id)
            latest[indicator_id] = (period.label(), f"{period.end:%Y-%m}") if period else None
        return build_catalogue(list(catalogue().indicators.values()), latest)

    def indicator_page(
        self,
        indicator: str,
        month: str | None = None,
        year: str | None = None,
        comparator: str = "ew",
        population_year: int | None = None,
    ) -> IndicatorPageView:
        """One indicator for every force (``peelkit.views.pages.IndicatorPageView``): the
        rows of :meth:`indicators` for the month (YYYY-MM) or financial year, by default the
        latest period with figures."""
        from peelkit.indicators.compute import NoData

        spec = catalogue().get(indicator)
        if month and year:
            raise InvalidRecord("give a month or a year, not both", code="usage")
        latest = self.latest_indicator_period(indicator)
        if month:
            period = Period.from_month(month)
        elif year:
            period = Period.financial_year(year)
        elif latest is not None:
            period = latest
        else:
            raise NoData(f"no data for {indicator}: the statistics hold no period with figures")
        rows = self.indicators(
            period,
            indicator_ids=[indicator],
            comparator=comparator,
            population_year=population_year,
        )
        return build_indicator_page(
            spec,
            (latest.label(), f"{latest.end:%Y-%m}") if latest else None,
            rows,
            month=f"{period.end:%Y-%m}" if not year else None,
            year=year,
            comparator=COMPARATOR_NAMES.get(comparator, comparator),
            population_year=population_year,
            boundaries=shipped_boundaries(),
        )

    # --- open data: the bulk downloads (peel export-open, /data) -------------------------------

    def open_data(self, public_at: dt.datetime) -> OpenDataView:
        """The open-data tables and the public record at ``public_at``: only inspections the
        public may see then (published, out of embargo), loaded in one transaction; the
        indicators for every financial year the statistics cover (``peelkit.opendata`` writes
        the files)."""
        with self.database.transaction() as session:
            rows = queries.full_inspections(session, public_at=public_at)
            inspections = [InspectionView.of(r) for r in rows]
            documents = {d.id: DocumentView.of(d) for d in queries.documents(session)}
            known_groups = groups.all_groups(session)
            engine = self._indicator_engine(session)
            record = exchange.export_record(session, public_at=public_at)
        # The indicator rows depend only on the engine: kept while it is the same (a write to
        # the record then rebuilds the files in a fraction of the time).
        kept = self._open_data_indicators
        if kept is None or kept[0] is not engine:
            indicators = list(catalogue().indicators.values())
            built = build_open_data_indicators(IndicatorQuery(engine), indicators)
            kept = self._open_data_indicators = (engine, built)
        inputs = OpenDataInputs(
            public_at=public_at,
            forces=all_forces(),
            frameworks={f.id: f for f in load_all()},
            inspections=inspections,
            documents=documents,
            groups=known_groups,
            indicators=kept[1],
            record=record,
        )
        return build_open_data(inputs)

    # --- export and load --------------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        with self.database.transaction() as session:
            return exchange.export_record(session)

    def export_to(self, path: Path) -> dict[str, int]:
        """Write the export to ``path`` whole or not at all (an earlier file stays as it was
        on any failure); a place no file can be written is refused before the export."""
        from peelkit.outputs import check_output_file, write_atomically

        check_output_file(path)
        record = self.export()
        write_atomically(path, exchange.dumps(record))
        return {
            "documents": len(record["documents"]),
            "inspections": len(record["inspections"]),
            "most_similar_groups": len(record["most_similar_groups"]),
        }

    def load(
        self,
        path: Path,
        replace: bool = False,
        progress: Progress | None = None,
        actor: Actor | None = None,
    ) -> dict[str, int]:
        """Load an export file into an empty record (or, with ``replace``, instead of it)."""
        document = exchange.parse_export(path)
        with self.database.transaction() as session:
            held = exchange.record_size(session)
            if held and not replace:
                raise InvalidRecord(
                    f"database {self.database_name} already holds a record; load needs an empty "
                    f"one (use --replace to discard what is there)",
                    code="record_not_empty",
                    kind="conflict",
                )
            if held:
                exchange.clear_record(session)
            counts = exchange.load_record(session, document, path.name, progress)
            self._event(
                session,
                actor or Actor.operator(),
                "record.replace" if held else "record.load",
                "record",
                path.name,
                utc_now(),
                after={"file": path.name, "counts": counts},
            )
            return counts

    # --- searching findings, and the change counter (for caches) ----------------------------

    def search_findings(
        self,
        q: str | None = None,
        *,
        kind: str | None = None,
        force: str | None = None,
        framework: str | None = None,
        year: str | None = None,
        area: str | None = None,
        limit: int = search.DEFAULT_LIMIT,
        after: str | None = None,
        public_at: dt.datetime,
    ) -> FindingSearchView:
        """Full-text search over the findings of the inspections the public may see at
        ``public_at``: one page (``limit`` 1 to 200, ``after`` the ``next`` of the page
        before), the total and facets, in one transaction. Filters: a kind of finding, any
        name of a force, a framework id, an assessment year, an area id (with a framework,
        any of its names). No text: every finding, by id."""
        request = search.SearchRequest.build(
            q,
            kind=kind,
            force=force,
            framework=framework,
            year=year,
            area=area,
            limit=limit,
            after=after,
        )
        with self.database.transaction() as session:
            result = search.search_findings(session, request, public_at)
        return FindingSearchView.of(request, result)

    def record_version(self) -> int:
        """The record's change counter: higher after every write that changed the record or
        the reference tables, the same after reads; shared by every process on the database."""
        with self.database.transaction() as session:
            return changes.record_version(session)

    def visibility_key(self, now: dt.datetime) -> str:
        """A key that changes with the record version and whenever ``now`` passes the
        embargo of a published inspection (what the public may see changed), never else."""
        with self.database.transaction() as session:
            return changes.visibility_key(session, now)
