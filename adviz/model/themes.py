"""The colour themes as plain data (no Qt): light, dark, and two for projectors and print.

The canvas, every export and the shareable page paint from these fields.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Theme:
    """Every colour the canvas uses, by role."""

    name: str
    dark: bool
    background: str
    grid: str
    text: str
    muted: str
    edge: str
    edge_dim: str
    active: str            # the step being played
    flow: str              # the adjoint flowing back along an edge
    forward: str           # a value being computed
    label_bg: str          # #AARRGGBB, as QColor reads eight hex digits
    badge_none: str
    badge_zero: str
    badge_grad: str
    good: str
    bad: str
    fills: dict[str, str] = field(default_factory=dict)
    borders: dict[str, str] = field(default_factory=dict)
    line_scale: float = 1.0
    font_scale: float = 1.0


LIGHT = Theme(
    "light", False, background="#fbfbfd", grid="#e6e8ef", text="#1f2330", muted="#6b7280",
    edge="#5b6273", edge_dim="#b4b9c5", active="#ea580c", flow="#ea580c", forward="#0284c7",
    label_bg="#f2ffffff", badge_none="#dc2626", badge_zero="#6b7280", badge_grad="#15803d",
    good="#15803d", bad="#dc2626",
    fills={"variable": "#dbeafe", "variable_untrainable": "#e0e7ff", "watched": "#d1fae5",
           "constant": "#eceef2", "literal": "#f5f5f4", "op": "#fff7e6", "target": "#f3e8ff"},
    borders={"variable": "#2563eb", "variable_untrainable": "#6366f1", "watched": "#059669",
             "constant": "#6b7280", "literal": "#a8a29e", "op": "#d97706", "target": "#7c3aed"},
)

DARK = Theme(
    "dark", True, background="#16181d", grid="#23262e", text="#e8eaf0", muted="#9aa1b1",
    edge="#9aa3b5", edge_dim="#4a505c", active="#fb923c", flow="#fb923c", forward="#38bdf8",
    label_bg="#f21f2229", badge_none="#f87171", badge_zero="#9ca3af", badge_grad="#4ade80",
    good="#4ade80", bad="#f87171",
    fills={"variable": "#1e3a5f", "variable_untrainable": "#312e6b", "watched": "#134e3a",
           "constant": "#2a2d35", "literal": "#26282e", "op": "#3b2f1a", "target": "#3b2559"},
    borders={"variable": "#60a5fa", "variable_untrainable": "#a5b4fc", "watched": "#34d399",
             "constant": "#9ca3af", "literal": "#78716c", "op": "#fbbf24", "target": "#c084fc"},
)

PROJECTOR = Theme(
    "projector", True, background="#000000", grid="#1a1a1a", text="#ffffff", muted="#d4d4d4",
    edge="#e5e5e5", edge_dim="#737373", active="#ffb000", flow="#ffb000", forward="#00d0ff",
    label_bg="#f0000000", badge_none="#ff5c5c", badge_zero="#bdbdbd", badge_grad="#5cff8a",
    good="#5cff8a", bad="#ff5c5c",
    fills={"variable": "#003a8c", "variable_untrainable": "#3b2a8c", "watched": "#005c3a",
           "constant": "#262626", "literal": "#1a1a1a", "op": "#5c3d00", "target": "#5a1a8c"},
    borders={"variable": "#7cb8ff", "variable_untrainable": "#b8a8ff", "watched": "#5cffb0",
             "constant": "#d4d4d4", "literal": "#a3a3a3", "op": "#ffc940", "target": "#e0a0ff"},
    line_scale=2.0, font_scale=1.35,
)

PRINT = Theme(
    "print", False, background="#ffffff", grid="#ffffff", text="#000000", muted="#404040",
    edge="#202020", edge_dim="#9a9a9a", active="#c2410c", flow="#c2410c", forward="#0369a1",
    label_bg="#ffffffff", badge_none="#b91c1c", badge_zero="#404040", badge_grad="#166534",
    good="#166534", bad="#b91c1c",
    fills={"variable": "#dbeafe", "variable_untrainable": "#e0e7ff", "watched": "#dcfce7",
           "constant": "#f4f4f5", "literal": "#ffffff", "op": "#fff7ed", "target": "#f3e8ff"},
    borders={"variable": "#1d4ed8", "variable_untrainable": "#4338ca", "watched": "#047857",
             "constant": "#3f3f46", "literal": "#52525b", "op": "#b45309", "target": "#6d28d9"},
    line_scale=1.5, font_scale=1.2,
)

THEME_BY_NAME = {t.name: t for t in (LIGHT, DARK, PROJECTOR, PRINT)}


# The plot beside the graph: the curve, the tangent (slope = the gradient), the finite-difference
# secant, the current point, and the contour map's colours (low to high), by theme.
PLOT_COLOURS = {
    False: {"curve": "#1f2330", "tangent": "#ea580c", "secant": "#0284c7", "point": "#7c3aed",
            "axis": "#6b7280", "contour": ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"),
            "isoline": "#8a8f9c", "arrow": "#dc2626", "legend": "#e6fbfbfd"},
    True: {"curve": "#e8eaf0", "tangent": "#fb923c", "secant": "#38bdf8", "point": "#c084fc",
           "axis": "#9aa1b1", "contour": ("#0b1a2e", "#14375e", "#1f5f99", "#4f9bd9", "#cfe6ff"),
           "isoline": "#8a8f9c", "arrow": "#f87171", "legend": "#e616181d"},
}

# The magnitude overlay: |partial| on edges and |adjoint| on nodes, on a logarithmic scale whose
# colours go from faint to strong against the canvas: light to dark on a light one, dark to light on
# a dark one (viridis's stops, so the order reads without hue; each theme drops the end that would
# vanish into its background).
MAGNITUDE_SCALE = {
    False: ("#a0da39", "#4ac16d", "#1fa187", "#277f8e", "#365c8d", "#46327e"),
    True: ("#365c8d", "#277f8e", "#1fa187", "#4ac16d", "#a0da39", "#fde725"),
}
