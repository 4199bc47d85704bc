"""What Keras and Modules keep per session: unique layer names, the name scopes variables are made in,
the random generator of unseeded initializers, and the guard that checks sizes first.

A script run opens a :func:`session` of its own, so names start again at ``dense`` and
unseeded weights are the same on every run; Python code shares one default session, as
Keras's names are unique per process.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Iterator, Protocol

import numpy as np


class Guard(Protocol):
    """What a run checks before Keras allocates or computes (the script's Budget answers it)."""

    def check_shape(self, shape: Any, what: str = ...) -> Any: ...
    def check_matmul(self, a: Any, b: Any) -> None: ...
    def tick(self, n: int = ...) -> None: ...
    def add_work(self, n: int) -> None: ...


class Session:
    """Name counters, the open name scopes, the generator and the guard of one session."""

    def __init__(self, guard: Guard | None = None, seed: int = 0) -> None:
        self.counts: dict[str, int] = {}
        self.paths: list[tuple[str, object]] = []   # (name, owner) of each open name scope
        self.rng = np.random.default_rng(seed)
        self.guard = guard
        self.serial = 0

    def unique(self, base: str) -> str:
        """``dense``, then ``dense_1``, ``dense_2``...: Keras's automatic names."""
        n = self.counts.get(base, 0)
        self.counts[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial


_CURRENT = [Session()]


def current() -> Session:
    return _CURRENT[-1]


@contextmanager
def session(guard: Guard | None = None, seed: int = 0) -> Iterator[Session]:
    """A fresh Keras session for the block (a script run opens one)."""
    fresh = Session(guard, seed)
    _CURRENT.append(fresh)
    try:
        yield fresh
    finally:
        _CURRENT.remove(fresh)


@contextmanager
def name_scope(name: str, owner: object = None) -> Iterator[None]:
    """Variables made inside the block have paths under ``name`` (``sequential/dense/kernel``);
    a layer already in its own scope (building inside its call) does not enter it twice."""
    paths = current().paths
    if owner is not None and paths and paths[-1][1] is owner:
        yield
        return
    paths.append((name, owner))
    try:
        yield
    finally:
        paths.pop()


def path_of(name: str) -> str:
    return "/".join([*(p for p, _ in current().paths), name])


def check_shape(shape: tuple[int, ...]) -> None:
    guard = current().guard
    if guard is not None:
        guard.check_shape(shape)
        guard.add_work(int(np.prod(shape, dtype=np.int64)) if shape else 1)


def check_matmul(a: Any, b: Any) -> None:
    guard = current().guard
    if guard is not None:
        guard.check_matmul(a, b)


def count(n: int) -> None:
    """``n`` items were walked (a module's attributes): each counts as an operation of the run,
    as each pass of a loop over them would."""
    guard = current().guard
    if guard is not None:
        guard.tick(n)


def tick() -> None:
    guard = current().guard
    if guard is not None:
        guard.tick()


def to_snake_case(name: str) -> str:
    """Keras's name for a class: ``MyDense`` → ``my_dense``."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
