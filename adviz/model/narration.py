"""Lesson narration as text a person reads: ``$formula$`` spans in LaTeX-ish notation made
readable Unicode (``\\frac{dL}{dx}`` becomes ``dL/dx``), for the lesson view and the page. No Qt."""
from __future__ import annotations

import re

_LATEX = [
    (re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}"), r"\1/\2"),
    (re.compile(r"\\partial\s*"), "∂"), (re.compile(r"\\cdot\b"), "·"), (re.compile(r"\\times\b"), "×"),
    (re.compile(r"\\sigma\b"), "σ"), (re.compile(r"\\nabla\b"), "∇"), (re.compile(r"\\sum\b"), "Σ"),
    (re.compile(r"\\sqrt\{([^{}]*)\}"), r"√(\1)"), (re.compile(r"\\exp\b"), "exp"), (re.compile(r"\\log\b"), "log"),
    (re.compile(r"\\sin\b"), "sin"), (re.compile(r"\\cos\b"), "cos"), (re.compile(r"\\tanh\b"), "tanh"),
    (re.compile(r"\\ln\b"), "ln"), (re.compile(r"\\approx\b"), "≈"), (re.compile(r"\\to\b"), "→"),
    (re.compile(r"\\leftarrow\b"), "←"), (re.compile(r"\\rightarrow\b"), "→"), (re.compile(r"\\quad\b"), "  "),
    (re.compile(r"\\mathrm\{([^{}]*)\}"), r"\1"), (re.compile(r"\\text\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\\left|\\right"), ""), (re.compile(r"\\,|\\;|\\!"), " "),
    (re.compile(r"\\(?:var)?epsilon\b"), "ε"), (re.compile(r"\\mathbb\{R\}"), "ℝ"),
    (re.compile(r"\\dot\{([A-Za-z])\}"), "\\1\u0307"), (re.compile(r"\\infty\b"), "∞"),
]
_SUPER = str.maketrans("0123456789+-nm", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿᵐ")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def readable_math(tex: str) -> str:
    """LaTeX-ish formula text as readable Unicode: ``\\frac{dL}{dx}`` becomes ``dL/dx``."""
    # Fractions written side by side multiply: show the product sign between them.
    text = re.sub(r"\}\s*(?=\\frac)", lambda m: "} \\cdot ", tex)
    for _ in range(3):    # nested \frac
        for pattern, repl in _LATEX:
            text = pattern.sub(repl, text)
    text = re.sub(r"\^\{([0-9+\-nm]+)\}|\^([0-9nm])", lambda m: (m.group(1) or m.group(2)).translate(_SUPER), text)
    text = re.sub(r"_\{([0-9]+)\}|_([0-9])", lambda m: (m.group(1) or m.group(2)).translate(_SUB), text)
    return text.replace("{", "").replace("}", "")


def narration_markdown(text: str) -> str:
    """Markdown with ``$formula$`` spans made readable, for Qt's markdown renderer."""
    text = re.sub(r"\$\$(.+?)\$\$", lambda m: f"\n\n*{readable_math(m.group(1))}*\n\n", text, flags=re.S)
    return re.sub(r"\$(.+?)\$", lambda m: f"*{readable_math(m.group(1))}*", text)


