"""Closed lists about judgments."""

from __future__ import annotations

# Where an imported grade was read: printed on its own (a grade box, a grade line, a summary
# table's cell) or stated in a sentence ("Cleveland Police is judged as requiring improvement
# at ..."). A box and a sentence that disagree: the box wins, with a warning. Judgments entered
# by hand or loaded from the grades CSV have none (null).
READ_FROM = ("box", "sentence")
