"""The cases the op table's rows are checked on: shapes, a domain for each input, attributes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np


# Domains: each draws an array of a shape from a seeded generator.
def anywhere(rng, shape):
    return rng.uniform(-2.0, 2.0, shape)


def positive(rng, shape):
    return rng.uniform(0.5, 2.0, shape)


def away_from_zero(rng, shape):
    # Off the kink of relu/abs and the pole of 1/x.
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.3, 2.0, shape)


def small(rng, shape):
    # tan is smooth on (−π/2, π/2).
    return rng.uniform(-1.0, 1.0, shape)


@dataclass(frozen=True)
class Case:
    shapes: tuple[tuple[int, ...], ...]
    domains: tuple[Callable[..., np.ndarray], ...] = ()
    attrs: dict[str, Any] = field(default_factory=dict)
    # Inputs are redrawn until this holds (e.g. max/min arguments apart, so no kink is crossed).
    valid: Callable[..., bool] = lambda *xs: True

    def draw(self, rng: np.random.Generator) -> list[np.ndarray]:
        domains = self.domains or (anywhere,) * len(self.shapes)
        for _ in range(100):
            xs = [np.asarray(d(rng, s), dtype=np.float64) for d, s in zip(domains, self.shapes)]
            if self.valid(*xs):
                return xs
        raise AssertionError("could not draw valid inputs")

    def label(self) -> str:
        shapes = "_".join("x".join(map(str, s)) or "scalar" for s in self.shapes)
        attrs = ",".join(f"{k}={v}" for k, v in self.attrs.items())
        return f"{shapes}{'-' + attrs if attrs else ''}"


BROADCAST = [((3, 1), (4,)), ((), (3,)), ((3,), ()), ((2, 3), (2, 3))]


def binary(domains=(anywhere, anywhere), **kw) -> list[Case]:
    return [Case(shapes, domains, **kw) for shapes in BROADCAST]


def apart(a, b):
    return np.min(np.abs(np.subtract(a, b))) > 0.05


REDUCE_ATTRS = [{}, {"axis": 0}, {"axis": 1, "keepdims": True}, {"axis": (0, 2)}, {"axis": -1},
                {"axis": None, "keepdims": True}, {"axis": [0, 1]}]
