"""TensorFlow's error classes (``tf.errors``), raised where TensorFlow raises them."""
from __future__ import annotations

from typing import Any


class OpError(Exception):
    """An op failed (``tf.errors.OpError``); ``message`` says why, as TensorFlow's kernel does."""

    def __init__(self, node_def: Any = None, op: Any = None, message: str = "", *args: Any) -> None:
        super().__init__(message)
        self.node_def, self.op, self.message = node_def, op, message

    def __str__(self) -> str:
        return self.message


class InvalidArgumentError(OpError):
    """An op received an argument it cannot take (mixed dtypes, for one)."""


class UnimplementedError(OpError):
    """An operation TensorFlow has no kernel for."""


# The name TensorFlow's kernel of an op-table row has, where it is not the row's name capitalised.
KERNELS = {"add": "AddV2", "subtract": "Sub", "multiply": "Mul", "divide": "RealDiv", "pow": "Pow",
           "matmul": "MatMul"}


def kernel_name(op: str) -> str:
    """``AddV2`` for ``add``: the op's name in TensorFlow's messages."""
    return KERNELS.get(op) or "".join(part.capitalize() for part in op.split("_"))


def mixed_dtypes(op: str, index: int, expected: str, got: str) -> InvalidArgumentError:
    """TensorFlow's error for operands of different dtypes, word for word."""
    kernel = kernel_name(op)
    return InvalidArgumentError(None, None, (
        f"{{{{function_node __wrapped__{kernel}_device_/job:localhost/replica:0/task:0/device:CPU:0}}}} "
        f"cannot compute {kernel} as input #{index}(zero-based) was expected to be a {expected} tensor "
        f"but is a {got} tensor [Op:{kernel}] name: "))


class ShapeMismatch(InvalidArgumentError, ValueError):
    """Shapes an op cannot combine. As TensorFlow's ``InvalidArgumentError`` its text is the
    kernel's, word for word; ``explanation`` says the same in sizes, for the picture and messages."""

    def __init__(self, message: str, explanation: str) -> None:
        super().__init__(None, None, message)
        self.explanation = explanation


ShapeMismatch.__name__ = ShapeMismatch.__qualname__ = "InvalidArgumentError"   # as TensorFlow names it


def _dims(shape: tuple[int, ...]) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def shape_mismatch(op: str, shapes: list[tuple[int, ...]], explanation: str) -> ShapeMismatch:
    """TensorFlow's error for operands whose shapes do not fit together (matmul's sizes, or
    shapes that do not broadcast), with adviz's ``explanation``."""
    device = "_device_/job:localhost/replica:0/task:0/device:CPU:0}}"
    if op == "matmul":
        a, b = shapes
        if len(a) < 2 or len(b) < 2:
            kernel, words = "__MklMatMul", f"In[{0 if len(a) < 2 else 1}] ndims must be >= 2"
            shown = "MatMul"
        elif len(a) == 2 and len(b) == 2:
            kernel, words, shown = "__MklMatMul", f"Matrix size-incompatible: In[0]: {_dims(a)}, In[1]: {_dims(b)}", "MatMul"
        else:
            kernel, shown = "__MklBatchMatMulV2", "BatchMatMulV2"
            words = f"Matrix size-incompatible: In[0]: {_dims(a)}, In[1]: {_dims(b)} 0 0"
    else:
        kernel = shown = kernel_name(op)
        words = "Incompatible shapes: " + " vs. ".join(_dims(s) for s in shapes)
    return ShapeMismatch(f"{{{{function_node __wrapped__{kernel}{device} {words} [Op:{shown}] name: ",
                         f"{op}: {explanation}")


def kernel_error(kernel: str, message: str, name: str | None = "") -> InvalidArgumentError:
    """TensorFlow's error from a kernel that refused its arguments, word for word: ``message``
    framed by the kernel's name (``[Op:Tile]``) and, unless ``name`` is None, the op's name."""
    tail = "" if name is None else f" name: {name}"
    return InvalidArgumentError(None, None, (
        f"{{{{function_node __wrapped__{kernel}_device_/job:localhost/replica:0/task:0/device:CPU:0}}}} "
        f"{message} [Op:{kernel.split('_N_')[0]}]{tail}"))
