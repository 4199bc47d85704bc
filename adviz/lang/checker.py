"""The static pass: parse, measure and whitelist the whole syntax tree before anything runs.

Every node type has to be allowed here by name; any other one is refused with its position.
"""
from __future__ import annotations

import ast
import copy
import warnings
from typing import Iterable, Sequence

from .errors import LangError, at
from .formatting import static_fields
from .limits import Limits, scan_depth
from .modules import ALLOWED_ATTRIBUTES, MODULES
from .whitelist import FORBIDDEN_NAMES, Namespace

REFUSED: dict[type, str] = {
    ast.AsyncFunctionDef: "defining functions (def) is not supported",
    ast.Lambda: "lambda is not supported here",
    ast.Global: "global is not supported",
    ast.Nonlocal: "nonlocal is not supported",
    ast.Yield: "yield is not supported",
    ast.YieldFrom: "yield is not supported",
    ast.Await: "await is not supported",
    ast.AsyncFor: "async is not supported",
    ast.AsyncWith: "async is not supported",
    ast.NamedExpr: "the := operator is not supported",
    ast.ListComp: "comprehensions are not supported here; use a for loop",
    ast.Starred: "* unpacking is not supported",
    ast.AnnAssign: "annotated assignments are not supported; write name = value",
}
for _name, _message in (("TryStar", "try/except is not supported"), ("Match", "match is not supported")):
    if hasattr(ast, _name):
        REFUSED[getattr(ast, _name)] = _message

# Attributes that would reach files, processes or arbitrary attributes (a format string can
# name them): refused before anything runs, wherever they appear.
REACHING_OUT = frozenset({
    "format_map", "save", "savez", "savez_compressed", "savetxt", "load", "loadtxt", "genfromtxt",
    "fromfile", "tofile", "fromregex", "memmap", "DataSource", "io", "gfile", "write_file", "read_file",
    "ctypeslib", "lib", "system", "popen", "py_function", "numpy_function", "compat", "dump", "dumps",
})

SCRIPT_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.MatMult,
                    ast.BitOr, ast.BitAnd, ast.BitXor)   # the last three for sets (and whole numbers)
FUNCTION_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.MatMult)


def parse(text: str, limits: Limits) -> tuple[ast.Module, list[str]]:
    """``ast.parse`` behind the size and nesting limits; every failure is a LangError."""
    if not isinstance(text, str):
        raise LangError("the input must be text", 1, 1, kind="type")
    if len(text) > limits.max_source_bytes or len(text.encode("utf-8", "surrogatepass")) > limits.max_source_bytes:
        raise LangError(f"the text is too long (the limit is {limits.max_source_bytes:,} bytes)", 1, 1, kind="limit")
    deep = scan_depth(text, limits.max_depth)
    if deep is not None:
        raise LangError(f"brackets are nested too deeply (the limit is {limits.max_depth})", *deep, kind="limit")
    lines = text.splitlines()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, mode="exec")
    except SyntaxError as exc:
        line = exc.lineno or 1
        col = exc.offset or 1
        message, kind = exc.msg or "invalid syntax", "syntax"
        if "too many nested" in message:
            message, kind = f"brackets are nested too deeply (the limit is {limits.max_depth})", "limit"
        raise LangError(message, line, max(col, 1), kind=kind) from None
    except (RecursionError, MemoryError):
        raise LangError("the text is nested too deeply to read", 1, 1, kind="limit") from None
    except (ValueError, UnicodeError) as exc:
        raise LangError(f"the text cannot be read: {exc}", 1, 1, kind="syntax") from None
    check_depth(tree, limits, lines)
    return tree, lines


def check_depth(tree: ast.AST, limits: Limits, lines: Sequence[str]) -> None:
    """Refuse a tree deeper than ``limits.max_ast_depth`` (walked without recursion)."""
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limits.max_ast_depth:
            raise at(node, f"the expression is nested too deeply (the limit is {limits.max_ast_depth} levels)", lines,
                     "limit")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


class _Checker:
    """Shared rules: constants, names and operators."""

    operators: tuple[type, ...] = SCRIPT_OPERATORS

    def __init__(self, lines: Sequence[str], limits: Limits) -> None:
        self.lines = lines
        self.limits = limits

    def refuse(self, node: ast.AST, message: str, kind: str = "syntax") -> LangError:
        """A refusal of ``node``: by default, something the language does not have."""
        return at(node, message, self.lines, kind)

    def expressions(self, nodes: Iterable[ast.AST | None]) -> None:
        for node in nodes:
            if node is not None:
                self.expr(node)

    def expr(self, node: ast.AST) -> None:
        handler = getattr(self, "expr_" + type(node).__name__, None)
        if handler is None:
            raise self.refuse(node, REFUSED.get(type(node), f"{type(node).__name__} expressions are not supported"))
        handler(node)

    def check_name(self, node: ast.AST, name: str) -> None:
        if name.startswith("__"):
            raise self.refuse(node, f"names starting with '__' are not available ({name!r})", "name")

    def expr_Name(self, node: ast.Name) -> None:
        self.check_name(node, node.id)

    def expr_BinOp(self, node: ast.BinOp) -> None:
        if not isinstance(node.op, self.operators):
            raise self.refuse(node, f"the operator {_OP_TEXT.get(type(node.op), '?')} is not supported")
        self.expressions((node.left, node.right))

    def check_number(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > self.limits.max_int_bits:
            raise self.refuse(node, f"integer too large (more than {self.limits.max_int_bits:,} bits)", "limit")

    def expr_Subscript(self, node: ast.Subscript) -> None:
        self.expressions((node.value, node.slice))

    def expr_Slice(self, node: ast.Slice) -> None:
        self.expressions((node.lower, node.upper, node.step))

    def expr_List(self, node: ast.List) -> None:
        self.expressions(node.elts)

    expr_Tuple = expr_List

    def keywords(self, node: ast.Call) -> None:
        """Keyword arguments: named ones only (no ``**``), with allowed names and values."""
        for keyword in node.keywords:
            if keyword.arg is None:
                raise self.refuse(keyword.value, "** unpacking is not supported")
            self.check_name(keyword, keyword.arg)
            self.expr(keyword.value)


_OP_TEXT = {ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&",
            ast.Invert: "~", ast.Not: "not", ast.FloorDiv: "//", ast.Mod: "%"}

class ScriptChecker(_Checker):
    """The rules for tape scripts."""

    def __init__(self, lines: Sequence[str], limits: Limits, tree: ast.Module) -> None:
        super().__init__(lines, limits)
        self.loops = 0
        self.functions = 0     # def and lambda bodies the checker is inside
        # Statements refused as unsupported (not hostile): each fails when the run reaches it.
        self.deferred: dict[ast.stmt, LangError] = {}
        rebound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
        self.in_method = False  # directly in a method's body, where super() is allowed
        # Attribute names the script gives its own objects (self.w = ..., methods, class
        # attributes): allowed wherever they are read, even with one leading '_'.
        self.own_attributes: set[str] = set()
        # The few dunder names a class may use: __init__ and __call__ defined in its body, and
        # super().__init__ called in a method.
        self.dunders: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load) \
                    and not node.attr.startswith("__"):
                self.own_attributes.add(node.attr)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef):
                        if item.name in CLASS_DUNDERS:
                            self.dunders.add(id(item))
                        elif not item.name.startswith("__"):
                            self.own_attributes.add(item.name)
                    elif isinstance(item, ast.Assign):
                        self.own_attributes.update(t.id for t in item.targets if isinstance(t, ast.Name)
                                                   and not t.id.startswith("__"))
            elif isinstance(node, ast.Attribute) and node.attr == "__init__" and _is_super_call(node.value):
                self.dunders.add(id(node))
                self.dunders.add(id(node.value.func))       # type: ignore[attr-defined]
            elif _is_super_call(node):
                self.dunders.add(id(node.func))            # type: ignore[attr-defined]
        # Import aliases that are never rebound: ``tf.xyz`` and ``np.save`` can be judged now.
        self.modules: dict[str, Namespace] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    bound = alias.asname or alias.name.split(".")[0]
                    target = module_path(alias.name if alias.asname else alias.name.split(".")[0])
                    if target is not None and bound not in rebound:
                        self.modules[bound] = target

    def check(self, tree: ast.Module) -> None:
        self.block(tree.body)

    def block(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            try:
                handler = getattr(self, "stmt_" + type(stmt).__name__, None)
                if handler is None:
                    raise self.refuse(stmt, REFUSED.get(type(stmt), f"{type(stmt).__name__} statements are not supported"))
                handler(stmt)
            except LangError as exc:
                # Something adviz does not support (but harmless) stops the run at this statement,
                # after everything before it ran, as TensorFlow would; an escape attempt anywhere in
                # the statement, or a size limit, is refused now, before anything runs.
                if exc.kind == "limit" or getattr(exc, "python_refuses", False):
                    raise
                self.hostile(stmt)
                self.deferred.setdefault(stmt, exc)

    def hostile(self, stmt: ast.stmt) -> None:
        """Refuse ``stmt`` now if any part of it reaches for what the sandbox keeps out: names and
        attributes starting with '_', builtins such as eval or open, imports of other modules."""
        for node in ast.walk(stmt):
            if id(node) in self.dunders:
                continue
            if isinstance(node, ast.Name):
                self.check_name(node, node.id)
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and node.attr != "__name__" \
                    and not self.own(node.attr):
                raise self.refuse(node, f"attributes starting with '_' are not available ({node.attr!r})", "name")
            elif isinstance(node, ast.Call):
                self.format_fields(node)
            elif isinstance(node, ast.Attribute) and node.attr in REACHING_OUT:
                raise self.refuse(node, f"the attribute {node.attr!r} is not available in scripts", "name")
            elif isinstance(node, (ast.Attribute, ast.Subscript)) and not isinstance(node.ctx, ast.Load):
                self.target(node)       # changing a module or a value in place
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                self.check_name(node, node.name)
                if isinstance(node, ast.ClassDef) and node.keywords:
                    raise self.refuse(node.keywords[0], "class keywords (such as metaclass=) are not available", "name")
            elif isinstance(node, ast.arg):
                self.check_name(node, node.arg)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self.check_name(node, node.name)
            elif isinstance(node, ast.Import):
                self.stmt_Import(node)
            elif isinstance(node, ast.ImportFrom):
                if (module_path(node.module or "") if not node.level else None) is None:
                    self.stmt_ImportFrom(node)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                for name in node.names:
                    self.check_name(node, name)
            elif isinstance(node, ast.keyword) and node.arg is not None:
                self.check_name(node, node.arg)

    # -- statements --------------------------------------------------------------------
    def stmt_Expr(self, node: ast.Expr) -> None:
        self.expr(node.value)

    def stmt_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self.target(target)
        self.expr(node.value)

    def own(self, attr: str) -> bool:
        """Whether ``attr`` is one of the script's own attribute names (one leading '_' allowed)."""
        return attr in self.own_attributes and not attr.startswith("__")

    def stmt_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, (ast.Attribute, ast.Subscript)):
            self.target(node.target)
        elif not isinstance(node.target, ast.Name):
            raise self.refuse(node.target, "only a name, an attribute or an item can be updated with an operator "
                                           "such as +=")
        else:
            self.check_name(node.target, node.target.id)
        if not isinstance(node.op, self.operators):
            raise self.refuse(node, f"the operator {_OP_TEXT.get(type(node.op), '?')}= is not supported")
        self.expr(node.value)

    def stmt_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if not isinstance(target, ast.Name):
                raise self.refuse(target, "only names can be deleted")
            self.check_name(target, target.id)

    def stmt_With(self, node: ast.With) -> None:
        for item in node.items:
            self.expr(item.context_expr)
            if item.optional_vars is not None:
                if not isinstance(item.optional_vars, ast.Name):
                    raise self.refuse(item.optional_vars, "write 'with ... as name'")
                self.check_name(item.optional_vars, item.optional_vars.id)
        self.block(node.body)

    def stmt_For(self, node: ast.For) -> None:
        self.target(node.target)
        self.expr(node.iter)
        self.loops += 1
        self.block(node.body)
        self.loops -= 1
        self.block(node.orelse)

    def stmt_If(self, node: ast.If) -> None:
        self.expr(node.test)
        self.block(node.body)
        self.block(node.orelse)

    def stmt_Pass(self, node: ast.Pass) -> None:
        pass

    def stmt_While(self, node: ast.While) -> None:
        self.expr(node.test)
        self.loops += 1
        self.block(node.body)
        self.loops -= 1
        self.block(node.orelse)

    def stmt_Assert(self, node: ast.Assert) -> None:
        self.expressions((node.test, node.msg))

    def stmt_Try(self, node: ast.Try) -> None:
        self.block(node.body)
        for handler in node.handlers:
            if handler.type is not None:
                self.expr(handler.type)
            if handler.name is not None:
                self.check_name(handler, handler.name)
            self.block(handler.body)
        self.block(node.orelse)
        self.block(node.finalbody)

    def arguments(self, node: ast.FunctionDef | ast.Lambda) -> None:
        """Plain parameters with defaults, keyword-only ones and ``**kwargs``; no ``*args``."""
        args = node.args
        if args.vararg is not None:
            raise self.refuse(node, "*args parameters are not supported")
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, *([args.kwarg] if args.kwarg else [])):
            self.check_name(arg, arg.arg)
        self.expressions([*args.defaults, *args.kw_defaults])

    def stmt_FunctionDef(self, node: ast.FunctionDef, method: bool = False) -> None:
        self.expressions(node.decorator_list)     # which decorators do what is decided when they run
        if getattr(node, "type_params", None):
            raise self.refuse(node, "type parameters are not supported")
        if id(node) not in self.dunders:
            self.check_name(node, node.name)
        self.arguments(node)
        loops, self.loops = self.loops, 0       # break and continue do not reach out of a function
        in_method, self.in_method = self.in_method, method
        self.functions += 1
        try:
            self.block(node.body)
        finally:
            self.functions -= 1
            self.loops = loops
            self.in_method = in_method

    def stmt_ClassDef(self, node: ast.ClassDef) -> None:
        """``class Name(Base):`` with methods, class attributes, pass and a docstring only."""
        if node.decorator_list:
            raise self.refuse(node.decorator_list[0], "decorators on classes are not supported")
        if node.keywords:
            raise self.refuse(node.keywords[0], "class keywords (such as metaclass=) are not available", "name")
        if getattr(node, "type_params", None):
            raise self.refuse(node, "type parameters are not supported")
        self.check_name(node, node.name)
        if len(node.bases) > 1:
            raise self.refuse(node.bases[1], "a class has at most one base class here")
        self.expressions(node.bases)
        for item in node.body:
            if isinstance(item, ast.FunctionDef):
                for decorator in item.decorator_list:
                    if isinstance(decorator, ast.Name) and decorator.id in ("staticmethod", "classmethod"):
                        raise self.refuse(decorator, f"@{decorator.id} is not supported by adviz; "
                                                     "a method takes self")
                if not (item.args.posonlyargs or item.args.args):
                    raise self.refuse(item, f"the method {item.name!r} needs a first parameter (self)")
                if is_property(item):            # @property: the method itself is checked as any other
                    if item.name.startswith("__"):
                        raise self.refuse(item, f"names starting with '__' are not available ({item.name!r})", "name")
                    item = copy.copy(item)
                    item.decorator_list = []
                self.stmt_FunctionDef(item, method=True)
            elif isinstance(item, ast.Assign) and all(isinstance(t, ast.Name) for t in item.targets):
                self.stmt_Assign(item)
            elif isinstance(item, ast.Pass) or _is_docstring(item):
                pass
            else:
                raise self.refuse(item, "a class body holds methods (def), class attributes (name = value), "
                                        "pass and a docstring only")

    def stmt_Raise(self, node: ast.Raise) -> None:
        self.expressions((node.exc, node.cause))

    def stmt_Return(self, node: ast.Return) -> None:
        if not self.functions:
            error = self.refuse(node, "'return' outside a function")
            error.python_refuses = True
            raise error
        if node.value is not None:
            self.expr(node.value)

    def stmt_Break(self, node: ast.stmt) -> None:
        if not self.loops:
            error = self.refuse(node, f"'{type(node).__name__.lower()}' outside a loop")
            error.python_refuses = True     # Python itself refuses the whole script
            raise error

    stmt_Continue = stmt_Break

    def stmt_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if module_path(alias.name) is None:
                raise self.refuse(node, f"import of {alias.name!r} is not allowed "
                                        "(scripts may import tensorflow, adviz and numpy)", "name")

    def stmt_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = module_path(node.module or "") if not node.level else None
        if module is None:
            raise self.refuse(node, f"import from {node.module or '.'!r} is not allowed "
                                    "(scripts may import tensorflow, adviz and numpy)", "name")
        for alias in node.names:
            if alias.name not in module.members:
                raise self.refuse(node, f"{module.name}.{alias.name} is not available in scripts", "name")

    def target(self, node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            self.check_name(node, node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                self.target(element)
        elif isinstance(node, ast.Attribute):
            # Only a script's own objects take attributes (checked when it runs).
            if node.attr.startswith("__"):
                raise self.refuse(node, f"attributes starting with '__' are not available ({node.attr!r})", "name")
            if node.attr in REACHING_OUT:
                raise self.refuse(node, f"the attribute {node.attr!r} is not available in scripts", "name")
            if self.static_namespace(node.value) is not None:
                raise self.refuse(node, "a module's attributes cannot be changed", "name")
            self.expr(node.value)
        elif isinstance(node, ast.Subscript):
            # d[k] = v and a[i] = v on the script's own lists and dicts (checked when it runs).
            if isinstance(node.slice, ast.Slice):
                raise self.refuse(node, "assigning to a slice is not supported; build a new list instead")
            if self.static_namespace(node.value) is not None:
                raise self.refuse(node, "a module cannot be changed")
            self.expr(node.value)
            self.expr(node.slice)
        else:
            self.expr(node)
            raise self.refuse(node, "cannot assign to this")

    # -- expressions -------------------------------------------------------------------
    def check_name(self, node: ast.AST, name: str) -> None:
        super().check_name(node, name)
        if name in FORBIDDEN_NAMES:
            raise self.refuse(node, f"{name!r} is not available in scripts", "name")

    def expr_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, str):
            if len(value) > self.limits.max_string:
                raise self.refuse(node, "the string is too long", "limit")
        elif value is not None and value is not Ellipsis and not isinstance(value, (bool, int, float)):
            raise self.refuse(node, f"{type(value).__name__} literals are not supported")
        self.check_number(node)

    def expr_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Invert):
            raise self.refuse(node, "the operator ~ is not supported")
        self.expr(node.operand)

    def expr_BoolOp(self, node: ast.BoolOp) -> None:
        self.expressions(node.values)

    def expr_Compare(self, node: ast.Compare) -> None:
        self.expressions([node.left, *node.comparators])

    def expr_IfExp(self, node: ast.IfExp) -> None:
        self.expressions((node.test, node.body, node.orelse))

    def expr_Call(self, node: ast.Call) -> None:
        if _is_super_call(node) or (isinstance(node.func, ast.Name) and node.func.id == "super"):
            if not _is_super_call(node):
                raise self.refuse(node, "only the zero-argument form super() is supported")
            if not self.in_method:
                raise self.refuse(node, "super() is used directly inside a method of a class")
            return
        self.format_fields(node)
        self.expr(node.func)
        self.expressions(node.args)
        self.keywords(node)

    def keywords(self, node: ast.Call) -> None:
        """Keyword arguments, and ``**mapping`` (a dict whose keys become keywords when it runs)."""
        for keyword in node.keywords:
            if keyword.arg is not None:
                self.check_name(keyword, keyword.arg)
            self.expr(keyword.value)

    def format_fields(self, node: ast.Call) -> None:
        """A literal format string's fields name arguments only (``'{0.__class__}'.format(x)``
        is refused before anything runs; a computed one is checked when it is used)."""
        if not (isinstance(node.func, ast.Attribute) and node.func.attr == "format"):
            return
        for candidate in (node.func.value, *node.args[:1]):
            if isinstance(candidate, ast.Constant) and isinstance(candidate.value, str):
                problem = static_fields(candidate.value)
                if problem is not None:
                    raise self.refuse(candidate, problem, "name")

    def expr_Attribute(self, node: ast.Attribute) -> None:
        if id(node) in self.dunders or node.attr == "__name__":   # __name__ is answered by type(x) alone
            self.expr(node.value)
            return
        if node.attr.startswith("_") and not self.own(node.attr):
            raise self.refuse(node, f"attributes starting with '_' are not available ({node.attr!r})", "name")
        if isinstance(node.value, ast.Attribute):
            self.expr(node.value)      # tf.data.Dataset is refused as tf.data, where it leaves the whitelist
        owner = self.static_namespace(node.value)
        if owner is not None and node.attr not in owner.members:
            written = ast.get_source_segment("\n".join(self.lines), node.value) or owner.name
            raise self.refuse(node, f"{written}.{node.attr} is not supported by adviz", "name")
        if node.attr not in ALLOWED_ATTRIBUTES and not self.own(node.attr):
            raise self.refuse(node, f"the attribute {node.attr!r} is not available in scripts", "name")
        self.expr(node.value)

    def static_namespace(self, node: ast.AST) -> Namespace | None:
        if isinstance(node, ast.Name):
            return self.modules.get(node.id)
        if isinstance(node, ast.Attribute):
            parent = self.static_namespace(node.value)
            member = parent.members.get(node.attr) if parent is not None else None
            return member if isinstance(member, Namespace) else None
        return None

    def expr_ListComp(self, node: ast.ListComp) -> None:
        # [elt for target in iter if cond ...]: runs like nested for loops, under the loop limit.
        for generator in node.generators:
            if generator.is_async:
                raise self.refuse(node, "async comprehensions are not supported")
            self.target(generator.target)
            self.expressions([generator.iter, *generator.ifs])
        self.expr(node.elt)

    def expr_SetComp(self, node: ast.SetComp) -> None:
        self.expr_ListComp(node)  # type: ignore[arg-type]

    expr_GeneratorExp = expr_SetComp

    def expr_DictComp(self, node: ast.DictComp) -> None:
        for generator in node.generators:
            if generator.is_async:
                raise self.refuse(node, "async comprehensions are not supported")
            self.target(generator.target)
            self.expressions([generator.iter, *generator.ifs])
        self.expressions((node.key, node.value))

    def expr_Set(self, node: ast.Set) -> None:
        self.expressions(node.elts)

    def expr_Lambda(self, node: ast.Lambda) -> None:
        self.arguments(node)
        self.functions += 1
        in_method, self.in_method = self.in_method, False
        try:
            self.expr(node.body)
        finally:
            self.functions -= 1
            self.in_method = in_method

    def expr_Dict(self, node: ast.Dict) -> None:
        for key in node.keys:
            if key is None:
                raise self.refuse(node, "** unpacking is not supported")
        self.expressions([*node.keys, *node.values])

    def expr_JoinedStr(self, node: ast.JoinedStr) -> None:
        self.expressions(node.values)

    def expr_FormattedValue(self, node: ast.FormattedValue) -> None:
        self.expressions((node.value, node.format_spec))


CLASS_DUNDERS = frozenset({"__init__", "__call__"})


def _is_super_call(node: ast.AST) -> bool:
    """``super()``: the zero-argument form, the only one scripts may use."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super" \
        and not node.args and not node.keywords


def is_property(node: ast.FunctionDef) -> bool:
    """``@property`` on a method: the one decorator a class body may use."""
    return len(node.decorator_list) == 1 and isinstance(node.decorator_list[0], ast.Name) \
        and node.decorator_list[0].id == "property"


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def module_path(dotted: str) -> Namespace | None:
    """The whitelisted module a dotted import path names (``tensorflow.math``), or None."""
    head, *rest = dotted.split(".")
    module = MODULES.get(head)
    for part in rest:
        member = module.members.get(part) if module is not None else None
        module = member if isinstance(member, Namespace) else None
    return module


class FunctionChecker(_Checker):
    """The rules for the function box: ``name = expression`` lines of arithmetic and op calls."""

    operators = FUNCTION_OPERATORS

    def __init__(self, lines: Sequence[str], limits: Limits, functions: Iterable[str]) -> None:
        super().__init__(lines, limits)
        self.functions = frozenset(functions)

    def check(self, tree: ast.Module) -> None:
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                self.check_name(stmt.targets[0], stmt.targets[0].id)
                self.expr(stmt.value)
            elif isinstance(stmt, ast.Expr):
                self.expr(stmt.value)
            else:
                raise self.refuse(stmt, "each line must be 'name = expression' or an expression")

    def expr_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise self.refuse(node, "only numbers can be written here")
        self.check_number(node)

    def expr_UnaryOp(self, node: ast.UnaryOp) -> None:
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise self.refuse(node, f"the operator {_OP_TEXT.get(type(node.op), '?')} is not supported")
        self.expr(node.operand)

    def expr_Call(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Name):
            raise self.refuse(node.func, "call a function by its plain name, such as sin(x)")
        if node.func.id not in self.functions:
            raise self.refuse(node.func, f"unknown function {node.func.id!r}", "name")
        self.expressions(node.args)
        self.keywords(node)

    def expr_Attribute(self, node: ast.Attribute) -> None:
        raise self.refuse(node, "attributes are not used here; write sin(x), not tf.sin(x)")
