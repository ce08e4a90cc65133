"""The 2005 baseline assessment reader against the Metropolitan Police Service report.

Expected values come from the report itself (counted here by simple means, such as the "- "
bullet lines of a region or the cells of a tab-separated table) or from the hand-built counts
of the domain notes (docs/domain/004_003_notes.md, sections 4, 5, 9 and 11).
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from peelkit.reportimport.model import ParsedDocument, ParsedJudgment, PerformanceRow
from peelkit.reportimport.readers import baseline_2005
from peelkit.reportimport.text import SourceText

REPORTS = Path(__file__).resolve().parents[2].parent / "shared" / "reference-reports"
BASELINE = "004_8971e4e9a7c1f0c8.txt"
OTHERS = (
    "000_033c6fd077a275c5.txt",
    "001_2e8c9026aad1a9d7.txt",
    "002_b3b722981796a923.txt",
    "003_02b487485919232c.txt",
)
MET = "metropolitan"

# Notes §4: strengths / areas for improvement per area (2C's unbulleted paragraph is read as
# the continuation of the bullet above it, so 2C has 12 strengths).
FINDING_COUNTS = {
    "1A": (19, 20), "1B": (16, 5), "1C": (7, 18), "2A": (17, 3), "2B": (11, 8), "2C": (12, 15),
    "3A": (43, 9), "3B": (22, 6), "3C": (29, 8), "3D": (15, 21), "3E": (28, 13), "3F": (18, 5),
    "4A": (15, 3), "4B": (19, 4), "5A": (30, 12), "5B": (19, 4), "5C": (30, 3), "6A": (36, 15),
    "6B": (6, 11), "6C": (19, 16), "6D": (33, 12), "6E": (30, 8), "6F": (15, 5), "7A": (22, 4),
    "7B": (16, 4), "7C": (11, 20),
}  # fmt: skip
# Notes §5: rows per Appendix 1 table.
ROW_COUNTS = {
    "1A": 17, "1B": 1, "1C": 14, "2A": 4, "2B": 13, "2C": 8, "3A": 15, "3B": 13, "3C": 4,
    "3D": 16, "3E": 14, "3F": 9, "4A": 6, "4B": 2, "5A": 3, "5B": 2, "5C": 2, "6A": 4, "6C": 12,
    "6D": 6,
}  # fmt: skip
# Findings headings (notes §2 and §11.5): grade and direction as printed.
MET_JUDGMENTS = {
    "1A": ("Fair", None), "1B": ("Good", "Improved"), "1C": ("Fair", "Stable"),
    "2A": ("Good", "Improved"), "2B": ("Poor", "Improved"), "2C": ("Good", "Improved"),
    "3A": ("Excellent", None), "3B": ("Excellent", None), "3C": ("Good", "Improved"),
    "3D": ("Poor", "Improved"), "3E": ("Fair", "Improved"), "3F": ("Fair", "Improved"),
    "4A": ("Fair", "Improved"), "4B": ("Fair", "Improved"), "5A": ("Fair", "Improved"),
    "5B": ("Good", "Improved"), "5C": ("Excellent", "Improved"), "6A": ("Good", "Improved"),
    "6B": ("Fair", "Improving"), "6C": ("Fair", None), "6D": ("Good", "Improved"),
    "6E": ("Good", "Improved"), "6F": ("Good", "Improved"), "7A": ("Good", None),
    "7B": ("Good", "Improved"), "7C": ("Fair", "Improved"),
}  # fmt: skip


def source(name: str = BASELINE) -> SourceText:
    path = REPORTS / name
    return SourceText.from_string(path.read_text(encoding="utf-8"), filename=path.name)


@cache
def document() -> ParsedDocument:
    return baseline_2005.read(source(), "baseline-2005", MET)


def read_lines(lines: list[str]) -> ParsedDocument:
    return baseline_2005.read(SourceText.from_string("\n".join(lines)), "baseline-2005", MET)


def own_judgments() -> dict[str, ParsedJudgment]:
    return {j.area: j for j in document().judgments if j.force is None}


def other_judgments() -> list[ParsedJudgment]:
    return [j for j in document().judgments if j.force is not None]


def row(table_code: str, indicator_start: str) -> PerformanceRow:
    rows = [
        r
        for r in document().performance_table
        if r.area == table_code and r.indicator.startswith(indicator_start)
    ]
    assert len(rows) == 1, (table_code, indicator_start, len(rows))
    return rows[0]


def report_lines() -> list[str]:
    return (REPORTS / BASELINE).read_text(encoding="utf-8").splitlines()


def region(start: str, end: str) -> list[str]:
    """The report's lines from the first starting with ``start`` up to one starting ``end``."""
    lines = report_lines()
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = next(i for i, line in enumerate(lines) if i > first and line.startswith(end))
    return lines[first:last]


# -- detection and document -----------------------------------------------------------------


def test_detects_the_baseline_report_only() -> None:
    assert baseline_2005.detect(source()) == "baseline-2005"
    for name in OTHERS:
        assert baseline_2005.detect(source(name)) is None, name
    assert baseline_2005.detect(SourceText.from_string("")) is None


def test_reader_declares_its_framework() -> None:
    assert baseline_2005.READER.frameworks == ("baseline-2005",)
    assert baseline_2005.READER.read is baseline_2005.read


def test_document_facts() -> None:
    doc = document()
    assert (doc.force, doc.framework) == (MET, "baseline-2005")
    assert doc.title is not None
    assert "Baseline Assessment" in doc.title and "Metropolitan Police Service" in doc.title
    assert doc.published is not None and doc.published.isoformat() == "2005-10-01"
    assert doc.hm_inspector == "Sir Ronnie Flanagan"
    assert doc.period == "2004/05"
    assert doc.most_similar_group == [
        "west-midlands",
        "greater-manchester",
        "merseyside",
        "west-yorkshire",
    ]
    assert doc.source.sha256 == source().sha256
    assert doc.source.line_count == len(report_lines())
    assert doc.not_found == []


def test_json_shape_serialises() -> None:
    shape = document().to_json()
    text = json.dumps(shape)
    assert shape["document"]["published"] == "2005-10-01"
    assert len(shape["performance_table"]) == 165
    assert '"force": "west-midlands"' in text


# -- the force's own judgments --------------------------------------------------------------


def test_twenty_six_graded_areas_and_professional_standards_not_graded() -> None:
    own = own_judgments()
    assert len(own) == 27
    graded = {a: j for a, j in own.items() if j.grade != "not_graded"}
    assert len(graded) == 26
    assert Counter(j.grade for j in graded.values()) == {
        "excellent": 3,
        "good": 11,
        "fair": 10,
        "poor": 2,
    }
    professional_standards = own["1D"]
    assert professional_standards.grade == "not_graded"
    assert professional_standards.grade_as_printed is None  # the Findings print no grade
    assert professional_standards.direction is None
    assert professional_standards.level == "area"


@pytest.mark.parametrize(("area", "printed"), sorted(MET_JUDGMENTS.items()))
def test_grade_and_direction_as_printed(area: str, printed: tuple[str, str | None]) -> None:
    judgment = own_judgments()[area]
    grade, direction = printed
    assert judgment.grade_as_printed == grade
    assert judgment.grade == grade.lower()
    assert judgment.direction_as_printed == direction
    expected = {None: None, "Improved": "improved", "Stable": "stable", "Improving": "improved"}
    assert judgment.direction == expected[direction]


def test_improving_is_kept_and_warned_about() -> None:
    warnings = [w for w in document().warnings if w.code == "grade_outside_scale"]
    assert {(w.table, w.column) for w in warnings} == {
        ("Findings", "Direction of Travel"),
        ("Summary of Judgements", "Direction of Travel"),
    }
    assert all(w.row is not None and w.row.startswith("6B") for w in warnings)
    assert all("Improving" in w.message for w in warnings)


def test_judgment_spans_point_at_the_headings() -> None:
    lines = report_lines()
    for area, judgment in own_judgments().items():
        assert judgment.span is not None
        assert lines[judgment.span.line_start - 1].startswith(area + " ")


def test_findings_summary_and_national_table_agree() -> None:
    codes = {w.code for w in document().warnings}
    assert "judgment_mismatch" not in codes
    assert "national_table_mismatch" not in codes


def test_a_summary_that_disagrees_is_warned_about() -> None:
    lines = report_lines()
    index = next(
        i for i, line in enumerate(lines) if line.startswith("2B Volume Crime Reduction\t")
    )
    lines[index] = lines[index].replace("Poor", "Fair")
    warnings = [w for w in read_lines(lines).warnings if w.code == "judgment_mismatch"]
    assert [(w.table, w.column) for w in warnings] == [("Summary of Judgements", "Grade")]
    assert warnings[0].row is not None and warnings[0].row.startswith("2B")


def test_a_national_table_that_disagrees_is_warned_about() -> None:
    lines = report_lines()
    header = next(i for i, line in enumerate(lines) if "\tMPS\t" in line)
    column = lines[header].split("\t").index("MPS")
    volume = next(
        i
        for i, line in enumerate(lines)
        if i > header and line.startswith("Volume Crime Reduction")
    )
    cells = lines[volume].split("\t")
    assert cells[column] == "Poor"
    cells[column] = "Good"
    lines[volume] = "\t".join(cells)
    doc = read_lines(lines)
    warnings = [w for w in doc.warnings if w.code == "national_table_mismatch"]
    assert [(w.row, w.column) for w in warnings] == [("2B", MET)]
    assert sum(1 for j in doc.judgments if j.force == MET) == 0  # never duplicated


# -- findings -------------------------------------------------------------------------------


def test_finding_totals() -> None:
    kinds = Counter(f.kind for f in document().findings)
    assert kinds == {"strength": 538, "area_for_improvement": 252}


def test_total_matches_the_bullets_printed() -> None:
    bullets = [line for line in region("1 Citizen Focus (Domain", "Appendix 1") if line[:2] == "- "]
    assert len(document().findings) == len(bullets) == 790


@pytest.mark.parametrize(("area", "counts"), sorted(FINDING_COUNTS.items()))
def test_findings_per_area(area: str, counts: tuple[int, int]) -> None:
    kinds = Counter(f.kind for f in document().findings if f.area == area)
    assert (kinds["strength"], kinds["area_for_improvement"]) == counts


def test_professional_standards_has_no_findings() -> None:
    assert not [f for f in document().findings if f.area == "1D"]


def test_major_crime_sub_headings() -> None:
    strengths = [f for f in document().findings if f.area == "3A" and f.kind == "strength"]
    assert Counter(f.heading for f in strengths) == {
        None: 21,
        "Major Crime": 6,
        "Critical Incident Management": 9,
        "Counter-terrorism and Extremism": 7,
    }
    assert all(f.heading is None for f in document().findings if f.area != "3A")


def test_texts_have_no_page_furniture_or_markup() -> None:
    for finding in document().findings:
        assert "Baseline Assessment" not in finding.text
        assert "October 2005" not in finding.text
        assert "*" not in finding.text and "\t" not in finding.text
        assert not finding.text.startswith("- ")


def test_bullets_split_by_page_breaks_are_rejoined() -> None:
    lines = report_lines()
    # 1A's bullet broken across a page (its end after a blank line), and 1A's last area for
    # improvement but one, broken by the running header.
    for first, last in ((226, 228), (268, 273)):
        start, end = lines[first - 1][2:].strip(), lines[last - 1].strip()
        matches = [f for f in document().findings if f.text.startswith(start)]
        assert len(matches) == 1
        assert matches[0].text == f"{start} {end}"
        assert matches[0].span is not None
        assert (matches[0].span.line_start, matches[0].span.line_end) == (first, last)


def test_two_c_paragraph_continues_its_bullet() -> None:
    """The unbulleted 2C paragraph is read as part of the bullet above it (12 strengths)."""
    lines = report_lines()
    heading = lines.index("2C Working with Partners to Reduce Crime")
    strengths = lines[heading : lines.index("Areas for Improvement", heading)]
    paragraphs = [line for line in strengths if len(line) > 80 and not line.startswith("- ")]
    assert len(paragraphs) == 1
    holders = [f for f in document().findings if paragraphs[0].strip() in f.text]
    assert len(holders) == 1 and holders[0].area == "2C" and holders[0].kind == "strength"
    assert not holders[0].text.startswith(paragraphs[0].strip())


def test_domain_summaries_are_not_findings() -> None:
    lines = report_lines()
    headings = [i for i, line in enumerate(lines) if line.endswith(("(Domain A)", "(Domain 1)"))]
    summaries = [lines[i + 2][:60] for i in headings[-2:]]
    assert len(summaries) == 2
    for summary in summaries:
        assert not [f for f in document().findings if summary in f.text]


def test_finding_spans_start_at_their_bullet() -> None:
    lines = report_lines()
    for finding in document().findings:
        assert finding.span is not None
        printed = lines[finding.span.line_start - 1][2:].strip().replace("*", "")
        assert printed[:30] == finding.text[:30]


# -- Appendix 1 -----------------------------------------------------------------------------


def test_performance_row_counts() -> None:
    rows = document().performance_table
    assert len(rows) == 165
    assert len({r.table for r in rows}) == 20
    assert Counter(r.area for r in rows) == ROW_COUNTS


def test_row_count_matches_the_tab_separated_lines() -> None:
    table_lines = [
        line.split("\t")
        for line in region("Appendix 1:", "Appendix 2")
        if line.count("\t") == 7 and not line.startswith("Indicator")
    ]
    data = [cells for cells in table_lines if any(cells[1:])]  # titles end in empty cells
    assert len(data) == 165


def test_racist_incident_satisfaction_row() -> None:
    """Notes §11.9: SPI 3a in 1A."""
    spi = row("1A", "% of victims of racist incidents very/completely satisfied")
    assert (spi.previous.printed, spi.previous.missing) == ("N/A", "not_applicable")
    assert (spi.current.printed, spi.current.value, spi.current.unit) == ("30.7%", 30.7, "percent")
    assert spi.msf_average.value == 40.8
    assert (spi.msf_rank.position, spi.msf_rank.of, spi.msf_rank.tied) == (5, 5, False)
    assert spi.national_average.printed == "48.6%"
    assert (spi.national_rank.printed, spi.national_rank.position) == ("34 out of 37", 34)
    assert spi.national_rank.of == 37


def test_tied_ranks() -> None:
    """Notes §11.10."""
    abduction = row("3A", "% of abduction crimes detected")
    assert (abduction.previous.printed, abduction.current.printed) == ("25.5%", "50.0%")
    assert (abduction.change.printed, abduction.change.value) == ("24.5 Pts", 24.5)
    assert abduction.change.unit == "points"
    rank = abduction.national_rank
    assert (rank.printed, rank.position, rank.of, rank.tied) == ("9= out of 43", 9, 43, True)
    assert row("3A", "% of attempted murder crimes detected").national_rank.printed == (
        "33= out of 43"
    )
    manslaughter = row("3A", "% of manslaughter crimes detected").national_rank
    assert (manslaughter.position, manslaughter.tied) == (20, True)
    assert sum(r.national_rank.tied for r in document().performance_table) == 3


def test_domestic_burglary_row() -> None:
    """Notes §11.11."""
    burglary = row("2B", "Domestic Burglary per 1,000 households (SPI 5a)")
    assert (burglary.previous.value, burglary.current.value) == (21.05, 19.53)
    assert (burglary.change.printed, burglary.change.value) == ("-7.2 %", -7.2)
    assert burglary.change.unit == "percent"
    assert burglary.msf_average.value == 20.48 and burglary.msf_rank.printed == "3 out of 5"
    assert burglary.national_average.value == 14.40
    assert burglary.national_rank.printed == "38 out of 43"


def test_racially_aggravated_detections_in_four_tables() -> None:
    """Notes §11.12."""
    rows = [
        r
        for r in document().performance_table
        if r.indicator == "% detected racially or religiously aggravated offences"
    ]
    assert sorted(r.area for r in rows) == ["1A", "2A", "3C", "3D"]
    for found in rows:
        assert (found.previous.printed, found.current.printed) == ("23.0%", "34.0%")
        assert found.change.printed == "11.1 Pts"
        assert (found.msf_average.printed, found.msf_rank.printed) == ("32.5%", "2 out of 5")
        assert found.national_rank.printed == "34 out of 43"


def test_good_job_and_sanction_detection_rows() -> None:
    """Notes §11.13 and §11.14."""
    good_job = row("1B", "% of people who think that their local police do a good job")
    assert (good_job.current.printed, good_job.msf_average.printed) == ("51.3%", "48.3%")
    assert (good_job.msf_rank.position, good_job.national_rank.printed) == (1, "11 out of 42")
    violent = row("3D", "% sanction detected of violent crime")
    assert (violent.current.printed, violent.national_rank.printed) == ("20.7%", "43 out of 43")
    charged = row("3D", "% of notifiable/recorded offences resulting in a charge")
    assert charged.indicator.endswith("(SPI 7a)")
    assert (charged.current.value, charged.national_rank.position) == (15.5, 43)


def test_missing_markers() -> None:
    """Notes §11.15 and §5: "*", "N/A" and "-" cells."""
    pace = [r for r in document().performance_table if "(SPI 3c)" in r.indicator]
    assert len(pace) == 3
    for found in pace:
        cells = [found.previous, found.current, found.change, found.msf_average]
        cells.append(found.national_average)
        assert all(c.printed == "*" and c.missing == "not_available" for c in cells)
        assert all(c.value is None for c in cells)
        assert found.msf_rank.printed == found.national_rank.printed == "*"
        assert found.national_rank.position is None
    partner = row("2A", "% of partner-on-partner violence (SPI 8b)")
    assert partner.msf_rank.printed == partner.national_rank.printed == "-"
    assert partner.previous.missing == "not_available"
    assert row("3C", "% of partner-on-partner violence (SPI 8b)").msf_rank.printed == "*"


def test_calls_answered_row() -> None:
    """Notes §11.19."""
    calls = row("5A", "Number of calls answered within local target time")
    assert (calls.previous.printed, calls.previous.value) == ("2,011,431", 2011431)
    assert calls.current.value == 1861206 and calls.change.printed == "-7.5 %"
    assert (calls.msf_average.value, calls.national_average.value) == (718826, 254988)
    assert calls.msf_rank.printed == calls.national_rank.printed == "N/A"
    target = row("5A", "The local target time for answering 999 calls (secs)")
    assert (target.previous.printed, target.previous.value) == ("15.", 15.0)
    assert target.previous.unit == "seconds"


def test_sickness_row() -> None:
    """Notes §11.20."""
    sickness = row("6A", "Number of working hours lost due to sickness by police officers")
    assert (sickness.previous.value, sickness.current.value) == (64.32, 55.94)
    assert sickness.change.printed == "-13 %"
    assert (sickness.msf_average.value, sickness.msf_rank.printed) == (64.34, "2 out of 5")
    assert (sickness.national_average.value, sickness.national_rank.printed) == (
        70.57,
        "6 out of 37",
    )


def test_money_ratio_and_points_cells() -> None:
    confiscation = row("3B", "Total value of confiscation orders")
    assert confiscation.current.printed == "£8,101,628"
    assert (confiscation.current.value, confiscation.current.unit) == (8101628, "pounds")
    ratio = row("6C", "Ratio of BME groups resigning")
    assert (ratio.previous.printed, ratio.previous.value, ratio.previous.unit) == (
        "1: 1.17",
        1.17,
        "ratio",
    )
    difference = row("1A", "Difference between very/completely satisfied rates")
    assert (difference.current.printed, difference.current.unit) == ("10.6 pts", "points")


def test_row_spans_point_at_their_lines() -> None:
    lines = report_lines()
    for found in document().performance_table:
        assert found.span is not None
        assert lines[found.span.line_start - 1].startswith(found.indicator + "\t")


# -- data-quality warnings ------------------------------------------------------------------


def warnings_of(code: str) -> list[tuple[str | None, str | None, str | None]]:
    return [(w.table, w.row, w.column) for w in document().warnings if w.code == code]


def test_impossible_percentages() -> None:
    """Notes §9 and §11.17: every printed percentage above 100%."""
    found = [w for w in document().warnings if w.code == "impossible_percentage"]
    printed = sorted((w.table[:2] if w.table else "", w.column) for w in found)
    assert printed == [
        ("3A", "2003/04"),
        ("3A", "National Ave 2004/05"),
        ("3E", "2003/04"),
        ("6C", "2004/05"),
        ("6C", "2004/05"),
        ("6C", "2004/05"),
    ]
    messages = " ".join(w.message for w in found)
    for value in ("1000.0%", "114.3%", "119.2%", "265.6%", "124.4%", "192.1%"):
        assert value in messages
    assert all(w.span is not None and w.row for w in found)


def test_only_the_two_six_c_differences_fail_the_change_check() -> None:
    """Notes §5 and §11.16: 28 rows differ from a naive recomputation but are within rounding."""
    found = [w for w in document().warnings if w.code == "change_mismatch"]
    assert [(w.table and w.table[:2], w.row, w.column) for w in found] == [
        ("6C", "Difference in % of applicants appointed", "Change"),
        ("6C", "Difference in % of applicants appointed", "Change"),
    ]
    assert "19700 Pts" in found[0].message and "5360 Pts" in found[1].message


def test_cross_table_spi_6b_change() -> None:
    found = [
        w
        for w in document().warnings
        if w.code == "cross_table_mismatch" and w.row and "(SPI 6b)" in w.row
    ]
    assert len(found) == 1
    assert found[0].column == "Change"
    assert "3 Pts" in found[0].message and "2.6 Pts" in found[0].message
    assert found[0].table is not None and found[0].table.startswith("3F")


def test_relative_change_on_percentage_rows() -> None:
    found = warnings_of("relative_change_on_percentage")
    assert sorted((t and t[:2], c) for t, _, c in found) == [
        ("3B", "Change"),
        ("3B", "Change"),
        ("3D", "Change"),
        ("3D", "Change"),
    ]
    assert all(r is not None and r.endswith("(SPI 6c)") for _, r, _ in found)


def test_no_rank_is_flagged() -> None:
    assert warnings_of("rank_out_of_range") == []


def test_every_item_has_a_span() -> None:
    doc = document()
    items: list[object] = [*doc.judgments, *doc.findings, *doc.performance_table, *doc.warnings]
    assert all(getattr(item, "span", None) is not None for item in items)


# -- the national tables --------------------------------------------------------------------


def test_national_judgments_for_the_other_forces() -> None:
    others = other_judgments()
    assert len(others) == 42 * 27
    assert len({j.force for j in others}) == 42
    assert MET not in {j.force for j in others}
    assert {"city-of-london", "avon-and-somerset", "dyfed-powys"} <= {j.force for j in others}
    assert len({(j.force, j.area) for j in others}) == len(others)


def test_volume_crime_reduction_column() -> None:
    """Notes §11.21 and §11.22."""
    volume = {j.force or "": j for j in other_judgments() if j.area == "2B"}
    volume[MET] = own_judgments()["2B"]
    poor = sorted(f for f, j in volume.items() if j.grade == "poor")
    assert poor == ["cleveland", "humberside", MET, "northamptonshire"]
    assert sum(1 for j in volume.values() if j.grade == "excellent") == 4
    msf = {f: volume[f].grade_as_printed for f in document().most_similar_group}
    assert msf == {
        "west-midlands": "Good",
        "greater-manchester": "Fair",
        "merseyside": "Good",
        "west-yorkshire": "Fair",
    }
    assert (volume["merseyside"].direction, volume["merseyside"].direction_as_printed) == (
        "deteriorated",
        "D",
    )


def test_professional_standards_not_graded_everywhere() -> None:
    standards = [j for j in other_judgments() if j.area == "1D"]
    assert len(standards) == 42
    assert all(j.grade == "not_graded" and j.grade_as_printed == "NG" for j in standards)


def test_national_totals_including_the_met() -> None:
    """Notes §11.23: 61 Excellent; directions S 483, I 393, NG 258, D 27 (43 x 27 in all)."""
    judgments = [*other_judgments(), *own_judgments().values()]
    assert sum(1 for j in judgments if j.grade == "excellent") == 61
    excellent = Counter(j.force for j in other_judgments() if j.grade == "excellent")
    assert excellent["lancashire"] == excellent["surrey"] == 6
    # The Met's areas without a direction are printed NG in the national table.
    directions = Counter(j.direction or "not_graded" for j in judgments)
    assert directions == {"stable": 483, "improved": 393, "not_graded": 258, "deteriorated": 27}


def test_excellent_count_matches_the_cells_printed() -> None:
    cells = [
        c
        for line in region("HMIC BASELINE", "HMIC BASELINE ASSESSMENT 2005 –")
        for c in line.split("\t")
    ]
    assert cells.count("Excellent") == 61


# -- bad input ------------------------------------------------------------------------------


def test_truncated_report_lists_what_is_missing() -> None:
    lines = report_lines()
    doc = read_lines(lines[: int(len(lines) * 0.4)])
    assert doc.not_found
    assert "Appendix 1 performance tables" in doc.not_found
    assert "National table of grades" in doc.not_found
    assert "Findings for 7C" in doc.not_found
    # The Summary of Judgements still gives the areas whose Findings were cut off.
    assert {j.area for j in doc.judgments if j.force is None} >= {"7C", "6B"}


def test_report_cut_inside_the_national_table() -> None:
    lines = report_lines()
    doc = read_lines(lines[: len(lines) - 40])
    assert any("national table of directions" in item.lower() for item in doc.not_found)


@pytest.mark.parametrize("text", ["", "\x00\x01\x02 garbage", "Summary of Judgements\tGrade\n1A"])
def test_odd_input_does_not_crash(text: str) -> None:
    doc = baseline_2005.read(SourceText.from_string(text), "baseline-2005", MET)
    assert doc.not_found
    assert doc.judgments == [] or all(j.area for j in doc.judgments)
