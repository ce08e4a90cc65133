"""Official statistics: one reader per publication, each emitting tidy observations.

A reader checks the file against the layout declared for its publication (in ``layouts/``),
reports schema drift with file, sheet, row and column, and turns the cells into
:class:`~peelkit.sources.model.Observation` rows that each keep the cell they came from.
"""
