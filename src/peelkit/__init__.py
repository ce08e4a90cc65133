"""peelkit: police inspection frameworks, judgments and comparative performance data.

The front door is :class:`peelkit.workspace.Workspace`; the CLI (``peel``) is a thin layer on it.
"""

from peelkit.errors import PeelkitError
from peelkit.workspace import Workspace

__all__ = ["PeelkitError", "Workspace"]
__version__ = "0.1.0"
