"""Importing published inspection reports (text, PDF, web pages) into the inspection record.

A reader turns a document's text into a :class:`~peelkit.reportimport.model.ParsedDocument`
(judgments, findings, figures, performance tables, warnings, what it could not find), each item
with the line span it came from. :mod:`peelkit.reportimport.store` writes a parsed document into
the record in one transaction.
"""
