"""The function box: ``name = expression`` lines over declared variables, run on one tape.

A bare expression line is an output too: the first is named ``f``, the next ``f2``, ``f3``...
(skipping any name the text already uses). Numbers in the text are float64 by default, like
the declarations, so finite-difference checks of the gradients are precise.
"""
from __future__ import annotations

import ast
import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from numpy.typing import DTypeLike

from ..engine import FUNCTIONS, OP_NAMES, GradientTape, Tensor, Variable, constant
from ..engine.dtypes import as_dtype
from ..engine.tensor import next_id
from ..engine.shapes import ragged_problem
from .checker import FunctionChecker, parse
from .errors import ENGINE_ERRORS, LangError, at, plain_message
from .evaluator import Evaluator, is_int
from .limits import Budget, Limits, describe
from .text import clip
from .trace import GradientCall, TapeInfo, TapeMoment, Trace
from .modules import op_check
from .whitelist import SafeFunction

# Plain names the function box can call: every op-table name that is not internal, read from
# the table so that a new row needs no change here.
FUNCTION_NAMES: tuple[str, ...] = tuple(name for name, op in OP_NAMES.items() if not op.internal)
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}
# Every name the function box knows without a declaration: what an editor colours as built in.
KNOWN_NAMES: tuple[str, ...] = FUNCTION_NAMES + tuple(CONSTANTS)
KINDS = ("variable", "variable_untrainable", "watched", "constant")
_CALLABLES = {name: SafeFunction(name, FUNCTIONS[name], op_check(OP_NAMES[name])) for name in FUNCTION_NAMES}


@dataclass
class FunctionProgram:
    """Checked function text. ``definitions`` are (name, expression, line) in order."""

    source: str
    definitions: list[tuple[str, ast.expr, int]]
    outputs: list[str]
    free_names: list[str]
    lines: list[str] = field(default_factory=list, repr=False)


@dataclass
class Declaration:
    """A value the functions use. ``value`` is a number, a (nested) list, or text such as
    ``"[1, 2]"`` or ``"pi/4"``. ``kind``: ``"variable"`` (trainable tf.Variable),
    ``"variable_untrainable"``, ``"watched"`` (a constant the tape watches) or ``"constant"``.
    ``dtype`` defaults to float64 so that finite-difference checks are precise."""

    name: str
    value: Any
    kind: str = "variable"
    dtype: str = "float64"


def parse_functions(text: str, *, limits: Limits = Limits()) -> FunctionProgram:
    """Parse and check function text; raises LangError.

    Each line is ``name = expression`` or a bare expression (named ``f``, then ``f2``, ``f3``...,
    skipping names the text uses). A name may be defined once, and only used below its definition.
    ``free_names`` are the names read but never defined (nor constants or functions): the
    variables to declare, in order of first use.
    """
    tree, lines = parse(text, limits)
    FunctionChecker(lines, limits, FUNCTION_NAMES).check(tree)
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    definitions: list[tuple[str, ast.expr, int]] = []
    defined_at: dict[str, int] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            target = stmt.targets[0]
            assert isinstance(target, ast.Name)
            name = target.id
            if name in defined_at:
                raise at(target, f"{name!r} is already defined on line {defined_at[name]}", lines, "name")
            if name in _CALLABLES:
                raise at(target, f"{name!r} is a function name; choose another name", lines, "name")
        else:
            name = _fresh_name(used | set(defined_at))
        assert isinstance(stmt, (ast.Assign, ast.Expr))
        defined_at[name] = stmt.lineno
        definitions.append((name, stmt.value, stmt.lineno))
    free: dict[str, None] = {}          # ordered, with O(1) membership
    for line_index, (name, expr, line) in enumerate(definitions):
        for node in _names_in_order(expr):
            if node.id in defined_at and defined_at[node.id] >= line and node.id != name:
                raise at(node, f"{node.id!r} is used before its definition on line {defined_at[node.id]}", lines,
                         "name")
            if node.id == name:
                raise at(node, f"{name!r} is used in its own definition", lines, "name")
            if node.id not in defined_at and node.id not in CONSTANTS and node.id not in _CALLABLES \
                    and node.id not in free:
                free[node.id] = None
    return FunctionProgram(text, definitions, [d[0] for d in definitions], list(free), lines)


def _fresh_name(taken: set[str]) -> str:
    candidate, k = "f", 1
    while candidate in taken:
        k += 1
        candidate = f"f{k}"
    return candidate


def _names_in_order(expr: ast.AST) -> list[ast.Name]:
    """Names read by ``expr`` in reading order, leaving out the names of called functions."""
    called = {id(n.func) for n in ast.walk(expr) if isinstance(n, ast.Call)}
    names = [n for n in ast.walk(expr) if isinstance(n, ast.Name) and id(n) not in called]
    return sorted(names, key=lambda n: (n.lineno, n.col_offset))


class _FunctionEvaluator(Evaluator):
    """Expressions of the function box: plain numbers compute in float64 (1/0 is inf, not an
    error), list literals become arrays of the run's dtype, calls go to the op table."""

    def __init__(self, lines: Sequence[str], budget: Budget, env: dict[str, Any], dtype: np.dtype) -> None:
        super().__init__(lines, budget)
        self.env = env
        self.dtype = dtype

    def name(self, node: ast.Name) -> Any:
        if node.id in self.env:
            return self.env[node.id]
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        if node.id in _CALLABLES:
            raise self.fail(node, f"{node.id} is a function; call it as {node.id}(...)", "name")
        raise self.fail(node, f"name {node.id!r} is not defined", "name")

    def binary(self, op: ast.operator, a: Any, b: Any) -> Any:
        if is_int(a) and is_int(b) and isinstance(op, (ast.Add, ast.Sub, ast.Mult)):
            return super().binary(op, a, b)  # index arithmetic such as x[n - 1] stays integral
        if _plain(a) and _plain(b):
            self.budget.tick()
            x, y = np.float64(a), np.float64(b)
            if isinstance(op, ast.MatMult):
                raise LangError("@ needs vectors or matrices", kind="type")
            return float({ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide,
                          ast.Pow: np.power}[type(op)](x, y))
        return super().binary(op, _numeric_array(a, self.dtype), _numeric_array(b, self.dtype))

    def list(self, node: ast.List) -> np.ndarray:
        items = super().list(node)
        for item, element in zip(items, node.elts):
            if not (_plain(item) or isinstance(item, np.ndarray)):
                raise self.fail(element, f"a list holds numbers only, not {describe(item)}", "type")
        self.budget.check_convertible(items)
        try:
            return np.asarray(items, dtype=self.dtype)
        except ValueError:
            problem = ragged_problem(items)
            if problem:
                raise LangError(problem, kind="value") from None
            raise

    def call_value(self, node: ast.Call, func: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        op = OP_NAMES[func.name]
        tensors = args[: op.arity]
        if not any(isinstance(t, (Tensor, Variable)) for t in tensors):
            args = [_numeric_array(a, self.dtype, force=True) for a in tensors] + args[op.arity:]
        return super().call_value(node, func, args, kwargs)

    def call(self, node: ast.Call) -> Any:
        assert isinstance(node.func, ast.Name)
        args = [self.eval(a) for a in node.args]
        kwargs = {k.arg: self.eval(k.value) for k in node.keywords if k.arg is not None}
        return self.call_value(node, _CALLABLES[node.func.id], args, kwargs)


def _plain(value: Any) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool)


def _numeric_array(value: Any, dtype: np.dtype, force: bool = False) -> Any:
    if force and _plain(value):
        return np.asarray(value, dtype=dtype)
    return value


def literal_value(value: float | str | list[Any], dtype: DTypeLike, limits: Limits = Limits()) -> np.ndarray:
    """A declaration's value as an array: numbers, nested lists, or text of them (``pi/4`` too)."""
    dt = as_dtype(dtype)
    budget = Budget(limits)
    if isinstance(value, str):
        tree, lines = parse(value, limits)
        if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
            raise LangError("a value is a number or a list of numbers, such as 2.0 or [1, 2]", 1, 1, kind="value")
        FunctionChecker(lines, limits, ()).check(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id not in CONSTANTS:
                raise at(node, f"a value is made of numbers only ({node.id!r} is not a constant)", lines, "value")
        with np.errstate(all="ignore"):
            value = _FunctionEvaluator(lines, budget, {}, dt).eval(tree.body[0].value)
    if isinstance(value, (list, tuple)):
        budget.check_container(value)
        budget.check_convertible(value)
    try:
        array = np.array(value, dtype=dt)
    except (TypeError, ValueError) as exc:
        reason = ragged_problem(value) or plain_message(exc)
        raise LangError(f"a value is a number or a list of numbers ({reason})", 1, 1,
                        kind="value") from None
    budget.check_elements(array.size, "the value")
    return array


def run_functions(program_or_text: FunctionProgram | str, declarations: Sequence[Declaration], *,
                  persistent: bool = False, watch_accessed_variables: bool = True,
                  targets: list[str] | None = None, sources: list[str] | None = None,
                  limits: Limits = Limits()) -> Trace:
    """Evaluate the definitions inside one GradientTape and call ``tape.gradient(target, sources)``
    once per target (default: the last output; sources default to every declared name).

    Never raises: any problem is ``trace.error``. The tape's own rules decide what gets a
    gradient (an unwatched constant gets None; a second call on a non-persistent tape fails).
    """
    trace = Trace()
    try:
        _run(program_or_text, declarations, persistent, watch_accessed_variables, targets, sources, limits, trace)
    except LangError as exc:
        trace.error = exc if exc.located else exc.placed(1, 1)
    except Exception as exc:  # nothing but LangError leaves this package
        trace.error = LangError(f"internal error: {type(exc).__name__}: {exc}", 1, 1)
    if trace.error is not None:
        trace.error.message = clip(trace.error.message)
    return trace


def _moment(tape: GradientTape, asked: int, watched: list[Any]) -> TapeMoment:
    """The one tape as its ``asked``-th gradient call finds it (after the definitions)."""
    from .provenance import AUTOMATIC
    how = [(v._id, AUTOMATIC) for v in tape.watched_variables()]
    how += [(obj._id, "declared as watched: the tape watches it from the start") for obj in watched]
    status = "released" if tape.used and not tape.persistent else "finished"
    return TapeMoment(status, asked, tuple(how), next_id())


def _run(program_or_text: FunctionProgram | str, declarations: Sequence[Declaration], persistent: bool,
         watch_accessed: bool, targets: list[str] | None, sources: list[str] | None, limits: Limits,
         trace: Trace) -> None:
    program = program_or_text if isinstance(program_or_text, FunctionProgram) else parse_functions(program_or_text, limits=limits)
    lines = program.lines
    declared: dict[str, Declaration] = {}
    for d in declarations:
        if d.name in declared:
            raise LangError(f"{d.name!r} is declared twice", 1, 1, kind="name")
        if d.kind not in KINDS:
            raise LangError(f"{d.name!r}: unknown kind {d.kind!r} (use one of {', '.join(KINDS)})", 1, 1,
                            kind="value")
        if d.name in program.outputs:
            line = program.definitions[program.outputs.index(d.name)][2]
            raise LangError(f"{d.name!r} is both declared and defined on line {line}", line, 1, kind="name")
        declared[d.name] = d
    for name in program.free_names:
        if name not in declared:
            node = next(n for _, expr, _ in program.definitions for n in _names_in_order(expr) if n.id == name)
            raise at(node, f"name {name!r} is not defined", lines, "name")
    if not program.outputs and targets is None:
        raise LangError("there is no function to differentiate", 1, 1, kind="name")
    targets = [program.outputs[-1]] if targets is None else list(targets)
    sources = [d.name for d in declarations] if sources is None else list(sources)
    known = set(program.outputs) | set(declared)
    for name in (*targets, *sources):
        if name not in known:
            raise LangError(f"{name!r} is neither declared nor defined", 1, 1, kind="name")

    budget = Budget(limits)
    env: dict[str, Any] = {}
    watched = []
    run_dtype = as_dtype(declarations[0].dtype) if declarations else np.dtype("float64")
    for d in declarations:
        try:
            value = literal_value(d.value, d.dtype, limits)
        except LangError as exc:
            raise LangError.bad_value(d.name, exc.message) from None
        except (TypeError, ValueError) as exc:
            raise LangError.bad_value(d.name, plain_message(exc)) from None
        if d.kind.startswith("variable"):
            obj = Variable(value, trainable=d.kind == "variable", name=d.name)
        else:
            obj = constant(value)
            if d.kind == "watched":
                watched.append(obj)
        env[d.name] = obj
        trace.names[obj._id] = d.name

    tape = GradientTape(persistent=persistent, watch_accessed_variables=watch_accessed)
    tape.keep_steps = True  # each gradient call keeps its backward pass for the picture
    tape.step_hook = budget.backward_step
    first_line = program.definitions[0][2] if program.definitions else 1
    trace.tapes.append(TapeInfo(0, "tape", first_line, tape.persistent, tape.watch_accessed_variables, tape))
    evaluator = _FunctionEvaluator(lines, budget, env, run_dtype)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with tape:
            for obj in watched:
                tape.watch(obj)
            for name, expr, line in program.definitions:
                value = evaluator.eval(expr)
                if not isinstance(value, (Tensor, Variable)):
                    value = constant(np.asarray(value, dtype=run_dtype))
                env[name] = value
                trace.names[value._id] = name
        for index, target in enumerate(targets):
            line = program.definitions[program.outputs.index(target)][2] if target in program.outputs else 1
            call = GradientCall(index, 0, "gradient", line, 1, target, ", ".join(sources), env[target],
                                [env[s] for s in sources], list(sources), names=trace.names.as_of(),
                                tape_moment=_moment(tape, index + 1, watched))
            trace.calls.append(call)
            try:
                result = tape.gradient(env[target], call.sources)
            except ENGINE_ERRORS as exc:
                call.error = LangError(plain_message(exc), line, 1, kind="gradient")
                trace.error = call.error
                return
            call.result = list(result)
            call.tape_call = tape.calls[-1]
