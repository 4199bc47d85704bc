"""The document and its outcome, between the graph layer and the app (no Qt).

A :class:`Document` is what a person wrote and chose; :func:`compute` runs it through the safe
language and the graph layer to an :class:`Outcome` (trace, graph, layout, error); session files
store a document with the way it was being looked at.
"""
from .document import (DEFAULT_VALUE, EXAMPLE, KIND_TITLES, KINDS, THEME_SETTINGS, THEME_TITLES, THEMES, Document,
                       VariableSpec, is_script, sync_variables)
from .pipeline import SPACING, Notice, Outcome, compute, lay_out, layout_effort, run

__all__ = ["DEFAULT_VALUE", "EXAMPLE", "KIND_TITLES", "KINDS", "THEMES", "THEME_SETTINGS", "THEME_TITLES",
           "Document", "Notice", "Outcome", "SPACING", "VariableSpec", "compute", "is_script", "lay_out", "layout_effort", "run", "sync_variables"]
