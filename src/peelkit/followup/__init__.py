"""Follow-up: what became of every cause of concern, recommendation and area for improvement.

Lineage between findings across inspections (``lineage``), the status history of each one
(``status``), due dates from printed deadlines (``deadlines``), PCC responses (``responses``),
monitoring stages (``monitoring``), the documents of follow-up (``documents``: HMICFRS letters and
notices, the older recommendations register, PCC section 55 responses) and the register that
puts them together (``register``).
"""
