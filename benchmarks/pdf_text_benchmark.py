"""Benchmark: pypdf against pypdfium2 on PDFs laid out like published ones (issue 12).

Run: .venv/bin/python benchmarks/pdf_text_benchmark.py [--save] [--json] [--skip-2005]

Makes the published-looking PDF of each reference report and saved page
(tests/reportimport/published_pdfs.py, WeasyPrint), then reads each with
- pypdf: ``page.extract_text()``, page by page;
- pypdfium2: PDFium's own text (``get_text_range``), page by page;
- peelkit: ``read_source`` (PDFium's glyphs through pdf_text: furniture, footnotes and
  contents removed, paragraphs joined, hyphenation mended),
and prints, for each, the share of the text's words recovered in order (difflib over the word
sequences: matched words / the text's words), difflib's ratio over the same, and seconds, beside
the baseline in benchmarks/pdf_text_baseline.json.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from baselines import add_common_options, report

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the PDF maker lives with the tests

from tests.reportimport.published_pdfs import make_published_pdf, style_for  # noqa: E402

from peelkit.reportimport.sources import read_source  # noqa: E402

SHARED = ROOT.parent / "shared"
BASELINE = Path(__file__).with_name("pdf_text_baseline.json")


def words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"\w+", unicodedata.normalize("NFKC", text))]


def with_pypdf(pdf: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def with_pypdfium2(pdf: Path) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def with_peelkit(pdf: Path) -> str:
    return "\n".join(read_source(pdf).lines)


READERS: dict[str, Callable[[Path], str]] = {
    "pypdf": with_pypdf,
    "pypdfium2": with_pypdfium2,
    "peelkit": with_peelkit,
}


def fidelity(expected: list[str], got: list[str]) -> tuple[float, float]:
    matcher = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / len(expected), matcher.ratio()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_options(parser)
    parser.add_argument("--skip-2005", action="store_true", help="leave out the 2005 report")
    args = parser.parse_args()
    sources = sorted((SHARED / "reference-reports").glob("*.txt"))
    sources += sorted((SHARED / "examples" / "hmicfrs-web-pages").glob("*.txt"))
    if args.skip_2005:
        sources = [s for s in sources if not s.name.startswith("004_")]
    if not sources:
        print("no reference reports found beside the repository")
        return 2
    figures: dict[str, float] = {}
    totals = {name: [0, 0.0, 0.0] for name in READERS}  # words matched, ratio sum, seconds
    all_words = 0
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        pdfs = []
        for source in sources:
            text = source.read_text(encoding="utf-8")
            pdf = make_published_pdf(text, style_for(source), Path(folder) / f"{source.stem}.pdf")
            pdfs.append((words(text), pdf))
        figures["render_seconds"] = round(time.perf_counter() - started, 2)
        for expected, pdf in pdfs:
            all_words += len(expected)
            for name, read in READERS.items():
                started = time.perf_counter()
                got = words(read(pdf))
                totals[name][2] += time.perf_counter() - started
                recovered, ratio = fidelity(expected, got)
                totals[name][0] += round(recovered * len(expected))
                totals[name][1] += ratio * len(expected)
    for name, (matched, ratio, seconds) in totals.items():
        figures[f"{name}_words_in_order"] = round(matched / all_words, 4)
        figures[f"{name}_ratio"] = round(ratio / all_words, 4)
        figures[f"{name}_seconds"] = round(seconds, 2)
    report(figures, BASELINE, args, f"{len(sources)} PDFs, {all_words:,} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
