"""The framework loader: the shipped tree, alias resolution, and bad files named precisely."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from peelkit.errors import FrameworkFileError, UnknownArea, UnknownFramework
from peelkit.frameworks import framework_ids, load_framework, load_framework_file

SHIPPED = [
    "baseline-2005",
    "core-business-2014",
    "peel-2014",
    "peel-2015",
    "peel-2016",
    "peel-2017",
    "peel-2018-19",
    "peel-2021-22",
    "peel-2023-25",
]


def test_shipped_frameworks() -> None:
    assert framework_ids() == SHIPPED


def test_tree_sizes_match_the_reports() -> None:
    baseline = load_framework("baseline-2005")
    assert (baseline.count("domain"), baseline.count("area")) == (7, 27)
    ipa = load_framework("peel-2018-19")
    assert (ipa.count("pillar"), ipa.count("component")) == (3, 10)
    assert sorted(a.id for a in ipa.walk() if a.mandatory) == [
        "armed-policing",
        "ethical-and-lawful-workforce-behaviour",
        "planning-for-the-future",
        "protecting-vulnerable-people",
    ]
    effectiveness_2016 = load_framework("peel-2016").area("effectiveness")
    core = [a for a in effectiveness_2016.children if a.level == "question"]
    assert len(core) == 5
    assert [a.graded for a in core] == [True, True, True, True, False]
    assert len(load_framework("core-business-2014").areas) == 3


@pytest.mark.parametrize(
    ("names", "area_id"),
    [
        (("Firearms capability", "Armed response capability", "Armed policing"), "armed-policing"),
        (
            ("Fair treatment of the public", "Treating the public fairly"),
            "treating-the-public-fairly",
        ),
        (("Meeting current demands", "Meeting current demands and using resources"), None),
        (
            (
                "Preventing crime and anti-social behaviour",
                "Preventing crime and tackling anti-social behaviour",
            ),
            None,
        ),
    ],
)
def test_aliases_resolve_to_one_area(names: tuple[str, ...], area_id: str | None) -> None:
    ipa = load_framework("peel-2018-19")
    found = {ipa.resolve_area(n).id for n in names}
    assert len(found) == 1
    if area_id:
        assert found == {area_id}


def test_baseline_codes_and_name_variants() -> None:
    baseline = load_framework("baseline-2005")
    assert (
        baseline.resolve_area("6A").name == baseline.resolve_area("Human Resources Management").name
    )
    assert baseline.resolve_area("2B").name == "Volume Crime Reduction"
    assert baseline.area("1").attributes["ppaf_domain"] == "A"
    assert baseline.area("7").attributes == {}
    assert baseline.area("1B").criteria[0] == "Effective mechanisms for obtaining community views"


def test_unknown_framework_and_area() -> None:
    with pytest.raises(UnknownFramework, match="unknown framework 'peel-2019'.*peel-2018-19"):
        load_framework("peel-2019")
    with pytest.raises(
        UnknownArea,
        match="'Firearm capability' in framework peel-2018-19 \\(closest: Firearms capability",
    ):
        load_framework("peel-2018-19").resolve_area("Firearm capability")


GOOD = """\
id: {id}
title: A framework
programme: PEEL
inspectorate: HMICFRS
period: "2030/31"
grade_scale: peel-5-point
description: A test framework.
sources: [nowhere]
era:
  report_layout: integrated
  statistics: {basis: year_ending, month: 9, population_year: first}
  predecessor: peel-2023-25
  year_spellings: ["2030/31"]
  readers: [web-page]
areas:
  - id: effectiveness
    level: pillar
    name: Effectiveness
    graded: true
    areas:
      - id: investigating-crime
        level: area
        name: Investigating crime
        graded: true
"""


def _write(tmp_path: Path, text: str, name: str = "peel-2030") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text.replace("{id}", name), encoding="utf-8")
    return path


def test_a_new_cycle_is_a_data_file(tmp_path: Path) -> None:
    framework = load_framework_file(_write(tmp_path, GOOD))
    assert framework.resolve_area("investigating crime").parent_id == "effectiveness"
    assert framework.grade_scale is not None and framework.grade_scale.id == "peel-5-point"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("title: A framework\n", ""), "peel-2030.yaml: missing field 'title'"),
        (
            lambda t: t.replace("programme: PEEL\n", "programme: PEEL\ncolour: blue\n"),
            "peel-2030.yaml: unknown field 'colour'",
        ),
        (
            lambda t: t.replace(
                "        graded: true\n", "        graded: true\n        grade: x\n"
            ),
            "peel-2030.yaml: areas[0].areas[0]: unknown field 'grade'",
        ),
        (
            lambda t: t.replace("        level: area", "        level: chapter"),
            "peel-2030.yaml: areas[0].areas[0].level: unknown level 'chapter'",
        ),
        (
            lambda t: t.replace("peel-5-point", "peel-6-point"),
            "peel-2030.yaml: grade_scale: unknown grade scale 'peel-6-point'",
        ),
        (
            lambda t: t.replace("        name: Investigating crime", "        name: Effectiveness"),
            "peel-2030.yaml: area investigating-crime: name 'effectiveness' also denotes area "
            "effectiveness",
        ),
        (
            lambda t: t.replace("id: investigating-crime", "id: effectiveness"),
            "peel-2030.yaml: area effectiveness: duplicate area id",
        ),
        (
            lambda t: t.replace("    graded: true\n    areas", "    graded: yes please\n    areas"),
            "peel-2030.yaml: areas[0].graded: expected true or false",
        ),
        (
            lambda t: t.replace("id: peel-2030", "id: peel-2031"),
            "peel-2030.yaml: id: id 'peel-2031' differs from the file name",
        ),
        (
            lambda t: t.replace("grade_scale: peel-5-point", "grade_scale: null"),
            "peel-2030.yaml: grade_scale: graded areas need a grade scale",
        ),
        (lambda t: t.replace("areas:\n  - id", "areas: [\n  - id", 1), "peel-2030.yaml: line"),
        (
            lambda t: t.replace("sources: [nowhere]", "sources: []"),
            "peel-2030.yaml: sources: name at least one source",
        ),
        (
            lambda t: t.replace('period: "2030/31"', 'period: "the next one"'),
            "peel-2030.yaml: period: invalid year 'the next one'",
        ),
        (
            lambda t: re.sub(r"era:\n(  .*\n)+", "", t),
            "peel-2030.yaml: missing field 'era'",
        ),
        (
            lambda t: t.replace("report_layout: integrated", "report_layout: magazine"),
            "peel-2030.yaml: era.report_layout: unknown report layout 'magazine'",
        ),
        (
            lambda t: t.replace("month: 9,", "month: 13,"),
            "peel-2030.yaml: era.statistics.month: expected a month number 1 to 12, found 13",
        ),
        (
            lambda t: t.replace("month: 9,", "month: September,"),
            "peel-2030.yaml: era.statistics.month: expected a month number 1 to 12",
        ),
        (
            lambda t: t.replace("month: 9, ", ""),
            "peel-2030.yaml: era.statistics: missing field 'month'",
        ),
        (
            lambda t: t.replace("basis: year_ending", "basis: financial_year"),
            "peel-2030.yaml: era.statistics.month: a financial year always ends in March",
        ),
        (
            lambda t: t.replace("basis: year_ending", "basis: calendar_year"),
            "peel-2030.yaml: era.statistics.basis: unknown basis 'calendar_year'",
        ),
        (
            lambda t: t.replace("population_year: first", "population_year: next"),
            "peel-2030.yaml: era.statistics.population_year: unknown value 'next'",
        ),
        (
            lambda t: t.replace("predecessor: peel-2023-25", "predecessor: peel-2027"),
            "peel-2030.yaml: era.predecessor: unknown framework 'peel-2027'",
        ),
        (
            lambda t: t.replace("predecessor: peel-2023-25", "predecessor: peel-2030"),
            "peel-2030.yaml: era.predecessor: a framework cannot be its own predecessor",
        ),
        (
            lambda t: t.replace("  readers: [web-page]\n", "  readers: [web-page]\n  colour: x\n"),
            "peel-2030.yaml: era: unknown field 'colour'",
        ),
        (
            lambda t: t.replace("readers: [web-page]", "readers: [web-page, pdf]"),
            "peel-2030.yaml: era.readers[1]: unknown reader 'pdf'",
        ),
        (
            lambda t: t.replace('year_spellings: ["2030/31"]', "year_spellings: []"),
            "peel-2030.yaml: era.year_spellings: name at least one spelling of the year",
        ),
        (
            lambda t: t.replace("month: 9, ", "month: 9, year: first, "),
            "peel-2030.yaml: era.statistics: unknown field 'year'",
        ),
    ],
)
def test_bad_framework_files_are_named_precisely(
    tmp_path: Path, change: Callable[[str], str], message: str
) -> None:
    path = _write(tmp_path, change(GOOD.replace("{id}", "peel-2030")))
    with pytest.raises(FrameworkFileError) as caught:
        load_framework_file(path)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)
