"""Check the framework data files against the reports and grade data they were read from.

The expected values are read from the reference reports and the PEEL grades CSV at test time,
not copied from the YAML files, so a wrong or missing area, name, alias or criterion fails here.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "src" / "peelkit" / "frameworks" / "data"
SHARED = REPO.parent / "shared"
REPORTS = SHARED / "reference-reports"
GRADES_CSV = SHARED / "data" / "raw" / "peel-grades" / "peel_grades.csv"

FRAMEWORK_IDS = (
    "baseline-2005",
    "core-business-2014",
    "peel-2014",
    "peel-2015",
    "peel-2016",
    "peel-2017",
    "peel-2018-19",
    "peel-2021-22",
    "peel-2023-25",
)
LEVELS = {"overall", "pillar", "question", "sub_question", "component", "domain", "area", "section"}

# The year column of peel_grades.csv, and the framework each year's rows belong to.
CSV_YEARS = {
    "2014": "peel-2014",
    "2015": "peel-2015",
    "2016": "peel-2016",
    "2017": "peel-2017",
    "2018/19": "peel-2018-19",
    "2021/22": "peel-2021-22",
    "2023-25": "peel-2023-25",
}
CSV_YEARS_WITHOUT_FRAMEWORK: set[str] = set()

# Graded questions per pillar (effectiveness, efficiency, legitimacy), as SOURCES.md of the
# grades data set states them: "2015: 4/3/3 graded questions; 2016–2017: 4 effectiveness, 3
# efficiency, 3 legitimacy; 2018/19: 4/2/3".
GRADED_QUESTIONS_PER_PILLAR = {
    "peel-2015": (4, 3, 3),
    "peel-2016": (4, 3, 3),
    "peel-2017": (4, 3, 3),
    "peel-2018-19": (4, 2, 3),
}

# Reports name the force in one data heading; the frameworks use a force-neutral wording.
FORCE_AREA = ("Metropolitan Police area", "force area")

pytestmark = pytest.mark.skipif(
    not (REPORTS.is_dir() and GRADES_CSV.is_file()),
    reason=f"reference reports and grades data not found under {SHARED}",
)


def norm(text: str) -> str:
    """Lower-case, & as "and", only letters, digits and spaces kept, spaces collapsed."""
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9 ]+", "", text.replace("\t", " ").replace("\n", " "))
    return re.sub(r" +", " ", text).strip()


def neutral(text: str) -> str:
    """The heading with the force's own area name replaced by the framework's wording."""
    return text.replace(*FORCE_AREA)


# --- framework files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    raw: dict[str, Any]
    parent: Node | None

    @property
    def id(self) -> str:
        return str(self.raw["id"])

    @property
    def name(self) -> str:
        return str(self.raw["name"])

    @property
    def level(self) -> str:
        return str(self.raw["level"])

    @property
    def graded(self) -> bool:
        return bool(self.raw["graded"])

    @property
    def aliases(self) -> list[str]:
        return [str(a) for a in self.raw.get("aliases") or []]

    @property
    def question(self) -> str | None:
        value = self.raw.get("question")
        return None if value is None else str(value)

    @property
    def children(self) -> list[Node]:
        return [Node(child, self) for child in self.raw.get("areas") or []]

    def spellings(self) -> list[str]:
        names = [self.id, self.name, *self.aliases]
        if self.raw.get("code"):
            names.append(str(self.raw["code"]))
        if self.question:
            names.append(self.question)
        return names

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


@cache
def framework(framework_id: str) -> dict[str, Any]:
    document = yaml.safe_load((DATA_DIR / f"{framework_id}.yaml").read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def top(framework_id: str) -> list[Node]:
    return [Node(raw, None) for raw in framework(framework_id)["areas"]]


def walk(framework_id: str) -> Iterator[Node]:
    stack = list(reversed(top(framework_id)))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def resolve_all(framework_id: str, name: str) -> list[Node]:
    """Every area the name denotes (as id, code, name, question or alias)."""
    key = norm(name)
    return [n for n in walk(framework_id) if key in {norm(s) for s in n.spellings()}]


def resolve(framework_id: str, name: str) -> Node:
    found = resolve_all(framework_id, name)
    assert len(found) == 1, f"{framework_id}: {name!r} denotes {[n.id for n in found]}"
    return found[0]


# --- report text -------------------------------------------------------------------------------


@cache
def report(prefix: str) -> str:
    (path,) = REPORTS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8").replace("’", "'")


def lines(prefix: str) -> list[str]:
    return report(prefix).splitlines()


def block(prefix: str, start: str, end: str) -> list[str]:
    """The lines after the first line equal to ``start`` up to the next line starting ``end``."""
    all_lines = lines(prefix)
    first = next(i for i, line in enumerate(all_lines) if line.strip() == start)
    out: list[str] = []
    for line in all_lines[first + 1 :]:
        if line.strip().startswith(end):
            break
        out.append(line)
    return out


# --- generic checks ----------------------------------------------------------------------------


@pytest.mark.parametrize("framework_id", FRAMEWORK_IDS)
def test_file_header(framework_id: str) -> None:
    document = framework(framework_id)
    assert document["id"] == framework_id
    for key in ("title", "programme", "inspectorate", "period", "description", "sources"):
        assert document.get(key), f"{framework_id}: missing {key}"
    assert document["inspectorate"] in {"HMIC", "HMICFRS"}
    assert "grade_scale" in document
    # Sources name documents, never files of a machine.
    assert all(isinstance(s, str) and not re.search(r"(^|\s)/\w+/", s) for s in document["sources"])


@pytest.mark.parametrize("framework_id", FRAMEWORK_IDS)
def test_names_denote_one_area_only(framework_id: str) -> None:
    owner: dict[str, str] = {}
    ids: set[str] = set()
    for node in walk(framework_id):
        assert node.level in LEVELS, f"{node.id}: level {node.level}"
        assert isinstance(node.raw["graded"], bool)
        assert node.id not in ids, f"duplicate id {node.id}"
        ids.add(node.id)
        for spelling in node.spellings():
            other = owner.setdefault(norm(spelling), node.id)
            assert other == node.id, f"{spelling!r} names both {other} and {node.id}"
        own = norm(node.name)
        for alias in node.aliases:
            assert norm(alias) != own, f"{node.id}: alias {alias!r} repeats the name"
        assert len({norm(a) for a in node.aliases}) == len(node.aliases), node.id


# --- baseline 2005 -----------------------------------------------------------------------------

BASELINE = "004"
AREA_CELL = re.compile(r"^([1-7][A-F]) (.+?) <ul[^>]*>(.*)$")
DOMAIN_ROW = re.compile(r"^([1-7]) (.+?)(?: \(PPAF domain (\w)\))?$")


@dataclass(frozen=True)
class TableArea:
    code: str
    name: str
    criteria_text: str
    bullets: list[str] | None  # None where the extraction lost the bullet markers


@cache
def baseline_table() -> tuple[list[tuple[str, str, str | None]], dict[str, list[TableArea]]]:
    """Domains (code, name, PPAF letter) and their areas, from the framework table."""
    domains: list[tuple[str, str, str | None]] = []
    areas: dict[str, list[TableArea]] = {}
    rows = block(BASELINE, "Baseline Assessment 2005 Frameworks", "Force Overview and Context")
    for row in rows:
        cells = [c.strip() for c in row.split("\t") if c.strip()]
        if not cells:
            continue
        domain = DOMAIN_ROW.match(cells[0])
        if domain and len(cells) == 1:
            domains.append((domain[1], domain[2], domain[3]))
            areas[domain[1]] = []
            continue
        for cell in cells:
            match = AREA_CELL.match(cell)
            if match is None:
                continue
            text = match[3]
            bullets = [b.strip() for b in text.split("•") if b.strip()] if "•" in text else None
            criteria_text = " ".join(text.replace("•", " ").split())
            areas[match[1][0]].append(TableArea(match[1], match[2], criteria_text, bullets))
    return domains, areas


def baseline_areas() -> list[Node]:
    return [n for n in walk("baseline-2005") if n.level == "area"]


def test_baseline_domains_match_the_framework_table() -> None:
    domains, _ = baseline_table()
    assert len(domains) == 7
    nodes = top("baseline-2005")
    assert [(n.id, n.raw.get("code"), n.name, n.level) for n in nodes] == [
        (code, code, name, "domain") for code, name, _ in domains
    ]
    for node, (_, _, ppaf) in zip(nodes, domains, strict=True):
        assert node.graded is False
        assert (node.raw.get("attributes") or {}).get("ppaf_domain") == ppaf
    assert [d[2] for d in domains] == ["A", "1", "2", "3", "4", "B", None]


def test_baseline_areas_match_the_framework_table() -> None:
    domains, table = baseline_table()
    assert sum(len(v) for v in table.values()) == 27
    assert [len(table[d[0]]) for d in domains] == [4, 3, 6, 2, 3, 6, 3]
    for domain in top("baseline-2005"):
        expected = table[domain.id]
        assert [c.id for c in domain.children] == [a.code for a in expected]
        for node, area in zip(domain.children, expected, strict=True):
            assert node.level == "area"
            assert node.raw.get("code") == area.code
            # The framework-table spelling is the name or, exactly, one of the aliases.
            assert area.name in [node.name, *node.aliases], area.code
            criteria = [str(c) for c in node.raw.get("criteria") or []]
            assert " ".join(" ".join(criteria).split()) == area.criteria_text, area.code
            if area.bullets is not None:
                assert criteria == area.bullets, area.code


def test_baseline_criteria_examples() -> None:
    by_id = {n.id: n for n in baseline_areas()}
    assert by_id["1B"].raw["criteria"][0] == "Effective mechanisms for obtaining community views"
    assert len(by_id["1B"].raw["criteria"]) == 4
    assert len(by_id["7B"].raw["criteria"]) == 7


def test_baseline_areas_are_graded_with_direction() -> None:
    for node in baseline_areas():
        assert node.graded is True, node.id
        assert node.raw.get("direction") is True, node.id
    document = framework("baseline-2005")
    assert document["grade_scale"] == "baseline-delivery"
    assert document["direction_scale"] == "baseline-direction"
    assert document["period"] == "2004/05"
    assert document["inspectorate"] == "HMIC"


def _printed_area_names() -> list[tuple[str, str, str]]:
    """(where, code, name) for every place outside the framework table that names an area."""
    out: list[tuple[str, str, str]] = []
    all_lines = lines(BASELINE)
    # The Summary of Judgements table (not its Contents entry), then the Findings and Appendix 1.
    summary = next(
        i for i, line in enumerate(all_lines) if line.startswith("Summary of Judgements\t")
    )
    for line in all_lines[summary:]:
        heading = re.match(r"^([1-7][A-F]):? (.+)$", line.rstrip())
        if heading:
            out.append(("heading or table title", heading[1], heading[2].split("\t")[0].strip()))
    codes = [n.id for n in baseline_areas()]
    national = all_lines[
        next(i for i, x in enumerate(all_lines) if x.startswith("HMIC BASELINE ASSESSMENT 2005")) :
    ]
    blocks: list[list[str]] = []
    for line in national:
        if line.startswith("\t"):
            blocks.append([])
        elif blocks and line.strip() and "\t" in line:
            blocks[-1].append(line.split("\t")[0].strip())
    assert len(blocks) == 4, "two grade and two direction blocks of forces"
    for rows in blocks:
        assert len(rows) == 27
        out.extend(("national table", code, name) for code, name in zip(codes, rows, strict=True))
    return out


def test_baseline_every_printed_area_name_resolves_to_its_code() -> None:
    printed = _printed_area_names()
    assert len(printed) > 100
    for where, code, name in printed:
        assert resolve("baseline-2005", name).id == code, (where, code, name)


# --- core business 2014 ------------------------------------------------------------------------


def test_core_business_sections_are_the_letter_headings() -> None:
    text_lines = [line.strip() for line in lines("003")]
    intro = [line for line in text_lines if line.startswith("- how ")]
    nodes = top("core-business-2014")
    assert len(intro) == len(nodes) == 3
    positions = [text_lines.index(n.name) for n in nodes]
    assert positions == sorted(positions)
    assert all(n.level == "section" and n.graded is False for n in nodes)
    assert framework("core-business-2014")["grade_scale"] is None


# --- PEEL 2015 ---------------------------------------------------------------------------------


def _joined(prefix: str) -> str:
    return " ".join(report(prefix).split())


def test_peel_2015_questions_are_the_report_questions() -> None:
    text = _joined("002")
    overall = re.search(r"focused on the overall question: “(.+?)”", text)
    assert overall
    effectiveness = resolve("peel-2015", "Effectiveness")
    assert effectiveness.level == "pillar" and effectiveness.graded
    assert effectiveness.question == overall[1]
    numbered = re.findall(r"\b[1-4]\. (How effective is the force at .+?\?)", text)
    assert len(numbered) == 4
    questions = [c for c in effectiveness.children if c.level == "question"]
    assert [c.question for c in questions] == numbered
    assert all(c.graded for c in questions)


def test_peel_2015_sub_questions_are_report_headings() -> None:
    text = norm(neutral(_joined("002")))
    subs = [n for n in walk("peel-2015") if n.level == "sub_question"]
    assert subs
    for node in subs:
        assert node.graded is False
        assert norm(node.name) in text, node.name


def test_peel_2015_ungraded_questions() -> None:
    ungraded = {n.id for n in walk("peel-2015") if not n.graded}
    assert resolve("peel-2015", "Leadership").id in ungraded
    crime_recording = resolve(
        "peel-2015",
        "To what extent are forces recording crimes in accordance with the Home Office "
        "Counting Rules?",
    )
    assert not crime_recording.graded


# --- PEEL 2016 ---------------------------------------------------------------------------------


def _contents_2016() -> tuple[str, list[tuple[str, list[str]]]]:
    """The overall question and (core question, [sub-questions]) from the Contents page."""
    entries = [
        line.split("\t")[0].rstrip(" .")
        for line in block("000", "Contents", "Annex A")
        if line.strip()
    ]
    overall = next(e for e in entries if e.startswith("Overview"))
    core = re.findall(r"^\d\. (How .+\?)$", report("000"), flags=re.MULTILINE)
    assert len(core) == 5
    out: list[tuple[str, list[str]]] = []
    for entry in entries:
        if entry in core:
            out.append((entry, []))
        elif out and entry != "Summary of findings" and entry.startswith("How"):
            out[-1][1].append(entry)
        elif entry == "Summary of findings":
            continue
        elif out:
            break
    return overall.split("– ", 1)[1], out


def test_peel_2016_effectiveness_matches_the_contents() -> None:
    overall, core = _contents_2016()
    effectiveness = resolve("peel-2016", "Effectiveness")
    assert effectiveness.question == overall
    questions = [c for c in effectiveness.children if c.level == "question"]
    assert [norm(c.question or "") for c in questions] == [norm(q) for q, _ in core]
    assert [len(subs) for _, subs in core] == [3, 4, 3, 3, 2]
    for node, (_, subs) in zip(questions, core, strict=True):
        children = [c for c in node.children if c.level == "sub_question"]
        assert [norm(c.name) for c in children] == [norm(neutral(s)) for s in subs]
        assert all(not c.graded for c in children)


def test_peel_2016_specialist_capabilities_ungraded() -> None:
    text = report("000")
    specialist = resolve("peel-2016", "How effective are the force's specialist capabilities?")
    # HMIC printed "Ungraded" for this question; the other four carry grades.
    assert "Ungraded" in text or "ungraded" in text
    assert specialist.graded is False
    others = [c for c in resolve("peel-2016", "Effectiveness").children if c.id != specialist.id]
    assert len(others) == 4 and all(c.graded for c in others)
    assert resolve("peel-2016", "Leadership").graded is False


# --- PEEL 2018/19 ------------------------------------------------------------------------------


def _contents_2018() -> list[tuple[str, str, list[str]]]:
    """(pillar, pillar question, [component headings]) from the report's Contents."""
    entries = [
        re.sub(r"</?b>", "", line).split("\t")[0].strip()
        for line in block("001", "# Contents", "# What this report contains")
        if line.strip()
    ]
    out: list[tuple[str, str, list[str]]] = []
    for entry in entries:
        if entry in {"Effectiveness", "Efficiency", "Legitimacy"}:
            out.append((entry, "", []))
        elif not out or entry in {"Force in context", "Summary"} or entry.startswith("Annex"):
            continue
        elif entry.startswith("How "):
            out[-1] = (out[-1][0], entry, out[-1][2])
        else:
            out[-1][2].append(entry)
    return out


def test_peel_2018_19_pillars_and_components_match_the_contents() -> None:
    contents = _contents_2018()
    assert [len(c) for _, _, c in contents] == [5, 2, 3]
    pillars = top("peel-2018-19")
    assert [(p.name, p.question, p.level, p.graded) for p in pillars] == [
        (name, question, "pillar", True) for name, question, _ in contents
    ]
    for pillar, (_, _, components) in zip(pillars, contents, strict=True):
        assert [c.name for c in pillar.children] == components
        assert all(c.level == "component" for c in pillar.children)


def test_peel_2018_19_summary_and_ipa_labels_resolve() -> None:
    text = report("001")
    summary = block("001", "# Overall summary", "## How does the force compare")
    pillar = None
    checked = 0
    for line in summary:
        cells = [re.sub(r"</?b>", "", c).strip() for c in line.split("\t")]
        cells = [c for c in cells if c]
        if not cells:
            continue
        if cells[0] in {"Effectiveness", "Efficiency", "Legitimacy"}:
            pillar = resolve("peel-2018-19", cells[0])
            continue
        if len(cells) < 2 or cells[0] in {"Good", "Requires improvement", "Outstanding"}:
            continue
        assert pillar is not None
        component = resolve("peel-2018-19", cells[0])
        assert component.parent is not None and component.parent.id == pillar.id
        # A component printed "Ungraded" is not graded; every other one is.
        assert component.graded is (cells[1] != "Ungraded"), cells
        checked += 1
    assert checked == 10
    ipa = re.findall(r"^(.+)\t(?:Yes|No)$", text, flags=re.MULTILINE)
    assert len(ipa) == 10
    assert len({resolve("peel-2018-19", label).id for label in ipa}) == 10


def test_peel_2018_19_mandatory_areas() -> None:
    text = report("001")
    listed = text.split("We inspected all forces in four areas:", 1)[1].split("We consider", 1)[0]
    areas = [re.sub(r"(; and|;|\.)$", "", m.strip()) for m in re.findall(r"^- (.+)$", listed, re.M)]
    assert len(areas) == 4
    expected = {resolve("peel-2018-19", a).id for a in areas}
    mandatory = {n.id for n in walk("peel-2018-19") if n.raw.get("mandatory")}
    assert mandatory == expected


def test_peel_2018_19_names_and_label_aliases_are_printed() -> None:
    text = norm(report("001"))
    for node in walk("peel-2018-19"):
        if node.level != "component":
            continue
        for spelling in [node.name, *node.aliases]:
            if spelling.endswith("?"):
                continue  # question wordings come from the grades pages, not the report
            assert norm(spelling) in text, spelling


# --- PEEL grades CSV ---------------------------------------------------------------------------


@cache
def grade_rows() -> list[dict[str, str]]:
    with GRADES_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_csv_year_has_a_framework() -> None:
    years = {row["year"] for row in grade_rows()}
    assert years - set(CSV_YEARS) <= CSV_YEARS_WITHOUT_FRAMEWORK


@pytest.mark.parametrize("year", sorted(CSV_YEARS))
def test_every_csv_question_resolves_to_one_area(year: str) -> None:
    framework_id = CSV_YEARS[year]
    rows = [row for row in grade_rows() if row["year"] == year]
    assert rows
    for row in rows:
        question = row["question"].strip()
        if not question:
            node = resolve(framework_id, row["pillar"])
            assert node.level == "pillar", row
        else:
            node = resolve(framework_id, question)
            if row["pillar"] != "Area":
                pillar = resolve(framework_id, row["pillar"])
                assert pillar.id in {a.id for a in node.ancestors()}, row
            else:
                assert node.level == "area", row
        if row["grade"] != "Ungraded":
            assert node.graded, row


@pytest.mark.parametrize("framework_id", sorted(GRADED_QUESTIONS_PER_PILLAR))
def test_graded_questions_per_pillar(framework_id: str) -> None:
    pillars = [resolve(framework_id, p) for p in ("Effectiveness", "Efficiency", "Legitimacy")]
    counts = tuple(sum(1 for c in p.children if c.graded) for p in pillars)
    assert counts == GRADED_QUESTIONS_PER_PILLAR[framework_id]


@pytest.mark.parametrize("framework_id", ["peel-2021-22", "peel-2023-25"])
def test_five_point_frameworks_have_areas_only(framework_id: str) -> None:
    assert framework(framework_id)["grade_scale"] == "peel-5-point"
    nodes = list(walk(framework_id))
    assert all(n.level == "area" and n.parent is None for n in nodes)
    # Every distinct area name in the grades data is the canonical name of an area, or an alias.
    printed = {
        row["question"] for row in grade_rows() if CSV_YEARS.get(row["year"]) == framework_id
    }
    canonical = {norm(n.name) for n in nodes}
    aliases = {norm(a) for n in nodes for a in n.aliases}
    assert {norm(p) for p in printed} <= canonical | aliases


# --- the project's loader, where it is available -----------------------------------------------


@pytest.mark.parametrize("framework_id", FRAMEWORK_IDS)
def test_loader_agrees(framework_id: str) -> None:
    loader = pytest.importorskip("peelkit.frameworks.loader")
    loaded = loader.load_framework(framework_id)
    assert [a.id for a in loaded.walk()] == [n.id for n in walk(framework_id)]
    for row in grade_rows():
        if CSV_YEARS.get(row["year"]) != framework_id:
            continue
        name = row["question"].strip() or row["pillar"]
        assert loaded.resolve_area(name).id == resolve(framework_id, name).id, name
