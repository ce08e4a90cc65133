"""Reading the YAML data files peelkit ships (frameworks, forces, measures, the catalogue...).

With libyaml present (PyYAML's wheels bundle it) files are parsed by its C parser, about ten
times faster than the pure-Python one; the result is the same safe subset either way
(``yaml.safe_load``'s types: no Python objects).
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """The data of one YAML document; raises ``yaml.YAMLError`` (with a ``problem_mark``
    giving the line) when the text is not valid YAML."""
    return yaml.load(text, Loader=_LOADER)
