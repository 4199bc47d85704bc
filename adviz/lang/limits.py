"""Limits that keep every run small and prompt, and the budget that enforces them.

Sizes are checked *before* anything is allocated: a shape's element count, a repetition's
length, an integer power's bit count and a matrix product's work are all computed from the
operands first, so ``tf.ones((20000, 20000))`` or ``9**9**9**9`` fail at once.

The run's budget is the first line of defence: every element and character an operation makes
is counted against one total (backward steps too, through the tape's ``step_hook``), and the
clock is read as they are counted. Lists, tuples and dicts are nested at most ``max_nesting``
deep, so hashing, comparing or printing one never recurses far. The clock and the process's
memory are backstops behind the counts.
"""
from __future__ import annotations

import math
import os
import sys
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import numpy as np

from .errors import LangError


@dataclass(frozen=True)
class Limits:
    """Bounds on one parse and run. Every refusal names the limit it hit."""

    max_source_bytes: int = 200_000
    max_depth: int = 100            # brackets nested inside each other
    max_nesting: int = 100          # lists, tuples and dicts a run builds inside each other
    max_ast_depth: int = 200        # syntax-tree depth (keeps the interpreter's recursion shallow)
    max_loop_iterations: int = 100_000
    max_ops: int = 200_000          # calls, operators and subscripts evaluated, tensor rows iterated
    max_elements: int = 1_000_000   # elements of one tensor or array, items of one list
    max_int_bits: int = 4_096
    max_string: int = 1_000_000
    max_output: int = 1_000_000     # characters printed in one run
    max_matmul_work: int = 100_000_000  # m·k·n of one matrix product
    max_work: int = 20_000_000      # tensor elements and characters a run makes in all
    max_items_made: int = 5_000_000  # list items a run makes in all (each one a Python object or more)
    timeout: float = 5.0            # seconds of wall-clock time
    max_memory: int = 1_000_000_000  # bytes the process may grow by in one run (a backstop, like the clock)
    max_call_depth: int = 40         # calls of a script's own functions inside each other (recursion)
    max_pictured_calls: int = 500   # gradient calls whose backward pass is kept for a picture; later ones
                                    # are computed but keep nothing, so a long loop's memory stays flat


# ``adviz run --long`` draws nothing and runs in a worker process the system stops at its limits:
# honest long work (a 100,000-step training loop) fits, and nothing is kept for pictures.
RUN_LIMITS = Limits(max_loop_iterations=10_000_000, max_ops=200_000_000, max_work=2_000_000_000,
                    max_items_made=50_000_000, timeout=600.0, max_pictured_calls=0)


def _elements(shape: tuple[int, ...]) -> int:
    n = 1
    for d in shape:
        n *= max(int(d), 0)
    return n


class Budget:
    """What one run has used so far; every ``tick`` may raise a (not yet located) LangError."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.ops = 0
        self.iterations = 0
        self.work = 0          # tensor elements and characters made so far
        self.items_made = 0    # list items made so far
        self.deadline = time.monotonic() + limits.timeout
        self._memory_start = memory_in_use()
        self._calls = 0        # memory is read every few calls, every few ms and every few MB made
        self._sampled_at = time.monotonic()
        self._unsampled_work = 0
        # A container's measured size is kept by id (the entry holds the object, so the id is not
        # reused). Lists, dicts and sets change in place only through ``grow`` and ``shrunk``,
        # which keep their own entry right and forget every entry that might hold them: those
        # that hold it as a child (``_parents``, recorded when a container is walked or grown)
        # and those made without a walk (``_unlinked``: a nested result of ``a + b``).
        # The entries are bounded by the items they keep alive, oldest out first.
        self._sizes: OrderedDict[int, tuple[Any, int, int, int, int, bool]] = OrderedDict()
        self._parents: dict[int, set[int]] = {}   # id of a container -> ids of entries holding it
        self._unlinked: set[int] = set()          # nested entries whose children were not recorded
        self._kept = 0
        self._measured = 0     # items walked since the clock was last read
        # How a builtin or method calls a function the script passed it (a sort key, map's
        # function): ``caller(fn, args)``, set by the interpreter that runs the script.
        self.caller: Callable[[Any, tuple], Any] | None = None

    # -- time and counts -------------------------------------------------------------
    def tick(self, n: int = 1) -> None:
        self.ops += n
        if self.ops > self.limits.max_ops:
            raise LangError(f"too many operations (the limit is {self.limits.max_ops:,} per run)", kind="limit")
        self.check_clock()

    def loop_tick(self) -> None:
        self.iterations += 1
        if self.iterations > self.limits.max_loop_iterations:
            raise LangError(f"too many loop iterations (the limit is {self.limits.max_loop_iterations:,} per run)", kind="limit")
        self.check_clock()

    def check_clock(self) -> None:
        """The backstops: wall-clock time, and how much the process has grown (read every 64th
        call, every 10 ms and after every million elements made, whichever comes first)."""
        now = time.monotonic()
        if now > self.deadline:
            raise LangError(f"the run took longer than {self.limits.timeout:g} seconds", kind="limit")
        self._calls += 1
        if self._calls % 64 == 0 or now - self._sampled_at > 0.01 or self._unsampled_work > 1_000_000:
            self.check_memory(now)

    def check_memory(self, now: float | None = None) -> None:
        self._sampled_at = time.monotonic() if now is None else now
        self._unsampled_work = 0
        if self._memory_start is None:
            return
        grown = (memory_in_use() or 0) - self._memory_start
        if grown > self.limits.max_memory:
            raise LangError(f"the run uses too much memory (over {self.limits.max_memory / 1e9:g} GB)", kind="limit")

    # -- sizes -----------------------------------------------------------------------
    def add_work(self, n: int) -> None:
        """Count what an op or a constructor is about to make against the run's total.

        Each value is small on its own (the element limit); this bounds how many of them a run
        may make, so a loop cannot pile up gigabytes of lists, strings or tensors the tape keeps.
        """
        n = max(int(n), 0)
        self.work += n
        self._unsampled_work += n
        self.check_clock()
        if self.work > self.limits.max_work:
            raise LangError(f"the run computes too much: over {self.limits.max_work:,} tensor elements "
                            "and characters in all (every result counts: the tape keeps them)", kind="limit")

    def add_items(self, n: int) -> None:
        """Count list items about to be made against the run's total."""
        self.items_made += max(int(n), 0)
        self.check_clock()
        if self.items_made > self.limits.max_items_made:
            raise LangError(f"the run builds too much: over {self.limits.max_items_made:,} list items in all", kind="limit")

    def check_elements(self, n: int, what: str = "the result") -> None:
        if n > self.limits.max_elements:
            raise LangError(f"{what} would have {n:,} elements (the limit is {self.limits.max_elements:,})", kind="limit")

    def check_shape(self, shape: Any, what: str = "the result") -> tuple[int, ...] | None:
        """Refuse a shape argument (int, sequence, range, tensor) whose element count, or any one
        of whose dimensions, is over the limit; count the tensor about to be made with it.
        A shape that cannot be read as whole numbers is refused (None passes: no shape given)."""
        if shape is None:
            return None
        dims = shape_of_argument(shape)
        if dims is None:
            raise LangError(f"a shape is a whole number or a list of whole numbers, not {describe(shape)}", kind="type")
        self.check_dims(dims, what)
        self.add_work(_elements(dims))
        return dims

    def check_dims(self, dims: tuple[int, ...], what: str = "the result") -> None:
        """A shape's element count within the limit, and each dimension too (an empty tensor
        with a huge dimension would become huge when reduced along the empty one)."""
        if len(dims) > 64:
            raise LangError(f"a shape has at most 64 dimensions, not {len(dims)}", kind="limit")
        for d in dims:
            if d > self.limits.max_elements:
                raise LangError(f"{what} would have a dimension of {d:,} (the limit is {self.limits.max_elements:,})", kind="limit")
        self.check_elements(_elements(dims), what)

    def check_string(self, n: int, made: int | None = None) -> None:
        """Refuse a text over the limit; count the ``made`` characters it adds (all, by default)."""
        if n > self.limits.max_string:
            raise LangError(f"the text would have {n:,} characters (the limit is {self.limits.max_string:,})", kind="limit")
        self.add_work(n if made is None else made)

    def check_int(self, value: int) -> int:
        if value.bit_length() > self.limits.max_int_bits:
            raise LangError(f"integer too large (more than {self.limits.max_int_bits:,} bits)", kind="limit")
        return value

    def check_int_pow(self, base: int, exponent: int) -> None:
        """Refuse ``base ** exponent`` on Python ints when the result would be over the bit limit."""
        if exponent < 0 or abs(base) < 2:
            return
        if exponent > self.limits.max_int_bits:
            raise LangError(f"integer power too large (the exponent {exponent} is over "
                            f"{self.limits.max_int_bits:,}); use a float such as {base}.0", kind="limit")
        bits = exponent * math.log2(abs(base))
        if bits > self.limits.max_int_bits:
            raise LangError(f"integer power too large ({base} ** {exponent} has about {bits:,.0f} bits; "
                            f"the limit is {self.limits.max_int_bits:,}); use a float such as {base}.0", kind="limit")

    def check_broadcast(self, a: Any, b: Any) -> None:
        """Refuse an elementwise operation whose broadcast result would be over the element limit."""
        sa, sb = array_shape(a), array_shape(b)
        if sa is None or sb is None:
            return
        try:
            shape = np.broadcast_shapes(sa, sb)
        except ValueError:
            return  # the operation itself reports the mismatch, naming both shapes
        self.check_dims(tuple(shape))
        self.add_work(_elements(shape))

    def check_broadcast_all(self, values: Any) -> None:
        """Refuse operations among several values (``sum``, ``min``) whose broadcast is over the limit."""
        shape: tuple[int, ...] = ()
        for v in values:
            sv = array_shape(v)
            if sv is None or sv == shape:
                continue
            try:
                shape = tuple(np.broadcast_shapes(shape, sv))
            except ValueError:
                return  # the operation itself reports the mismatch
            self.check_dims(shape)

    def backward_step(self, record: Any, keep_steps: bool) -> None:
        """A step of a backward pass is about to run (the engine's ``step_hook``): count the
        arrays it makes (the upstream times each partial, and, when the steps are kept for the
        picture, the partials and adjoints too) and read the clock."""
        made = record.output._value.size
        for value in record.values:
            made += value._value.size * (3 if keep_steps else 2)
        self.add_work(made)

    def check_matmul(self, a: Any, b: Any) -> None:
        sa, sb = array_shape(a), array_shape(b)
        if sa is None or sb is None or not sa or not sb:
            return
        sa = (1,) + sa if len(sa) == 1 else sa
        sb = sb + (1,) if len(sb) == 1 else sb
        try:
            batch = np.broadcast_shapes(sa[:-2], sb[:-2])
        except ValueError:
            return
        work = _elements(batch) * sa[-2] * sa[-1] * sb[-1]
        if work > self.limits.max_matmul_work:
            raise LangError(f"matrix product too large ({sa} @ {sb} needs {work:,} multiplications; "
                            f"the limit is {self.limits.max_matmul_work:,})", kind="limit")
        self.check_dims(tuple(batch) + (sa[-2], sb[-1]))
        self.add_work(_elements(batch) * sa[-2] * sb[-1])

    def measure(self, value: Any) -> tuple[int, int]:
        """(items, elements) of a value: list items counted through nested lists (and dict keys),
        and the elements a tensor made from it would have. Lists are sized once and remembered."""
        items, elements, _ = self.sizes(value)
        return items, elements

    def sizes(self, value: Any, level: int = 0) -> tuple[int, int, int]:
        """(items, elements, depth) of a value, ``level`` containers down; refuses lists, tuples
        and dicts nested deeper than the limit, so that no value a script holds can make hashing,
        comparing or printing recurse without bound."""
        if isinstance(value, _CONTAINERS):
            cached = self._sizes.get(id(value))
            if cached is not None and cached[0] is value:
                _, items, elements, depth, _, _ = cached
            else:
                items, elements, depth = self._walk(value, level)
            if level + depth > self.limits.max_nesting:
                raise self.too_deep()
            return items, elements, depth
        size = getattr(value, "size", None)
        if isinstance(size, (int, np.integer)) and not isinstance(value, (str, range)):
            return 1, int(size), 0
        if hasattr(value, "shape") and hasattr(value, "dtype"):  # a Variable
            return 1, _elements(tuple(value.shape)), 0
        if isinstance(value, range):
            return 1, _range_length(value), 0  # lazy, but an array made from it is not
        if isinstance(value, str):
            return len(value), 1, 0
        return 1, 1, 0

    def _walk(self, value: Any, level: int) -> tuple[int, int, int]:
        if level + 1 > self.limits.max_nesting:
            raise self.too_deep()
        self._measured += len(value)
        if self._measured > 50_000:            # walking big nested lists takes time too
            self._measured = 0
            self.check_clock()
        children: Any = [*value.keys(), *value.values()] if isinstance(value, dict) else value
        if set(map(type, children)) <= _SCALARS:   # flat: one item and one element each
            items = elements = len(children)
            if not isinstance(value, tuple) or len(value) > 8:
                self.remember(value, items, elements, 1)
            return items, elements, 1
        items = elements = depth = 0
        for child in children:
            ci, ce, cd = self.sizes(child, level + 1)
            items += max(ci, 1)
            elements += ce
            depth = max(depth, cd)
            if isinstance(child, _CONTAINERS):
                self._link(child, value)
        self.remember(value, items, elements, depth + 1, linked=True)  # nested: walked once, whatever its length
        return items, elements, depth + 1

    def _link(self, child: Any, parent: Any) -> None:
        if len(self._parents) > 4 * self.limits.max_elements:
            # Too many links to keep: start again, forgetting every entry that relied on them.
            self._parents.clear()
            for key in [k for k, entry in self._sizes.items() if entry[3] > 1]:
                self._forget(self._sizes[key][0])
        self._parents.setdefault(id(child), set()).add(id(parent))

    def too_deep(self) -> LangError:
        return LangError(f"lists, tuples and dicts are nested too deeply (the limit is {self.limits.max_nesting} levels)", kind="limit")

    def depth(self, value: Any) -> int:
        return self.sizes(value)[2]

    def remember(self, value: Any, items: int, elements: int, depth: int, linked: bool = False) -> None:
        """Record the size of a list built from measured parts, so it is not walked again.
        ``linked``: the containers it holds were recorded as its children."""
        if depth > self.limits.max_nesting:
            raise self.too_deep()
        self._forget(value)
        linked = linked or depth <= 1
        self._sizes[id(value)] = (value, items, elements, depth, len(value), linked)
        if not linked:
            self._unlinked.add(id(value))
        self._kept += len(value)
        while self._kept > 4 * self.limits.max_elements and len(self._sizes) > 1:
            key, old = self._sizes.popitem(last=False)
            self._unlinked.discard(key)
            self._kept -= old[4]

    def _forget(self, value: Any) -> None:
        old = self._sizes.pop(id(value), None)
        if old is not None:
            self._unlinked.discard(id(value))
            self._kept -= old[4]

    # -- containers changed in place -------------------------------------------------
    def grow(self, target: Any, added: list[Any], made: int | None = None) -> tuple[Any, ...]:
        """Before the values ``added`` go into the list, dict or set ``target`` in place: the
        grown container within the item and nesting limits, no container put inside itself, and
        the items it adds counted (``made``, all of ``added`` by default). Returns the sizes to
        give :meth:`grown` once the change is made."""
        items, elements, depth = self.sizes(target)
        new_items, new_elements, new_depth = self._measure_all(added)
        total = items + new_items
        if total > self.limits.max_elements:
            raise LangError(f"the {type(target).__name__} would have {total:,} items "
                            f"(the limit is {self.limits.max_elements:,})", kind="limit")
        depth = max(depth, new_depth)
        if depth > self.limits.max_nesting:
            raise self.too_deep()
        if new_depth > 1 and _reaches(added, target):
            raise LangError(f"a {type(target).__name__} cannot be put inside itself", kind="value")
        self.add_items(len(added) if made is None else made)
        entry = self._sizes.get(id(target))
        linked = entry is not None and entry[0] is target and entry[5]
        # Containers that hold ``target`` are now bigger than their remembered sizes.
        self._forget_holders(target)
        return total, elements + new_elements, depth, linked, [a for a in added if isinstance(a, _CONTAINERS)]

    def _forget_holders(self, target: Any) -> None:
        for key in list(self._unlinked):
            self._forget(self._sizes[key][0])
        seen: set[int] = set()
        stack = [id(target)]
        while stack:
            # Each link is used once: the entries above it are forgotten now, and a walk that
            # measures them again records it again.
            for parent in self._parents.pop(stack.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    entry = self._sizes.get(parent)
                    if entry is not None:
                        self._forget(entry[0])
                    stack.append(parent)

    def grown(self, target: Any, sizes: tuple[Any, ...]) -> None:
        """After ``target`` was changed as :meth:`grow` allowed: remember its new size."""
        total, elements, depth, linked, children = sizes
        for child in children:
            self._link(child, target)
        self.remember(target, total, elements, depth, linked=linked)

    def shrunk(self, target: Any, removed: list[Any]) -> None:
        """After values were taken out of ``target`` in place: its remembered size follows (its
        depth is kept, an upper bound; containers that hold it keep theirs, which are now upper bounds)."""
        cached = self._sizes.get(id(target))
        if cached is None or cached[0] is not target:
            return
        gone_items, gone_elements, _ = self._measure_all(removed)
        self.remember(target, max(cached[1] - gone_items, 0), max(cached[2] - gone_elements, 0), cached[3],
                      linked=cached[5])

    def _measure_all(self, values: list[Any]) -> tuple[int, int, int]:
        """(items, elements, depth) of ``values`` as the items of a container, remembering nothing new."""
        if set(map(type, values)) <= _SCALARS:
            return len(values), len(values), 1 if values else 0
        items = elements = depth = 0
        for value in values:
            ci, ce, cd = self.sizes(value, 1)
            items += max(ci, 1)
            elements += ce
            depth = max(depth, cd)
        return items, elements, depth + 1

    def check_container(self, value: Any, made: int | None = None) -> Any:
        """Refuse a new list whose items (through nested lists) are over the limit; count the
        ``made`` items it adds (all its own, by default)."""
        items, elements = self.measure(value)
        if items > self.limits.max_elements:
            raise LangError(f"the list would have {items:,} items (the limit is {self.limits.max_elements:,})", kind="limit")
        self.add_items(len(value) if made is None else made)
        return value

    def check_convertible(self, value: Any) -> None:
        """Before a list becomes an array: its element count is within the limit (and counts)."""
        if isinstance(value, (list, tuple, range)):
            elements = self.measure(value)[1]
            self.check_elements(elements, "the tensor")
            self.add_work(elements)

    def iterate(self, value: Any) -> Iterator[Any]:
        """Iterate a list, tuple, range, string, array or tensor, counting tensor rows as ops."""
        # A loop over a huge range allocates nothing: the loop limit is what stops it.
        if isinstance(value, (range, list, tuple, str, dict, set, frozenset)) \
                or getattr(type(value), "script_iterable", False):
            return iter(value)
        if isinstance(value, np.ndarray):
            if value.ndim == 0:
                raise LangError("cannot iterate over a 0-d array", kind="type")
            return iter(value)
        if hasattr(value, "shape") and hasattr(value, "__getitem__"):
            return self._rows(value)
        raise LangError(f"cannot iterate over {describe(value)}", kind="type")

    def _rows(self, tensor: Any) -> Iterator[Any]:
        if not len(tensor.shape):
            raise LangError("cannot iterate over a scalar tensor", kind="type")
        for i in range(tensor.shape[0]):
            self.tick()  # each row is a recorded slicing op
            yield tensor[i]

    def sized(self, value: Any) -> int:
        """The length of something a builtin will consume whole; refuses ranges over the limit."""
        try:
            n = len(value) if not hasattr(value, "shape") else (value.shape[0] if len(value.shape) else 0)
        except OverflowError:
            n = self.limits.max_elements + 1
        if n > self.limits.max_elements:
            raise LangError(f"the sequence has {n:,} items (the limit is {self.limits.max_elements:,})", kind="limit")
        return n


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_SCALARS = frozenset({int, float, bool, complex, type(None), np.float64, np.float32, np.int64, np.int32, np.bool_})
_CONTAINERS = (list, tuple, dict, set, frozenset)


def _reaches(values: list[Any], target: Any) -> bool:
    """Whether ``target`` is, or is inside, one of ``values`` (containers are nested at most
    ``max_nesting`` deep, and each is visited once)."""
    stack, seen = list(values), set()
    while stack:
        value = stack.pop()
        if value is target:
            return True
        if isinstance(value, _CONTAINERS) and id(value) not in seen:
            seen.add(id(value))
            children = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            stack.extend(c for c in children if isinstance(c, _CONTAINERS))
    return False


def memory_in_use() -> int | None:
    """Memory this process holds now, in bytes (on Linux; elsewhere its peak so far, or None)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:                           # Windows: the clock and the counts still hold
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _range_length(value: range) -> int:
    try:
        return len(value)
    except OverflowError:
        return 2**63


def array_shape(value: Any) -> tuple[int, ...] | None:
    """The shape of a tensor, Variable, array or number (None for anything else)."""
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple):
        return tuple(int(d) for d in shape)
    if isinstance(value, (bool, int, float, np.number)):
        return ()
    if isinstance(value, range):
        return (_range_length(value),)
    if isinstance(value, (list, tuple)):
        try:
            return tuple(np.shape(value))
        except (ValueError, TypeError):
            return None
    return None


def whole_number(value: Any) -> int | None:
    """``value`` as a Python int if it stands for one: an int, a numpy integer, a finite float
    (read as the engine reads it, truncated) or a scalar tensor or array of those; else None."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return int(value) if math.isfinite(value) else None
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple) and not shape and hasattr(value, "dtype"):
        try:
            kind = np.dtype(value.dtype).kind
            return whole_number(np.asarray(value)[()]) if kind in "iuf" else None
        except (TypeError, ValueError):
            return None
    return None


def count_of(value: Any) -> int | None:
    """A repetition count (``"x" * n``, ``[0] * n``): an int, numpy integer or integer scalar
    tensor, as Python itself would accept it; None for anything else."""
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple) and not shape and getattr(getattr(value, "dtype", None), "kind", "") in "iu":
        try:
            return int(np.asarray(value)[()])
        except (TypeError, ValueError):
            return None
    return None


def shape_of_argument(shape: Any) -> tuple[int, ...] | None:
    """Read a shape argument (a number, a list, tuple or range of them, or a tensor or array)
    without building anything large; None if it cannot be read as whole numbers."""
    single = whole_number(shape)
    if single is not None:
        return (single,)
    if isinstance(shape, range):
        if _range_length(shape) > 64:
            return tuple(range(65))  # more dimensions than numpy allows: refused by the caller
        return tuple(shape)
    if isinstance(shape, (list, tuple)):
        if len(shape) > 64:
            return tuple(range(65))
        dims = []
        for d in shape:
            w = whole_number(d)
            if w is None:
                return None
            dims.append(w)
        return tuple(dims)
    if hasattr(shape, "shape") and hasattr(shape, "dtype"):
        if len(shape.shape) != 1:
            return None
        if shape.shape[0] > 64:
            return tuple(range(65))
        try:
            return tuple(whole_number(d) or 0 for d in np.asarray(shape).reshape(-1))
        except (TypeError, ValueError):
            return None
    return None


def describe(value: Any) -> str:
    """A short, user-facing name for a value's kind."""
    if isinstance(value, np.dtype):
        return "a dtype"
    if isinstance(value, np.generic):
        return "a number"
    kind = type(value).__name__
    names = {"Tensor": "a tensor", "Variable": "a Variable", "ndarray": "an array", "NoneType": "None",
             "GradientTape": "a GradientTape", "ForwardAccumulator": "a ForwardAccumulator", "Namespace": "a module", "SafeFunction": "a function",
             "BoundMethod": "a method", "UserFunction": "a function", "float": "a number", "int": "an integer", "str": "a string",
             "bool": "a boolean", "list": "a list", "tuple": "a tuple", "dict": "a dict", "range": "a range",
             "set": "a set", "ErrorValue": "an exception", "TypeValue": "a class", "ScriptIterator": "an iterator",
             "DictView": "a dict view", "TracedFunction": "a tf.function", "TensorSpec": "a TensorSpec"}
    return names.get(kind, kind)


def scan_depth(text: str, max_depth: int) -> tuple[int, int] | None:
    """Where bracket nesting first goes deeper than ``max_depth`` (1-based line, column), or None.

    A cheap pass before ``ast.parse``: strings and comments are skipped roughly (escapes,
    single and triple quotes) so that brackets inside them do not count.
    """
    depth = 0
    line, col = 1, 0
    i, n = 0, len(text)
    quote = ""
    while i < n:
        ch = text[i]
        if ch == "\n":
            line, col = line + 1, 0
            i += 1
            if quote and len(quote) == 1:
                quote = ""  # an unterminated one-line string: let the parser report it
            continue
        col += 1
        if quote:
            if ch == "\\":
                i += 2
                col += 1
                continue
            if text.startswith(quote, i):
                i += len(quote)
                col += len(quote) - 1
                quote = ""
                continue
            i += 1
            continue
        if ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if ch in "'\"":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            i += len(quote)
            col += len(quote) - 1
            continue
        if ch in "([{":
            depth += 1
            if depth > max_depth:
                return line, col
        elif ch in ")]}":
            depth -= 1
        i += 1
    return None
