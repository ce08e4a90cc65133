"""peelkit: police inspection frameworks, judgments and comparative performance data.

The front door is :class:`peelkit.workspace.Workspace`; the CLI (``peel``) is a thin layer on it.
``Workspace`` is imported on first use, so ``peel --help`` does not load the database layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from peelkit.errors import PeelkitError

if TYPE_CHECKING:
    from peelkit.workspace import Workspace

__all__ = ["PeelkitError", "Workspace"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "Workspace":
        from peelkit.workspace import Workspace

        return Workspace
    raise AttributeError(f"module 'peelkit' has no attribute {name!r}")
