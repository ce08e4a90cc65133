"""Era rules as data: statistics periods against what the reports print, predecessors, and
framework files added through PEELKIT_FRAMEWORKS_PATH."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from peelkit.domain.periods import Period
from peelkit.errors import FrameworkFileError
from peelkit.frameworks import framework_ids, load_all, load_framework, reload
from peelkit.frameworks.loader import PATH_VARIABLE

PEEL_2016 = "000_033c6fd077a275c5.txt"
PEEL_2018_19 = "001_2e8c9026aad1a9d7.txt"
PEEL_2015 = "002_b3b722981796a923.txt"
BASELINE_2005 = "004_8971e4e9a7c1f0c8.txt"


def _text(reports: Path, name: str) -> str:
    return re.sub(r"\s+", " ", (reports / name).read_text(encoding="utf-8"))


def _phrase(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    assert match is not None, pattern
    return match.group(1)


# --- statistics periods, as the reports print them ------------------------------------------


def test_peel_2016_force_in_numbers_period(reference_reports: Path) -> None:
    text = _text(reference_reports, PEEL_2016)
    printed = _phrase(text, r"Crimes recorded per 1,000 population (12 months to \d+ \w+ \d{4})")
    population = int(_phrase(text, r"mid-(\d{4}) population estimates"))
    period, population_year = load_framework("peel-2016").statistics_period()
    assert period.label() == printed
    assert population_year == population


def test_peel_2015_crime_rate_period(reference_reports: Path) -> None:
    text = _text(reference_reports, PEEL_2015)
    printed = _phrase(
        text, r"crime rates \(per 1,000 population\) for the (12 months to \d+ \w+ \d{4})"
    )
    period, _ = load_framework("peel-2015").statistics_period()
    assert period.label() == printed


def test_peel_2018_19_force_in_context_period(reference_reports: Path) -> None:
    text = _text(reference_reports, PEEL_2018_19)
    ending = _phrase(
        text, r"Recorded crime per 1,000 population</b> 12 months ending (\d+ \w+ \d{4})"
    )
    population = int(_phrase(text, r"ONS mid-(\d{4}) population estimates"))
    framework = load_framework("peel-2018-19")
    period, population_year = framework.statistics_period()
    assert period.label() == f"12 months to {ending}"
    assert population_year == population
    # The year given spelled another way gives the same period.
    assert framework.statistics_period("2018-19") == (period, population_year)


def test_baseline_2005_financial_year(reference_reports: Path) -> None:
    text = _text(reference_reports, BASELINE_2005)
    assessed = _phrase(text, r"performance during (\d{4}/\d{2})")
    period, population_year = load_framework("baseline-2005").statistics_period()
    assert period.is_financial_year
    assert period.label() == assessed
    assert population_year == int(assessed[:4])


@pytest.mark.parametrize(
    ("framework_id", "year", "end", "population_year"),
    [
        # the later PEEL rule: 12 months to 30 September of the first year, its population
        ("peel-2017", None, (2017, 9), 2017),
        ("peel-2021-22", None, (2021, 9), 2021),
        ("peel-2023-25", None, (2023, 9), 2023),
        ("peel-2023-25", "2024", (2024, 9), 2024),
        # chosen in the data files (comments there): June of the year for the 2014 crime
        # inspection, the financial year 2013/14 for the core business inspection
        ("peel-2014", None, (2014, 6), 2013),
        ("core-business-2014", None, (2014, 3), 2013),
        ("peel-2016", "2017", (2017, 6), 2016),
    ],
)
def test_statistics_period_rules(
    framework_id: str, year: str | None, end: tuple[int, int], population_year: int
) -> None:
    period = Period.year_ending(*end)
    assert load_framework(framework_id).statistics_period(year) == (period, population_year)


def test_layouts_and_predecessors() -> None:
    layouts = {f.id: f.report_layout for f in load_all()}
    assert layouts["baseline-2005"] == "baseline"
    assert {i for i, layout in layouts.items() if layout == "effectiveness"} == {
        "peel-2015",
        "peel-2016",
    }
    peel = [f for f in load_all() if f.programme == "PEEL"]
    # each PEEL framework's predecessor is the one before it in chronological order
    assert [f.predecessor for f in peel] == [None, *[f.id for f in peel[:-1]]]
    assert load_framework("baseline-2005").predecessor is None
    assert load_framework("core-business-2014").predecessor is None


# --- framework files on PEELKIT_FRAMEWORKS_PATH ----------------------------------------------

NEW = """\
id: {id}
title: A framework
programme: PEEL
inspectorate: HMICFRS
period: "{period}"
grade_scale: peel-5-point
description: A test framework.
sources: [nowhere]
era:
  report_layout: integrated
  statistics: {basis: year_ending, month: 9, population_year: first}
  predecessor: {predecessor}
  year_spellings: {spellings}
  readers: [web-page]
areas:
  - id: investigating-crime
    level: area
    name: Investigating crime
    graded: true
"""


def _write(
    directory: Path,
    framework_id: str,
    period: str = "2025-27",
    predecessor: str = "peel-2023-25",
    spellings: str = '["2025-27"]',
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{framework_id}.yaml"
    text = (
        NEW.replace("{id}", framework_id)
        .replace("{period}", period)
        .replace("{predecessor}", predecessor)
        .replace("{spellings}", spellings)
    )
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def search_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "frameworks"
    directory.mkdir()
    monkeypatch.setenv(PATH_VARIABLE, str(directory))
    reload()
    yield directory
    monkeypatch.delenv(PATH_VARIABLE)
    reload()


def test_a_new_cycle_on_the_path_is_listed_in_order(search_path: Path) -> None:
    _write(search_path, "peel-2025-27")
    # an earlier one, to show the list is ordered by period, not by where files are
    _write(search_path, "peel-2019-20", "2019/20", "peel-2018-19", '["2019/20"]')
    reload()
    ids = framework_ids()
    assert ids[-1] == "peel-2025-27"
    assert ids.index("peel-2018-19") + 1 == ids.index("peel-2019-20")
    assert ids.index("peel-2019-20") + 1 == ids.index("peel-2021-22")
    new = load_framework("peel-2025-27")
    assert new.predecessor == "peel-2023-25"
    assert load_all()[-1] == new
    assert new.statistics_period() == (Period.year_ending(2025, 9), 2025)


def test_the_cache_follows_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, search_path: Path
) -> None:
    other = tmp_path / "other"
    _write(other, "peel-2025-27")
    assert "peel-2025-27" not in framework_ids()
    monkeypatch.setenv(PATH_VARIABLE, f"{search_path}{os.pathsep}{other}")
    assert "peel-2025-27" in framework_ids()  # no reload needed: keyed on the value


def test_a_shipped_id_on_the_path_names_both_files(search_path: Path) -> None:
    path = _write(search_path, "peel-2021-22", "2021/22", "peel-2018-19", '["2021/22"]')
    reload()
    with pytest.raises(FrameworkFileError) as caught:
        framework_ids()
    message = str(caught.value)
    assert message.startswith(f"{path}: id: framework 'peel-2021-22' is already defined by ")
    assert message.endswith("peel-2021-22.yaml") and "\n" not in message
    assert str(search_path) not in message.split("already defined by ")[1]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ("2018/19", "peel-2023-25", '["2018/20"]'),
            "peel-2025-27.yaml: era.predecessor: peel-2023-25 (2023-25) is not an earlier",
        ),
        (
            ("2025-27", "baseline-2005", '["2025-27"]'),
            "peel-2025-27.yaml: era.predecessor: baseline-2005 belongs to programme "
            "'Baseline assessment', not 'PEEL'",
        ),
        (
            ("2025-27", "peel-2023-25", '["2025-27", "2017"]'),
            "peel-2025-27.yaml: era.year_spellings: '2017' already spells the year of peel-2017",
        ),
        (
            ("2025-27", "peel-2099", '["2025-27"]'),
            "peel-2025-27.yaml: era.predecessor: unknown framework 'peel-2099'",
        ),
    ],
)
def test_catalogue_checks(search_path: Path, arguments: tuple[str, str, str], message: str) -> None:
    _write(search_path, "peel-2025-27", *arguments)
    reload()
    with pytest.raises(FrameworkFileError) as caught:
        load_all()
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_missing_directory_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    monkeypatch.setenv(PATH_VARIABLE, str(missing))
    try:
        with pytest.raises(FrameworkFileError, match=f"^{re.escape(str(missing))}: not a dir"):
            load_all()
    finally:
        monkeypatch.delenv(PATH_VARIABLE)
        reload()
