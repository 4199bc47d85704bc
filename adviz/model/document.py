"""The document: what a person wrote and the inputs they gave it. No Qt.

A :class:`Document` is plain data. The pipeline (:mod:`adviz.model.pipeline`) turns one into an
:class:`~adviz.model.pipeline.Outcome`; session files (:mod:`adviz.model.session`) store one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..lang import Declaration

KINDS = ("variable", "variable_untrainable", "watched", "constant")
KIND_TITLES = {"variable": "Variable", "variable_untrainable": "Variable (not trainable)",
               "watched": "watched constant", "constant": "constant"}
DEFAULT_VALUE = "1.0"
EXAMPLE = "u = x*y\nf = sin(u) + x**2"
EXAMPLE_VALUES = {"x": "2.0", "y": "3.0"}
# The colour themes a picture is drawn in, and their titles in menus.
THEMES = ("light", "dark", "projector", "print")
THEME_TITLES = {"light": "Light", "dark": "Dark", "projector": "Projector", "print": "Print"}
# What the app's theme setting may hold: a theme, or "system" (light or dark as the desktop is).
THEME_SETTINGS = ("system",) + THEMES

_SCRIPT = re.compile(r"^\s*(import|from|with|print|for|if|del)\b|GradientTape", re.MULTILINE)


@dataclass
class VariableSpec:
    """One declared input: its name, value text, kind, and whether to differentiate by it."""

    name: str
    value: str = DEFAULT_VALUE
    kind: str = "variable"
    source: bool = True


@dataclass
class Document:
    """Everything the picture depends on."""

    text: str = EXAMPLE
    variables: list[VariableSpec] = field(default_factory=list)
    persistent: bool = False
    watch_accessed_variables: bool = True
    target: str | None = None
    call: int = 0

    def copy(self) -> "Document":
        return replace(self, variables=[replace(v) for v in self.variables])


def content_key(doc: Document) -> tuple:
    """What an edit changes and undo restores: everything but the chosen gradient call."""
    return (doc.text, tuple((v.name, v.value, v.kind, v.source) for v in doc.variables), doc.persistent,
            doc.watch_accessed_variables, doc.target)


def is_script(text: str) -> bool:
    """Whether ``text`` is a tape script rather than function lines."""
    return bool(_SCRIPT.search(text))


def sync_variables(text: str, variables: list[VariableSpec],
                   remembered: dict[str, VariableSpec] | None = None) -> list[VariableSpec]:
    """The variable list for ``text``: names it uses, in order, keeping known settings.

    A name that disappears is remembered in ``remembered`` so that it comes back as it was.
    """
    from ..lang import LangError, parse_functions
    remembered = remembered if remembered is not None else {}
    for v in variables:
        remembered[v.name] = v
    if is_script(text):
        return list(variables)
    try:
        names = parse_functions(text).free_names
    except LangError:
        return list(variables)
    out = []
    for name in names:
        spec = remembered.get(name) or VariableSpec(name, EXAMPLE_VALUES.get(name, DEFAULT_VALUE))
        out.append(spec)
    return out


def declarations(variables: list[VariableSpec]) -> list[Declaration]:
    """The language's declarations of ``variables`` (their names, value texts and kinds)."""
    from ..lang import Declaration
    return [Declaration(name=v.name, value=v.value, kind=v.kind) for v in variables]


