"""adviz's autodiff engine: tensors, Variables, GradientTape, ForwardAccumulator and the op table."""
from .api import FUNCTIONS, ones, ones_like, zeros, zeros_like
from .backward import BackwardPass, BackwardStep, run_backward
from .forward import ForwardAccumulator, ForwardPass, ForwardStep, run_forward, tangent_step
from .dtypes import as_dtype, bool_, float16, float32, float64, int32, int64
from .ops import OP_NAMES, OPS, Op
from .recording import Operand, Record
from .tape import GradientTape, TapeCall, UnconnectedGradients, flatten
from .tensor import Tensor, Variable, constant, convert_to_tensor

__all__ = [
    "FUNCTIONS", "OPS", "OP_NAMES", "Op", "BackwardPass", "BackwardStep", "run_backward", "GradientTape",
    "ForwardAccumulator", "ForwardPass", "ForwardStep", "run_forward", "tangent_step",
    "Operand", "Record", "TapeCall", "flatten", "UnconnectedGradients", "Tensor", "Variable", "constant",
    "convert_to_tensor", "ones", "ones_like", "zeros", "zeros_like", "as_dtype", "bool_", "float16",
    "float32", "float64", "int32", "int64",
]
