"""Folding and matching names as reports spell them."""

from __future__ import annotations

from peelkit.names import closest, fold


def test_fold() -> None:
    assert fold("Avon & Somerset Constabulary") == "avon and somerset constabulary"
    assert fold("Dyfed-Powys") == fold("dyfed powys") == "dyfed powys"
    assert fold("  Fair treatment   of the public ") == "fair treatment of the public"
    assert fold("Crimes Against Vulnerable Victims") == fold("crimes against vulnerable victims")
    assert fold("London, City of") == "london city of"


def test_closest_prefers_the_distinctive_word() -> None:
    names = ["Kent Police", "Suffolk Constabulary", "Norfolk Constabulary", "Essex Police"]
    assert closest("Kent Constabulry", names)[0] == "Kent Police"
    assert closest("Sufolk", names)[0] == "Suffolk Constabulary"
    assert closest("Zzzzz", names) == []
