"""Tape scripts: the subset of Python that GradientTape tutorials use, run from a whitelist.

``parse_script`` reads and checks the whole text first (nothing runs if any construct is
refused); ``run_script`` executes it statement by statement and returns a :class:`Trace`.
"""
from __future__ import annotations

import ast
import inspect
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..engine import ForwardAccumulator, GradientTape, Tensor, Variable, flatten
from ..engine.keras import KerasVariable
from ..engine.module import Host
from ..engine.recording import scope as grouped_in
from ..engine.recording import differentiating as recording
from ..engine.custom import record_custom
from ..engine.session import session as keras_session
from ..engine.tape import TapeWarning
from .checker import ScriptChecker, module_path, parse
from .classes import ScriptClass
from .errors import ENGINE_ERRORS, LangError, node_position, wrap
from .evaluator import Evaluator
from .limits import Budget, Limits, describe
from .members import set_member
from .methods import key_of, list_extend, set_item, set_update
from .objects import ObjectCalls
from .provenance import Provenance
from .pytypes import ErrorValue, ScriptIterator
from .text import clip, text_of
from .tfunction import TracedFunction
from .trace import Cell, GradientCall, PrintedLine, TapeInfo, Trace
from .whitelist import BUILTINS, ContextValue, SafeFunction


@dataclass
class Script:
    """A checked tape script, ready to run."""

    source: str
    tree: ast.Module
    lines: list[str]
    cells: list[Cell] = field(default_factory=list)
    # Statements with something adviz does not support: each stops the run when it is reached.
    unsupported: dict[ast.stmt, LangError] = field(default_factory=dict)


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class UserFunction:
    """A function the script defined (``def`` or ``lambda``): its syntax, its defaults (evaluated
    where it was defined) and the scopes it closes over. Only the interpreter can call it; it
    has no attributes a script may read."""

    __slots__ = ("name", "node", "defaults", "kw_defaults", "closure")
    script_type = ("function", "function")

    def __init__(self, name: str, node: ast.FunctionDef | ast.Lambda, defaults: list[Any],
                 kw_defaults: dict[str, Any], closure: list[dict[str, Any]]) -> None:
        self.name, self.node, self.defaults, self.kw_defaults, self.closure = name, node, defaults, kw_defaults, closure

    def __repr__(self) -> str:
        return f"<function {self.name}>"


# The exceptions an ``except`` clause may name, matched against the error's cause.
EXCEPTIONS: dict[str, type[BaseException]] = {
    cls.__name__: cls for cls in (Exception, ArithmeticError, AssertionError, AttributeError, IndexError, KeyError,
                                  LookupError, NameError, NotImplementedError, OverflowError, RuntimeError,
                                  StopIteration, TypeError, ValueError, ZeroDivisionError)}
_KIND_CAUSES = {"name": NameError, "type": TypeError, "value": ValueError, "gradient": RuntimeError,
                "syntax": RuntimeError, "runtime": RuntimeError}


def parse_script(text: str, *, limits: Limits = Limits()) -> Script:
    """Parse and statically check a tape script; raises LangError for anything hostile.

    A statement using something adviz does not support is kept in ``unsupported`` and fails
    when the run reaches it, after everything before it has run."""
    tree, lines = parse(text, limits)
    checker = ScriptChecker(lines, limits, tree)
    checker.check(tree)
    return Script(text, tree, lines, _cells(tree), checker.deferred)


def run_script(script_or_text: Script | str, *, limits: Limits = Limits(), trace: Trace | None = None,
               on_statement: Callable[[int, int], None] | None = None) -> Trace:
    """Run a tape script. Never raises: a refusal or runtime error is ``trace.error``, and the
    trace keeps everything that happened before it.

    ``trace`` is filled in when given (its ``printed`` list may pass each line on as it comes);
    ``on_statement(line, col)`` is told where each statement starts, before it runs.
    """
    trace = trace if trace is not None else Trace()
    try:
        script = script_or_text if isinstance(script_or_text, Script) else parse_script(script_or_text, limits=limits)
    except LangError as exc:
        trace.error = exc
        return trace
    trace.cells = list(script.cells)
    interpreter = _Interpreter(script, Budget(limits), trace)
    interpreter.on_statement = on_statement
    interpreter.run()
    return trace


def _is_narration(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def _cells(tree: ast.Module) -> list[Cell]:
    """Bare strings at the top level start cells; the code up to the next one belongs to them."""
    cells: list[Cell] = []
    current: Cell | None = None
    has_code = False
    for stmt in tree.body:
        end = stmt.end_lineno or stmt.lineno
        if _is_narration(stmt):
            text = inspect.cleandoc(stmt.value.value)  # type: ignore[attr-defined]
            if current is not None and not has_code:
                current.narration = f"{current.narration}\n\n{text}" if current.narration else text
                current.first_line, current.last_line = end + 1, end
                continue
            current = Cell(text, end + 1, end)
            cells.append(current)
            has_code = False
            continue
        if current is None:
            current = Cell("", 1, end)
            cells.append(current)
        current.last_line = end
        has_code = True
    return cells


class _Interpreter(ObjectCalls, Evaluator):
    """Runs a checked script's statements, recording tapes, gradient calls and printed lines."""

    def __init__(self, script: Script, budget: Budget, trace: Trace) -> None:
        super().__init__(script.lines, budget)
        self.script = script
        self.trace = trace
        self.env: dict[str, Any] = {}
        self.scopes: list[dict[str, Any]] = [self.env]   # innermost first: a function's locals, ..., the module
        self.depth = 0                                    # calls of the script's own functions inside each other
        self.tape_index: dict[int, int] = {}
        self.printed = 0
        self.warnings: dict[type, int] = {}   # how often each kind of TensorFlow warning was logged
        self.current: ast.stmt | None = None  # the statement running, to place unexpected errors
        self.on_statement: Callable[[int, int], None] | None = None
        self.segments: dict[ast.AST, str] = {}  # source text of argument nodes, by node
        self.statements = {
            ast.Expr: self.s_expr, ast.Assign: self.s_assign, ast.AugAssign: self.s_augassign,
            ast.Delete: self.s_delete, ast.With: self.s_with, ast.For: self.s_for, ast.If: self.s_if,
            ast.Pass: self.s_pass, ast.Break: self.s_break, ast.Continue: self.s_continue,
            ast.Import: self.s_import, ast.ImportFrom: self.s_importfrom, ast.While: self.s_while,
            ast.Assert: self.s_assert, ast.Try: self.s_try, ast.FunctionDef: self.s_def, ast.Return: self.s_return,
            ast.ClassDef: self.s_class, ast.Raise: self.s_raise,
        }
        self.methods: list[tuple[ScriptClass, Any]] = []   # (class, instance) of each method running
        self.handlers.update({ast.ListComp: self.listcomp, ast.SetComp: self.setcomp, ast.DictComp: self.dictcomp,
                              ast.GeneratorExp: self.genexp})
        self.handling: list[LangError] = []   # the errors the except clauses running now caught
        # The error the last ``raise`` of the script made, with the exception it raised (kept here,
        # not on the error, which leaves the run as plain data).
        self.raised: tuple[LangError, ErrorValue] | None = None
        self.calling: ast.Call | None = None   # the call being made, for functions called back from builtins
        budget.caller = self.call_back
        self.handlers[ast.Lambda] = self.lambda_
        # What the tapes do not record, kept for explaining None gradients (while calls are pictured).
        self.provenance: Provenance | None = Provenance() if self._pictured() else None

    def run(self) -> None:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("always", TapeWarning)    # logged to stderr, as TensorFlow does
            warnings.showwarning = self.warned
            if self.provenance is not None:
                self.provenance.start()
                self.trace.history = self.provenance.witness
            try:
                with keras_session(guard=self.budget):   # Keras's names and weights start afresh
                    self.block(self.script.tree.body)
            except LangError as exc:
                self.trace.error = exc if exc.located else exc.placed(1, 1)
            except Exception as exc:  # a gap in the whitelist must still not escape as a traceback
                line, col = node_position(self.current, self.lines)
                self.trace.error = LangError(f"internal error: {type(exc).__name__}: {exc}", line, col)
            finally:
                if self.provenance is not None:
                    self.provenance.stop()
        for error in (self.trace.error, *(c.error for c in self.trace.calls)):
            if error is not None:  # a message quoting a value stays short enough to read
                error.message = clip(error.message)

    def warned(self, message: Any, category: type, *args: Any, **kwargs: Any) -> None:
        """A warning of the engine's, written where TensorFlow logs it, as many times as it does."""
        if not issubclass(category, TapeWarning):
            return
        count = self.warnings[category] = self.warnings.get(category, 0) + 1
        if count > category.limit:
            return
        line = self.current.lineno if self.current is not None else 1
        self.trace.printed.append(PrintedLine(line, f"WARNING:tensorflow:{message}", "\n", "stderr"))

    # -- statements ----------------------------------------------------------------------------
    def block(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self.execute(stmt)

    def execute(self, stmt: ast.stmt) -> None:
        refused = self.script.unsupported.get(stmt)
        if refused is not None:
            self.current = stmt
            raise refused
        handler = self.statements.get(type(stmt))
        if handler is None:
            raise self.fail(stmt, f"{type(stmt).__name__} statements are not supported", "syntax")
        self.current = stmt
        if self.provenance is not None:
            self.provenance.at_line(stmt.lineno)
        if self.on_statement is not None:
            self.on_statement(stmt.lineno, stmt.col_offset + 1)
        try:
            handler(stmt)
        except (LangError, *ENGINE_ERRORS) as exc:
            raise wrap(exc, stmt, self.lines) from None

    def s_expr(self, stmt: ast.Expr) -> None:
        if not (isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)):
            self.eval(stmt.value)

    def s_assign(self, stmt: ast.Assign) -> None:
        value = self.eval(stmt.value)
        for target in stmt.targets:
            self.bind(target, value)

    def s_augassign(self, stmt: ast.AugAssign) -> None:
        target = stmt.target
        if isinstance(target, ast.Attribute):
            current = self.member(self.eval(target.value), target.attr)
        elif isinstance(target, ast.Subscript):
            # a[i] += v: the list and the index are evaluated once, as Python does.
            owner, key = self.eval(target.value), self.eval(target.slice)
            try:
                current = self.item(owner, key)
                value = self.eval(stmt.value)
                set_item(self.budget, owner, key, self.binary(stmt.op, current, value))
            except (LangError, *ENGINE_ERRORS, TypeError, IndexError) as exc:
                raise wrap(exc, stmt, self.lines) from None
            return
        else:
            assert isinstance(target, ast.Name)
            current = self.name(target)
        value = self.eval(stmt.value)
        try:
            if isinstance(current, list) and isinstance(stmt.op, ast.Add):
                list_extend(self.budget, current, value)   # in place, as Python: every name for the list sees it
                result = current
            elif isinstance(current, set) and isinstance(stmt.op, ast.BitOr) and isinstance(value, set):
                set_update(self.budget, current, value)
                result = current
            else:
                result = self.binary(stmt.op, current, value)
        except (LangError, *ENGINE_ERRORS) as exc:
            raise wrap(exc, stmt, self.lines) from None
        self.bind(target, result)

    def s_delete(self, stmt: ast.Delete) -> None:
        for target in stmt.targets:
            assert isinstance(target, ast.Name)
            if target.id not in self.env:
                raise self.fail(target, f"name {target.id!r} is not defined", "name")
            del self.env[target.id]

    def s_with(self, stmt: ast.With) -> None:
        entered: list[Any] = []
        try:
            for item in stmt.items:
                manager = self.eval(item.context_expr)
                if isinstance(manager, GradientTape):
                    value = self._guard(item.context_expr, manager.__enter__)
                    entered.append(manager)
                    if self.provenance is not None:
                        self.provenance.entered(manager)
                elif isinstance(manager, ContextValue):
                    value = self._guard(item.context_expr, manager.manager.__enter__)
                    entered.append(manager.manager)
                elif isinstance(manager, ForwardAccumulator):
                    value = self._guard(item.context_expr, manager.__enter__)
                    entered.append(manager)
                else:
                    raise self.fail(item.context_expr, "only a GradientTape, a ForwardAccumulator or "
                                                       "tape.stop_recording() can be "
                                                       f"used with 'with', not {describe(manager)}", "type")
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, value)
            self.block(stmt.body)
        finally:
            # Leave every tape even on error, so no tape stays on the engine's stack.
            for manager in reversed(entered):
                try:
                    manager.__exit__(None, None, None)
                except Exception:  # pragma: no cover - exiting a tape does not fail
                    pass

    def s_for(self, stmt: ast.For) -> None:
        iterable = self.eval(stmt.iter)
        try:
            items = self.budget.iterate(iterable)
        except LangError as exc:
            raise wrap(exc, stmt.iter, self.lines) from None
        while True:
            try:
                item = next(items)
            except StopIteration:
                break
            except (LangError, *ENGINE_ERRORS) as exc:
                raise wrap(exc, stmt.iter, self.lines) from None
            try:
                self.budget.loop_tick()
            except LangError as exc:
                raise wrap(exc, stmt, self.lines) from None
            self.bind(stmt.target, item)
            if not self._loop_body(stmt.body):
                return
        self.block(stmt.orelse)

    def _loop_body(self, body: list[ast.stmt]) -> bool:
        """Run one pass of a loop's body; False when it ended with ``break``."""
        try:
            self.block(body)
        except _Break:
            return False
        except _Continue:
            pass
        return True

    def s_if(self, stmt: ast.If) -> None:
        test = self.eval(stmt.test)
        try:
            chosen = self.truth(test)
        except (LangError, *ENGINE_ERRORS) as exc:
            raise wrap(exc, stmt.test, self.lines) from None
        self.block(stmt.body if chosen else stmt.orelse)

    def s_pass(self, stmt: ast.Pass) -> None:
        pass

    def s_while(self, stmt: ast.While) -> None:
        while True:
            test = self.eval(stmt.test)
            try:
                if not self.truth(test):
                    break
                self.budget.loop_tick()
            except (LangError, *ENGINE_ERRORS) as exc:
                raise wrap(exc, stmt.test, self.lines) from None
            if not self._loop_body(stmt.body):
                return
        self.block(stmt.orelse)

    def s_assert(self, stmt: ast.Assert) -> None:
        test = self.eval(stmt.test)
        try:
            passed = self.truth(test)
        except (LangError, *ENGINE_ERRORS) as exc:
            raise wrap(exc, stmt.test, self.lines) from None
        if not passed:
            message = "" if stmt.msg is None else text_of(self.eval(stmt.msg), self.limits.max_string,
                                                          budget=self.budget)
            line, col = node_position(stmt, self.lines)
            error = LangError(f"AssertionError: {message}" if message else "AssertionError", line, col,
                              kind="value", detail=message)
            error.cause = AssertionError
            raise error

    def s_try(self, stmt: ast.Try) -> None:
        try:
            try:
                self.block(stmt.body)
            except LangError as exc:
                handler = self._handler(stmt, exc)
                if handler is None:
                    raise
                if handler.name is not None:
                    raised = self.raised[1] if self.raised is not None and self.raised[0] is exc else None
                    self.bind_name(handler.name, caught(exc, raised))
                self.handling.append(exc)
                try:
                    self.block(handler.body)
                finally:
                    self.handling.pop()
            else:
                self.block(stmt.orelse)
        finally:
            self.block(stmt.finalbody)

    def _handler(self, stmt: ast.Try, exc: LangError) -> ast.ExceptHandler | None:
        """The except clause that catches ``exc``; none catches a limit of the run, which always ends it."""
        if exc.kind == "limit":
            return None
        cause = exc.cause or _KIND_CAUSES.get(exc.kind, RuntimeError)
        for handler in stmt.handlers:
            if handler.type is None:
                return handler
            named = self.eval(handler.type)
            options = named if isinstance(named, tuple) else (named,)
            classes = []
            for option in options:
                if not isinstance(option, SafeFunction) or not isinstance(option.pytype, type) \
                        or not issubclass(option.pytype, BaseException):
                    raise self.fail(handler.type, f"except needs an exception class, not {describe(option)}", "type")
                classes.append(option.pytype)
            if issubclass(cause, tuple(classes)):
                return handler
        return None

    def s_def(self, stmt: ast.FunctionDef) -> None:
        function: Any = self._function(stmt.name, stmt)
        for node in reversed(stmt.decorator_list):
            function = self.decorate(node, function)
        self.bind_name(stmt.name, function)

    def decorate(self, node: ast.expr, function: Any) -> Any:
        """Apply one decorator: only those in :data:`DECORATORS` (the rest are refused)."""
        decorator = self.eval(node)
        role = _decorator_role(decorator)
        if role not in DECORATORS:
            written = ast.get_source_segment(self.script.source, node) or "this decorator"
            raise self.fail(node, f"the decorator @{written} is not supported by adviz "
                                  "(@tf.function is)", "syntax")
        try:
            return DECORATORS[role](self, decorator, function)
        except (LangError, *ENGINE_ERRORS) as exc:
            raise wrap(exc, node, self.lines) from None

    def s_raise(self, stmt: ast.Raise) -> None:
        if stmt.exc is None:
            if not self.handling:
                raise self.fail(stmt, "RuntimeError: No active exception to reraise", "runtime")
            raise self.handling[-1]
        value = self.eval(stmt.exc)
        if isinstance(value, SafeFunction) and value.fn is not None and value.name in EXCEPTIONS:
            value = value.fn(self.budget)                   # raise ValueError: the class, called with nothing
        if not isinstance(value, ErrorValue):
            raise self.fail(stmt.exc, f"exceptions must derive from BaseException, not {describe(value)}", "type")
        if value.error is not None:
            raise value.error                                # a caught error raised again, where it was first raised
        line, col = node_position(stmt, self.lines)
        kind = _CAUSE_KINDS.get(value.cls, "runtime")
        error = LangError(f"{value.cls.__name__}: {value.message}" if value.message else value.cls.__name__,
                          line, col, kind=kind, detail=value.message)
        error.cause = value.cls
        self.raised = (error, value)   # what ``except ... as e`` gives back: the very exception raised
        raise error

    def lambda_(self, node: ast.Lambda) -> UserFunction:
        return self._function("<lambda>", node)

    def _function(self, name: str, node: ast.FunctionDef | ast.Lambda) -> UserFunction:
        args = node.args
        defaults = [self.eval(d) for d in args.defaults]
        kw_defaults = {a.arg: self.eval(d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None}
        return UserFunction(name, node, defaults, kw_defaults, list(self.scopes))

    def s_return(self, stmt: ast.Return) -> None:
        raise _Return(None if stmt.value is None else self.eval(stmt.value))

    def call_user(self, node: ast.Call, func: UserFunction, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """Call a function the script defined, in a scope of its own, under the depth limit."""
        if self.depth >= self.limits.max_call_depth:
            raise LangError(f"functions call each other too deeply (the limit is {self.limits.max_call_depth})",
                            kind="limit")
        local = _bind_arguments(func, args, kwargs)
        saved = self.env, self.scopes, self.current
        self.env, self.scopes = local, [local, *func.closure]
        self.depth += 1
        try:
            if isinstance(func.node, ast.Lambda):
                return self.eval(func.node.body)
            self.block(func.node.body)
            return None
        except _Return as done:
            return done.value
        finally:
            self.depth -= 1
            self.env, self.scopes, self.current = saved

    def is_function(self, value: Any) -> bool:
        return isinstance(value, UserFunction)

    def s_break(self, stmt: ast.Break) -> None:
        raise _Break()

    def s_continue(self, stmt: ast.Continue) -> None:
        raise _Continue()

    def s_import(self, stmt: ast.Import) -> None:
        for alias in stmt.names:
            path = alias.name if alias.asname else alias.name.split(".")[0]
            module = module_path(path)
            if module is None:
                raise self.fail(stmt, f"import of {alias.name!r} is not allowed", "name")
            self.env[alias.asname or path] = module

    def s_importfrom(self, stmt: ast.ImportFrom) -> None:
        module = module_path(stmt.module or "")
        if module is None or stmt.level:
            raise self.fail(stmt, f"import from {stmt.module!r} is not allowed", "name")
        for alias in stmt.names:
            if alias.name not in module.members:
                raise self.fail(stmt, f"{module.name}.{alias.name} is not available in scripts", "name")
            self.bind_name(alias.asname or alias.name, module.members[alias.name])

    def listcomp(self, node: ast.ListComp) -> list[Any]:
        return self.budget.check_container(self._comprehension(node, lambda: self.eval(node.elt)))

    def genexp(self, node: ast.GeneratorExp) -> ScriptIterator:
        """A generator expression: its items are made at once (under the same limits as a list
        comprehension) and given out once, as a generator gives them."""
        return ScriptIterator(self.listcomp(node), "generator")  # type: ignore[arg-type]

    def setcomp(self, node: ast.SetComp) -> set[Any]:
        items = self.budget.check_container(self._comprehension(node, lambda: key_of(self.eval(node.elt))), made=0)
        return self.budget.check_container(set(items))

    def dictcomp(self, node: ast.DictComp) -> dict[Any, Any]:
        pairs = self._comprehension(node, lambda: (key_of(self.eval(node.key)), self.eval(node.value)))
        self.budget.check_container(pairs, made=2 * len(pairs))     # the pairs, made on the way
        return self.budget.check_container(dict(pairs))

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp,
                       item: Callable[[], Any]) -> list[Any]:
        """The items of a comprehension; its loop names are restored afterwards, as in Python 3."""
        names = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        saved = {name: self.env[name] for name in names if name in self.env}
        out: list[Any] = []
        try:
            self._generate(node, 0, out, item)
        finally:
            for name in names:
                self.env.pop(name, None)
            self.env.update(saved)
        return out

    def _generate(self, node: Any, index: int, out: list[Any], item: Callable[[], Any]) -> None:
        if index == len(node.generators):
            out.append(item())
            return
        generator = node.generators[index]
        for value in self.budget.iterate(self.eval(generator.iter)):
            self.budget.loop_tick()
            self.bind(generator.target, value, record=False)  # a passing name does not rename the object
            if all(self.truth(self.eval(condition)) for condition in generator.ifs):
                self._generate(node, index + 1, out, item)

    # -- names -----------------------------------------------------------------------------------
    def name(self, node: ast.Name) -> Any:
        for scope in self.scopes:
            if node.id in scope:
                return scope[node.id]
        if node.id in EXCEPTIONS:
            return _EXCEPTION_NAMES[node.id]
        if node.id in BUILTINS:
            return BUILTINS[node.id]
        raise self.fail(node, f"name {node.id!r} is not defined", "name")

    def bind(self, target: ast.AST, value: Any, record: bool = True) -> None:
        if isinstance(target, ast.Name):
            self.bind_name(target.id, value, record)
            return
        if isinstance(target, (ast.Tuple, ast.List)):
            try:
                self.budget.sized(value)
                items = list(self.budget.iterate(value))
            except (LangError, *ENGINE_ERRORS) as exc:
                raise wrap(exc, target, self.lines) from None
            if len(items) != len(target.elts):
                raise self.fail(target, f"expected {len(target.elts)} values to unpack, got {len(items)}", "value")
            for element, item in zip(target.elts, items):
                self.bind(element, item, record)
            return
        if isinstance(target, ast.Attribute):
            owner = self.eval(target.value)
            try:
                set_member(owner, target.attr, value)
            except (LangError, *ENGINE_ERRORS) as exc:
                raise wrap(exc, target, self.lines) from None
            if record and isinstance(value, (Tensor, Variable)) and value._id not in self.trace.names:
                # self.w of a module or layer is named after it (linear.w), so two instances differ
                owner_name = getattr(owner, "_name", None) if isinstance(owner, Host) else None
                self.trace.names[value._id] = f"{owner_name}.{target.attr}" if owner_name else self._segment(target)
            return
        if isinstance(target, ast.Subscript):
            owner, key = self.eval(target.value), self.eval(target.slice)
            try:
                set_item(self.budget, owner, key, value)
            except (LangError, *ENGINE_ERRORS, TypeError, IndexError) as exc:
                raise wrap(exc, target, self.lines) from None
            return
        raise self.fail(target, "cannot assign to this", "syntax")

    def bind_name(self, name: str, value: Any, record: bool = True) -> None:
        self.env[name] = value
        if not record:
            return
        if isinstance(value, (Tensor, Variable)):
            self.trace.names[value._id] = name
        elif isinstance(value, GradientTape) and id(value) in self.tape_index:
            info = self.trace.tapes[self.tape_index[id(value)]]
            if info.name is None:
                info.name = name

    def _guard(self, node: ast.AST, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (LangError, *ENGINE_ERRORS) as exc:
            raise wrap(exc, node, self.lines) from None

    # -- what the tapes do not see ---------------------------------------------------------------
    def call_value(self, node: ast.Call, func: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if isinstance(func, TracedFunction):    # tf.function: the function runs eagerly, as itself
            result = self.call_value(node, func.function, func.inputs(self.budget, args), kwargs)
            return func.outputs(self.budget, result)
        if isinstance(func, UserFunction):
            self.budget.tick()
            if isinstance(func.node, ast.Lambda):
                return self.call_user(node, func, args, kwargs)
            with grouped_in(func.name):
                return self.call_user(node, func, args, kwargs)
        if self.calls_object(func):
            return self.call_object(func, args, kwargs)
        saved, self.calling = self.calling, node
        try:
            return self._call_safe(node, func, args, kwargs)
        finally:
            self.calling = saved

    def call_back(self, func: Any, args: tuple) -> Any:
        """Call a function a builtin was given (a sort key, map's function) as the script would."""
        if not isinstance(func, (UserFunction, SafeFunction, TracedFunction)) and not self.calls_object(func):
            raise LangError(f"{describe(func)} cannot be called", kind="type")
        if isinstance(func, SafeFunction) and func.special not in ("", "print"):
            raise LangError(f"{func.name} cannot be passed to another function here; call it directly", kind="type")
        node = self.calling if self.calling is not None else ast.Call(ast.Name("<builtin>"), [], [])
        return self.call_value(node, func, list(args), {})

    def _call_safe(self, node: ast.Call, func: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        provenance = self.provenance
        if provenance is None or not provenance.active or not isinstance(func, SafeFunction) or func.special:
            return super().call_value(node, func, args, kwargs)
        owner = getattr(func, "owner", None)
        if isinstance(owner, GradientTape) and func.name == "watch" and (args or kwargs):
            provenance.watching(owner, args[0] if args else next(iter(kwargs.values())), self._segment(node),
                                node.lineno)
        result = super().call_value(node, func, args, kwargs)
        if isinstance(owner, GradientTape):
            if func.name == "reset":
                provenance.was_reset(owner, node.lineno)
        else:
            provenance.after_call(func, args, kwargs, result, self._segment(node), node.lineno)
        return result

    def binary(self, op: ast.operator, a: Any, b: Any) -> Any:
        result = super().binary(op, a, b)
        if self.provenance is not None:
            self.provenance.after_binary(a, b, result)
        return result

    def compared(self, node: ast.Compare, left: Any, right: Any, result: Any) -> None:
        if self.provenance is not None:
            self.provenance.after_compare(left, right, result, self._segment(node), node.lineno)

    def derived(self, value: Any, result: Any) -> Any:
        if self.provenance is not None:
            self.provenance.after_index(value, result)
        return result

    # -- calls the interpreter runs itself -------------------------------------------------------
    def special_call(self, node: ast.Call, func: SafeFunction, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if func.special == "print":
            return self.print(node, args, kwargs)
        if func.special == "tape":
            return self.new_tape(node, args, kwargs)
        if func.special in ("gradient", "jacobian", "batch_jacobian"):
            return self.differentiate(node, func, args, kwargs)
        if func.special == "keras":       # an engine constructor that may call the script's functions back
            args = [self.python_callable(a) for a in args]
            kwargs = {k: self.python_callable(v) for k, v in kwargs.items()}
            return func.invoke(self.budget, tuple(args), kwargs)
        return super().special_call(node, func, args, kwargs)

    def print(self, node: ast.Call, args: list[Any], kwargs: dict[str, Any]) -> None:
        sep, end = kwargs.pop("sep", " "), kwargs.pop("end", "\n")
        kwargs.pop("flush", None)
        if kwargs:
            raise LangError(f"print() does not take {', '.join(kwargs)}= here", kind="type")
        sep = " " if sep is None else sep
        end = "\n" if end is None else end
        if not isinstance(sep, str) or not isinstance(end, str):
            raise LangError("print()'s sep and end must be strings", kind="type")
        room = self.limits.max_output - self.printed       # output has its own limit
        too_much = f"the script printed too much (the limit is {self.limits.max_output:,} characters)"
        pieces = []
        length = len(end) + len(sep) * max(len(args) - 1, 0)
        for a in args:
            if length > room:
                break
            limit = min(room - length, self.limits.max_string)
            pieces.append(text_of(a, limit, budget=self.budget,
                                  too_long=too_much if limit < self.limits.max_string else None))
            length += len(pieces[-1])
        if length > room:  # refused before the pieces are joined
            raise LangError(too_much, kind="limit")
        text = sep.join(pieces)
        self.budget.add_work(len(text))
        self.printed += len(text) + len(end)
        self.trace.printed.append(PrintedLine(node.lineno, text, end))

    def new_tape(self, node: ast.Call, args: list[Any], kwargs: dict[str, Any]) -> GradientTape:
        tape = GradientTape(*args, **kwargs)
        tape.step_hook = self.budget.backward_step
        if self._pictured():
            tape.keep_steps = True  # each gradient call keeps its backward pass for the picture
            self.tape_index[id(tape)] = len(self.trace.tapes)
            self.trace.tapes.append(TapeInfo(len(self.trace.tapes), None, node.lineno, tape.persistent,
                                             tape.watch_accessed_variables, tape))
        return tape

    def _pictured(self) -> bool:
        """Whether the next gradient call is kept for a picture (only the first few hundred are)."""
        return len(self.trace.calls) < self.limits.max_pictured_calls

    def differentiate(self, node: ast.Call, func: SafeFunction, args: list[Any], kwargs: dict[str, Any]) -> Any:
        tape = func.owner  # type: ignore[attr-defined]
        target_node = _argument_node(node, 0, "target")
        sources_node = _argument_node(node, 1, "sources")
        target = args[0] if args else kwargs.get("target")
        sources = args[1] if len(args) > 1 else kwargs.get("sources")
        flat = flatten(sources)
        for source in flat:          # a layer's weights are named by their Keras path (dense/kernel)
            if isinstance(source, KerasVariable) and source._id not in self.trace.names:
                self.trace.names[source._id] = source.path
        line, col = node_position(node, self.lines)
        call = GradientCall(
            index=len(self.trace.calls), tape_index=self.tape_index.get(id(tape), -1), kind=func.special,
            line=line, col=col, target_text=self._segment(target_node), sources_text=self._segment(sources_node),
            target=target, sources=flat, source_names=self._source_names(sources_node, sources),
            names=self.trace.names.as_of())
        if self._pictured() and id(tape) in self.tape_index:
            self.trace.calls.append(call)
            if self.provenance is not None:
                call.tape_moment = self.provenance.moment(tape)
        else:
            self.trace.unpictured += 1      # computed as usual; nothing of it is kept
            tape.keep_steps = False
            if self.provenance is not None and not self._pictured():
                self.provenance.stop()      # no later call is pictured: nothing more to explain
        before = len(tape.calls)
        try:
            targets = flatten(target)
            for t in targets:
                if not isinstance(t, (Tensor, Variable)):
                    raise LangError(f"{func.special}() differentiates tensors or Variables, not {describe(t)}", kind="type")
            # Every target gets a seed and every source a gradient of its own, even when the
            # same tensor is named many times; the steps between are counted as they run.
            self.budget.add_work(sum(_size(t) for t in targets) + sum(_size(s) for s in flat))
            if func.special in ("jacobian", "batch_jacobian"):
                self._check_jacobian(tape, target, flat)
            result = func.fn(*args, **kwargs)  # type: ignore[misc]
        except (LangError, *ENGINE_ERRORS) as exc:
            call.error = wrap(exc, node, self.lines, "gradient")
            raise call.error from None
        call.result = flatten(result)
        call.tape_call = tape.calls[-1] if len(tape.calls) > before else None
        if not tape.keep_steps:
            tape.calls.clear()             # the tape's own record of its calls: not needed for a picture
        return result

    def _check_jacobian(self, tape: GradientTape, target: Any, sources: list[Any]) -> None:
        size = int(np.prod(getattr(target, "shape", ()) or (1,)))
        if size * (len(tape.records) + 1) > self.limits.max_ops:
            raise LangError(f"the jacobian is too large to compute here ({size:,} target elements "
                            f"× {len(tape.records):,} recorded ops)", kind="limit")
        recorded = recording()
        for s in sources:
            elements = size * _size(s)
            self.budget.check_elements(elements, "the jacobian")
            # Recorded for an outer tape, each row is placed in a jacobian-sized array of its own.
            self.budget.add_work(elements * (2 * size if recorded else 1))

    def _segment(self, node: ast.AST | None) -> str:
        """The source text of ``node``, read once per node (a call in a loop asks every time)."""
        if node is None:
            return ""
        text = self.segments.get(node)
        if text is None:
            text = self.segments[node] = ast.get_source_segment(self.script.source, node) or ast.unparse(node)
        return text

    def _source_names(self, node: ast.AST | None, value: Any) -> list[str]:
        """The text of each flat source: literal elements by their own text, others by the
        name last bound to the object (or ``text[i]``)."""
        flat = flatten(value)
        if node is None:
            return [""] * len(flat)
        if isinstance(node, (ast.List, ast.Tuple)) and isinstance(value, (list, tuple)) and len(node.elts) == len(value):
            return [n for e, v in zip(node.elts, value) for n in self._source_names(e, v)]
        if isinstance(node, ast.Dict) and isinstance(value, dict) and len(node.values) == len(value):
            return [n for e, v in zip(node.values, value.values()) for n in self._source_names(e, v)]
        text = self._segment(node)
        if not isinstance(value, (list, tuple, dict)):
            return [text]
        return [self.trace.names.get(getattr(s, "_id", None), f"{text}[{i}]") for i, s in enumerate(flat)]


def _size(value: Any) -> int:
    shape = getattr(value, "shape", None)
    return int(np.prod(shape, dtype=np.int64)) if isinstance(shape, tuple) else 1


def _argument_node(node: ast.Call, index: int, keyword: str) -> ast.AST | None:
    if len(node.args) > index:
        return node.args[index]
    for k in node.keywords:
        if k.arg == keyword:
            return k.value
    return None




def _error_maker(cls: type[BaseException]) -> Callable[..., ErrorValue]:
    """``ValueError("...")``: an exception a script can raise, with the message Python's str gives."""
    def make(budget: Budget, *args: Any) -> ErrorValue:
        limit = budget.limits.max_string
        message = "" if not args else text_of(args[0], limit, budget=budget) if len(args) == 1 \
            else text_of(args, limit, budget=budget)
        budget.add_work(len(message))
        return ErrorValue(cls, message, args)
    return make


_EXCEPTION_NAMES = {name: SafeFunction(name, _error_maker(cls), pytype=cls, context=True)
                    for name, cls in EXCEPTIONS.items()}
_CAUSE_KINDS: dict[type, str] = {NameError: "name", TypeError: "type", ValueError: "value"}


def caught(error: LangError, raised: ErrorValue | None = None) -> ErrorValue:
    """What ``except ... as e`` binds: the exception the script raised, or the error's class (what
    TensorFlow or Python raises there) and the message its ``str`` gives."""
    if raised is not None:
        raised.error = error
        return raised
    cls = error.cause or _KIND_CAUSES.get(error.kind, RuntimeError)
    value = ErrorValue(cls, error.said if error.said is not None else error.detail)
    value.error = error
    return value


def _decorator_role(value: Any) -> str | None:
    """What a decorator is to :data:`DECORATORS`: a TensorFlow function's name (``function``)."""
    if isinstance(value, SafeFunction):
        module, _, name = value.name.partition(".")
        if module in ("tf", "adviz") and name:
            return name
    return None


def _apply(interpreter: _Interpreter, decorator: SafeFunction, function: Any) -> Any:
    return decorator.invoke(interpreter.budget, (function,), {})


def _custom_gradient(interpreter: _Interpreter, decorator: SafeFunction, function: Any) -> Any:
    """``@tf.custom_gradient``: calling the function records it as one op whose gradient is the
    ``grad_fn`` it returns; both run as script code, under the run's limits."""
    if not isinstance(function, UserFunction):
        raise LangError("@tf.custom_gradient decorates a function defined with def", kind="type")

    def run(fn: Any, *values: Any, **kwargs: Any) -> Any:
        if kwargs:
            node = interpreter.calling if interpreter.calling is not None else ast.Call(ast.Name("<builtin>"), [], [])
            return interpreter.call_value(node, fn, list(values), kwargs)
        return interpreter.call_back(fn, values)

    def call(*args: Any, **kwargs: Any) -> Any:
        return record_custom(function.name, function, args, kwargs, run=run)

    return SafeFunction(function.name, call)


# Each decorator a script may use, by its TensorFlow name, and what it does to the function.
DECORATORS: dict[str, Callable[[_Interpreter, SafeFunction, Any], Any]] = {
    "function": _apply,       # @tf.function: the function runs eagerly, recorded as it is
    "custom_gradient": _custom_gradient,
}


def _bind_arguments(func: UserFunction, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """The new scope of a call: each parameter bound as Python binds it, or a TypeError in its words."""
    spec = func.node.args
    positional = [a.arg for a in (*spec.posonlyargs, *spec.args)]
    if len(args) > len(positional):
        raise LangError(f"{func.name}() takes {len(positional)} positional argument"
                        f"{'s' if len(positional) != 1 else ''} but {len(args)} were given", kind="type")
    local: dict[str, Any] = dict(zip(positional, args))
    keyword_names = set(positional[len(spec.posonlyargs):]) | {a.arg for a in spec.kwonlyargs}
    extra: dict[str, Any] = {}
    for key, value in kwargs.items():
        if key not in keyword_names and spec.kwarg is not None:
            extra[key] = value
            continue
        if key not in keyword_names:
            raise LangError(f"{func.name}() got an unexpected keyword argument {key!r}", kind="type")
        if key in local:
            raise LangError(f"{func.name}() got multiple values for argument {key!r}", kind="type")
        local[key] = value
    first_default = len(positional) - len(func.defaults)
    for k, name in enumerate(positional):
        if name not in local:
            if k < first_default:
                raise LangError(f"{func.name}() missing required argument: {name!r}", kind="type")
            local[name] = func.defaults[k - first_default]
    for arg in spec.kwonlyargs:
        if arg.arg not in local:
            if arg.arg not in func.kw_defaults:
                raise LangError(f"{func.name}() missing required keyword-only argument: {arg.arg!r}", kind="type")
            local[arg.arg] = func.kw_defaults[arg.arg]
    if spec.kwarg is not None:
        local[spec.kwarg.arg] = extra
    return local

