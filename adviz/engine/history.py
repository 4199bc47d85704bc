"""A run's history of what the tapes do not see: every op, outside tapes or in, as ids only.

A tape keeps the ops run inside its ``with`` block. To say why a gradient is None, the graph
layer also needs the ops that ran elsewhere (before the block, after it, on another tape) and
the ways a value can leave the engine's sight that are no ops at all (``.numpy()``, ``assign``,
a comparison). A :class:`Witness` sits on the tape stack and records every op as
``output id -> (op name, input ids, line, Variable input ids)``: no value stays alive, so a long run costs a few
ints per op, up to a cap. The language adds :class:`Link` entries for the rest.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .recording import TapeState
from .tensor import Variable

# How a value can depend on another without an op (Link.kind).
NUMPY = "numpy"        # made from a numpy value or Python number computed from a tensor
ASSIGN = "assign"      # a Variable given a value by assign, assign_add or assign_sub
COMPARE = "compare"    # the result of comparing tensors (not differentiable, never recorded)


@dataclass(frozen=True)
class Link:
    """``how`` (source text) on ``line`` made a value from ``sources`` (engine ids) without an op.

    ``order`` is the engine id counter at that moment, so a gradient call can tell what
    happened before it.
    """

    kind: str
    sources: tuple[int, ...]
    how: str
    line: int
    order: int


class Witness(TapeState):
    """A tape-stack member that records nothing for differentiation and remembers every op.

    ``ops`` maps an output id to ``(op name, input ids, line, ids of the inputs that are
    Variables)``; ``line`` is set by whoever runs
    the code. After ``cap`` entries it stops remembering and says so in ``complete``.
    """

    _witness = True

    def __init__(self, cap: int = 20_000) -> None:
        super().__init__(watch_accessed_variables=False)
        self.cap = cap
        self.line = 0
        self.complete = True
        self.ops: dict[int, tuple[str, tuple[int, ...], int, tuple[int, ...]]] = {}
        self.links: dict[int, list[Link]] = {}

    def see(self, op: Any, inputs: tuple[Any, ...], output: Any) -> None:
        """Remember that ``op`` made ``output`` from ``inputs`` (called by the recording module)."""
        if len(self.ops) >= self.cap:
            self.complete = False
            return
        variables = tuple(n._id for n in inputs if type(n) is Variable)
        self.ops[output._id] = (op.name, tuple(n._id for n in inputs), self.line, variables)

    def link(self, target: int, link: Link) -> None:
        """Remember that ``target`` (an engine id) was made from ``link.sources`` without an op."""
        if len(self.links) >= self.cap:
            self.complete = False
            return
        self.links.setdefault(target, []).append(link)
