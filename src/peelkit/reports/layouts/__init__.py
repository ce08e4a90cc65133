"""Layouts: a view arranged as a document (sections of paragraphs, tables and figures).

The force report's layout is chosen by its framework's data (``report_layout``): integrated
(PEEL 2017 on), effectiveness (PEEL 2015 and 2016) or baseline (2005)."""

from __future__ import annotations

from peelkit.reports.layouts.force import lay_out_force_report
from peelkit.reports.layouts.national import lay_out_national
from peelkit.reports.model import Document
from peelkit.views.force_report import ForceReportView
from peelkit.views.national import NationalView

Report = ForceReportView | NationalView


def lay_out(view: Report) -> Document:
    if isinstance(view, NationalView):
        return lay_out_national(view)
    return lay_out_force_report(view)


__all__ = ["Report", "lay_out"]
