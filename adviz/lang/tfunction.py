"""``tf.function`` and ``tf.TensorSpec``: a decorated function runs eagerly, recorded by the tape
exactly as without the decorator (adviz draws what TensorFlow computes, not its graphs)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import Tensor, Variable, convert_to_tensor
from ..engine.dtypes import as_dtype, float32, public
from .errors import LangError
from .limits import Budget, describe, whole_number
from .whitelist import SafeFunction

_FUNCTION = "tensorflow.python.eager.polymorphic_function.polymorphic_function.Function"
# What tf.function accepts besides the function; each changes how TensorFlow traces, not the values.
OPTIONS = frozenset({"input_signature", "autograph", "jit_compile", "reduce_retracing", "experimental_implements",
                     "experimental_autograph_options", "experimental_attributes", "experimental_relax_shapes",
                     "experimental_compile", "experimental_follow_type_hints"})


class TracedFunction:
    """A function under ``tf.function``: calling it calls the function itself, with its
    arguments converted as ``input_signature`` says and its results made tensors, as
    TensorFlow's graph would give them back."""

    __slots__ = ("function", "signature")
    script_type = ("Function", _FUNCTION)

    def __init__(self, function: Any, signature: Any = None) -> None:
        self.function, self.signature = function, signature

    def __repr__(self) -> str:
        return f"<{_FUNCTION} object>"

    def inputs(self, budget: Budget, args: list[Any]) -> list[Any]:
        """Positional arguments as the signature's tensors (a Variable stays itself, so the tape
        sees it read)."""
        if self.signature is None:
            return args
        if len(args) > len(self.signature):
            raise LangError(f"the function takes {len(self.signature)} argument(s) by its input_signature, "
                            f"not {len(args)}", kind="type")
        out = []
        for value, spec in zip(args, self.signature):
            if not isinstance(value, Variable):
                budget.check_convertible(value)
                value = convert_to_tensor(value, dtype=spec.kind)
            out.append(value)
        return out + args[len(out):]

    def outputs(self, budget: Budget, value: Any, level: int = 0) -> Any:
        """Numbers in the result (through lists, tuples and dicts) become tensors; None stays."""
        if isinstance(value, (bool, int, float, np.number, np.ndarray)):
            budget.add_work(int(np.size(value)))
            return convert_to_tensor(value)
        if level < budget.limits.max_nesting:
            if isinstance(value, list):
                return [self.outputs(budget, v, level + 1) for v in value]
            if isinstance(value, tuple) and type(value) is tuple:
                return tuple(self.outputs(budget, v, level + 1) for v in value)
            if isinstance(value, dict):
                return {k: self.outputs(budget, v, level + 1) for k, v in value.items()}
        return value


class TensorSpec:
    """``tf.TensorSpec(shape, dtype, name)``: a description of a tensor, printed as TensorFlow prints it."""

    # Not ``shape`` and ``dtype``: the size checks would take it for a tensor.
    __slots__ = ("dims", "kind", "label")
    script_type = ("TensorSpec", "tensorflow.python.framework.tensor.TensorSpec")
    script_attributes = ("dtype", "name")

    def __init__(self, shape: Any = None, dtype: Any = float32, name: Any = None) -> None:
        self.dims = None if shape is None else _dims(shape)
        self.kind = public(as_dtype(dtype))
        if name is not None and not isinstance(name, str):
            raise LangError(f"a TensorSpec's name is a string, not {describe(name)}", kind="type")
        self.label = name

    def script_attribute(self, name: str) -> Any:
        return self.kind if name == "dtype" else self.label

    def __repr__(self) -> str:
        if self.dims is None:
            shape = "<unknown>"
        else:
            shape = "(" + ", ".join(map(str, self.dims)) + ("," if len(self.dims) == 1 else "") + ")"
        return f"TensorSpec(shape={shape}, dtype={self.kind!r}, name={self.label!r})"


def _dims(shape: Any) -> tuple[Any, ...]:
    dims = [shape] if whole_number(shape) is not None else shape
    if not isinstance(dims, (list, tuple)) or len(dims) > 64:
        raise LangError(f"a TensorSpec's shape is a list of whole numbers and None, not {describe(shape)}", kind="type")
    out = []
    for d in dims:
        if d is not None and (whole_number(d) is None or isinstance(d, float)):
            raise LangError(f"a TensorSpec's shape is a list of whole numbers and None, not {describe(shape)}",
                            kind="type")
        out.append(None if d is None else whole_number(d))
    return tuple(out)


def tf_function(prefix: str) -> SafeFunction:
    """``tf.function``: ``tf.function(f)``, ``@tf.function`` and ``@tf.function(jit_compile=True)``."""
    def function(func: Any = None, **options: Any) -> Any:
        for key in options:
            if key not in OPTIONS:
                raise LangError(f"tf.function() got an unexpected keyword argument {key!r}", kind="type")
        signature = options.get("input_signature")
        if signature is not None and not (isinstance(signature, (list, tuple))
                                          and all(isinstance(s, TensorSpec) for s in signature)):
            raise LangError("input_signature is a list of tf.TensorSpec", kind="type")
        if func is None:        # @tf.function(...): a decorator that remembers the options
            return SafeFunction(decorator.name, lambda f: function(f, **options))
        if isinstance(func, TracedFunction):
            return func
        if not (isinstance(func, SafeFunction) or getattr(func, "script_type", None) == ("function", "function")):
            raise LangError(f"tf.function() decorates a function, not {describe(func)}", kind="type")
        return TracedFunction(func, None if signature is None else list(signature))
    decorator = SafeFunction(f"{prefix}.function", function)
    return decorator
