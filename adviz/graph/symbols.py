"""What each symbol in the picture means, as data: a legend or a hover text shows these.

:data:`SYMBOLS` maps a symbol as it appears on screen to a sentence about it. Every op's node
symbol is there, and so is every mark the formulas, edge products and chain-rule lines use;
:func:`symbols_in` picks out those a text uses, :func:`graph_symbols` those a whole graph uses.
"""
from __future__ import annotations

import re
from typing import Iterable

from .model import Graph
from .texts import fan_out_sum, product_text

SYMBOLS: dict[str, str] = {
    "⊘": "stop_gradient: the value passes through unchanged, but no gradient flows back along it",
    # Derivatives and the chain rule.
    "∂": "partial derivative: ∂f/∂x is how fast f changes as x changes, everything else held fixed; "
         "in a badge under a node, the node's adjoint (∂target/∂node) so far",
    "∇": "in a badge over a source, the gradient that tape.gradient() returned for it; on an operation, "
         "a step recorded while an inner gradient() was being computed",
    "=": "equals; as a node, the identity (the output is the input unchanged)",
    "+=": "adds this contribution to what the input had already (an input used more than once)",
    "·": "multiplied by (in formulas and chain-rule lines)",
    "×": "multiplied by: on an edge, upstream adjoint × local partial = contribution; "
         "as a node, a multiplication; inside a shape, between the sizes of the axes",
    "→": "on an edge, the adjoint passing through an operation that has no single local partial to "
         "multiply by (sum, mean, matrix product, reshape...): upstream → contribution; in "
         "'Σ over axis 0: 4×4 → 4', the shape before and after the sum",
    "(·)": "stands for the upstream adjoint (the gradient arriving from the output): ∂(a @ b)/∂a = (·) @ bᵀ "
           "means the contribution to a is the upstream adjoint times b transposed",
    "Σ": "sum; 'Σ over axis 0: 4×4 → 4' says a contribution was summed over axis 0 to fit its input, "
         "which was broadcast (stretched to a larger shape) in the forward pass",
    "x₁": "a subscript number after a name: x₁ and x₂ are the same value x read twice by one operation, "
          "as its first and second input (each edge carries one); in a name such as add₁, it numbers a "
          "long formula shown by a short name",
    "x²": "a superscript number is a power: x² = x·x, x⁻¹ = 1/x",
    "²": "as a node, squaring: x² = x·x",
    # Arithmetic.
    "+": "plus; as a node, an addition",
    "−": "minus, or a negative number",
    "/": "divided by (in formulas)",
    "÷": "as a node, a division",
    "^": "power: x^n is x to the power n (written this way when n is not a short whole number)",
    "√": "square root",
    "ln": "natural logarithm",
    "exp": "the exponential function, e to the power",
    "sin": "sine (of an angle in radians)", "cos": "cosine (of an angle in radians)",
    "tan": "tangent (of an angle in radians)", "tanh": "hyperbolic tangent",
    "σ": "the sigmoid function, σ(z) = 1/(1 + exp(−z))",
    "relu": "rectified linear unit: relu(x) = x where x > 0, else 0",
    "| |": "absolute value: |x|",
    "sign": "the sign of a number: 1, 0 or −1",
    "max": "the larger (or largest) of the values",
    "min": "the smaller of the values",
    "[x > 0]": "a condition in square brackets is 1 where it holds and 0 elsewhere",
    "ln(1+·)": "log1p: ln(1 + x), exact for small x", "exp−1": "expm1: exp(x) − 1, exact for small x",
    "1/√": "rsqrt: one over the square root", "1/·": "reciprocal: 1/x",
    "⌊ ⌋": "floor: the largest whole number not above x; TensorFlow defines no gradient for it",
    "round": "rounding to the nearest whole number (halves to even); TensorFlow defines no gradient for it",
    "atan": "arc tangent: the angle whose tangent is x", "asin": "arc sine: the angle whose sine is x",
    "acos": "arc cosine: the angle whose cosine is x",
    "sinh": "hyperbolic sine", "cosh": "hyperbolic cosine",
    "softplus": "softplus: ln(1 + exp(x)), a smooth relu; its derivative is σ(x)",
    "elu": "exponential linear unit: x where x > 0, else exp(x) − 1",
    "relu6": "relu capped at 6: min(max(x, 0), 6)",
    "leaky": "leaky relu: x where x > 0, else α·x (α = 0.2 unless given)",
    "α": "the slope of leaky relu below zero",
    "(−)²": "squared difference: (x − y)²",
    "÷₀": "division that gives 0 where the divisor is 0 (divide_no_nan)",
    "Π": "product of all the values; its partial for one value is the product of the others",
    "softmax": "softmax: exp(x) divided by the sum of exp over the axis, so the values sum to 1",
    "log softmax": "the logarithm of softmax, x − log Σ exp(x), computed without overflow",
    "concat": "two tensors joined along an axis; each gets back its own part of the adjoint",
    "tile": "a tensor repeated along its axes; its adjoint is the sum over the copies",
    "gather": "the rows picked by indices; a row picked twice gets both adjoints added",
    "where": "where(c, x, y): x where the condition c holds, y elsewhere; each gets the adjoint where it was chosen",
    "argmax": "where a tensor is largest along an axis: whole numbers, with no gradient",
    "argmin": "where a tensor is smallest along an axis: whole numbers, with no gradient",
    "einsum": "Einstein summation: products summed over the indices the output does not keep",
    # Arrays.
    "@": "matrix product",
    "ᵀ": "transpose: rows become columns",
    "mean": "the average; its partial is 1/n, n the number of values averaged",
    "reshape": "the same values in another shape",
    "[ ]": "indexing: the elements at the given positions; its partial is 1 at those positions, 0 elsewhere",
    "cast": "conversion to another number type",
    "broadcast": "a value stretched to a larger shape; its adjoint is summed back",
    "scatter": "a gradient placed at the indexed positions of an array of zeros",
    "[1, 2]": "the elements of an array in order (a long one is cut short with …)",
    "(2×3)": "after a value: its shape, here 2 rows × 3 columns",
    "…": "more elements than shown (the details panel shows all)",
    # Numbers.
    "1e6": "a number in powers of ten: 1.5e6 = 1.5 × 10⁶, 2e−7 = 2 × 10⁻⁷",
    "inf": "infinity: a result too large for the number type, or a division by zero (hover the value)",
    "nan": "not a number: a result with no value, such as 0/0 (hover the value)",
    "None": "no gradient: the tape never connected this source to the target",
}

# Symbols found by a pattern rather than by their own text.
_PATTERNS: dict[str, re.Pattern[str]] = {
    "x₁": re.compile(r"[₀₁₂₃₄₅₆₇₈₉]"),
    "x²": re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]"),
    "| |": re.compile(r"\|[^|]+\|"),
    "[x > 0]": re.compile(r"\[[^\]]*[<>≤≥=][^\]]*\]"),
    "[ ]": re.compile(r"\w\[[^\]]*\]"),
    "(2×3)": re.compile(r"\(\d+(×\d+)*\)"),
    "[1, 2]": re.compile(r"(?<!\w)\[[^\[\]]*\]"),
    "1e6": re.compile(r"\de−?\d"),
    "−": re.compile(r"−"),
    "=": re.compile(r"(?<![+])="),
}


def _pattern(symbol: str) -> re.Pattern[str]:
    if symbol in _PATTERNS:
        return _PATTERNS[symbol]
    if symbol.isascii() and symbol.isalpha():   # a word: not inside another word (sin in "using")
        return re.compile(rf"(?<![A-Za-z]){re.escape(symbol)}(?![A-Za-z])")
    return re.compile(re.escape(symbol))


_COMPILED = {symbol: _pattern(symbol) for symbol in SYMBOLS}


def symbols_in(text: str) -> dict[str, str]:
    """The symbols of :data:`SYMBOLS` that ``text`` uses, with their explanations."""
    return {s: SYMBOLS[s] for s, pattern in _COMPILED.items() if pattern.search(text)}


def graph_texts(graph: Graph) -> Iterable[str]:
    """Every text the picture of ``graph`` can show: labels, values, formulas, step lines and
    the edge products and fan-out sums of each step."""
    for n in graph.nodes.values():
        yield from (n.label, n.symbol, n.formula, n.value_text, n.adjoint_text, n.gradient_text, n.reason)
    for e in graph.edges.values():
        yield from (e.partial_formula, e.partial_text, e.contribution_text)
    for step in list(graph.backward) + list(graph.forward):
        yield step.words
        yield from step.chain
        if step.kind == "backward":
            for eid in step.edges:
                yield product_text(graph, step, eid)
            for nid in step.accumulated:
                yield fan_out_sum(graph, step, nid)


def graph_symbols(graph: Graph) -> dict[str, str]:
    """The symbols the picture of ``graph`` uses, with their explanations: a legend of exactly
    what is on screen."""
    found: dict[str, str] = {}
    for text in graph_texts(graph):
        if text:
            found.update(symbols_in(text))
    return {s: SYMBOLS[s] for s in SYMBOLS if s in found}
