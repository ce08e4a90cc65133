"""Inspection frameworks: one YAML data file per framework, validated on load."""

from peelkit.frameworks.loader import (
    framework_ids,
    grade_scales,
    load_all,
    load_framework,
    load_framework_file,
    reload,
)

__all__ = [
    "framework_ids",
    "grade_scales",
    "load_all",
    "load_framework",
    "load_framework_file",
    "reload",
]
