"""Data of the report import: page furniture and the patterns of grade sentences."""
