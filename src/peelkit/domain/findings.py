"""The kinds of things an inspection record holds, as the reports name them."""

from __future__ import annotations

from enum import StrEnum


class FindingKind(StrEnum):
    STRENGTH = "strength"
    AREA_FOR_IMPROVEMENT = "area_for_improvement"
    CAUSE_OF_CONCERN = "cause_of_concern"
    RECOMMENDATION = "recommendation"
    GOOD_PRACTICE = "good_practice"
    FINDING = "finding"  # an ungraded key finding, as in the 2014 core business letters


class InspectionStatus(StrEnum):
    DRAFT = "draft"
    MODERATED = "moderated"
    PUBLISHED = "published"


class Comparator(StrEnum):
    """What a printed data figure is compared with."""

    ENGLAND_AND_WALES = "england_and_wales"
    MOST_SIMILAR_GROUP = "most_similar_group"
    LOCAL_POPULATION = "local_population"
    EARLIER_DATE = "earlier_date"
    NATIONAL = "national"
    NONE = "none"
