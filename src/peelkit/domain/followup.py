"""The words of follow-up: relations between findings, where a link came from, statuses.

Plain data, no I/O. The lists are closed: anything else is refused with a clear error.
"""

from __future__ import annotations

from typing import Final

# Finding kinds that are followed up (a strength is not).
FOLLOWED_KINDS: Final = ("cause_of_concern", "recommendation", "area_for_improvement")

# How much a finding weighs: a later finding of a heavier kind *escalates* an earlier one.
KIND_WEIGHT: Final = {"area_for_improvement": 1, "recommendation": 2, "cause_of_concern": 3}

# A later finding's relation to an earlier one of the same force.
RELATIONS: Final = ("repeated", "reworded", "escalated", "superseded", "related")
# Where a link came from: found by comparing texts, entered by a person, stated by a document.
LINK_SOURCES: Final = ("detected", "entered", "stated")
LINK_STATUSES: Final = ("candidate", "confirmed", "rejected")

# A finding's status events. "reported_complete" is a claim (the force or PCC says so);
# "closed" and "closed_not_implemented" are HMICFRS's verdicts.
STATUSES: Final = (
    "open",
    "in_progress",
    "reported_complete",
    "closed",
    "closed_not_implemented",
    "superseded",
)
CLAIMED_STATUSES: Final = ("reported_complete",)
VERIFIED_STATUSES: Final = ("closed", "closed_not_implemented", "superseded")
# What a status event rests on.
EVENT_SOURCES: Final = ("inspection", "letter", "pcc_response", "register", "person")

# Monitoring stages of HMICFRS's police monitoring process (default and enhanced).
MONITORING_STAGES: Final = ("scan", "engage")

# Days a police and crime commissioner has to publish comments on a report (Police Act 1996,
# section 55).
PCC_RESPONSE_DAYS: Final = 56
