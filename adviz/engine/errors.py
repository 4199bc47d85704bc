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


def kernel_error(kernel: str, message: str, name: str | None = "") -> InvalidArgumentError:
    """TensorFlow's error from a kernel that refused its arguments, word for word: ``message``
    framed by the kernel's name (``[Op:Tile]``) and, unless ``name`` is None, the op's name."""
    tail = "" if name is None else f" name: {name}"
    return InvalidArgumentError(None, None, (
        f"{{{{function_node __wrapped__{kernel}_device_/job:localhost/replica:0/task:0/device:CPU:0}}}} "
        f"{message} [Op:{kernel.split('_N_')[0]}]{tail}"))
