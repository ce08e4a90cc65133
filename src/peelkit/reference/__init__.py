"""Reference data shipped with peelkit: forces, their aliases and most similar groups."""

from peelkit.reference.forces import all_forces, get_force, resolve_force, territorial_forces
from peelkit.reference.groups import shipped_groups

__all__ = ["all_forces", "get_force", "resolve_force", "shipped_groups", "territorial_forces"]
