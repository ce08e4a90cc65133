"""The inspection record: inspections, judgments, findings, evidence and printed figures."""
