"""The safe input language: function texts and tape scripts, parsed with ``ast`` and
interpreted from a whitelist. Nothing here ever reaches ``eval``, ``exec`` or ``compile``.

- :func:`parse_functions` / :func:`run_functions`: the app's function box
  (``u = x*y`` then ``f = sin(u) + x**2``), run on one GradientTape.
- :func:`parse_script` / :func:`run_script`: GradientTape tutorials written for TensorFlow.

Both runs return a :class:`Trace`; every failure is a :class:`LangError` with a line and column.
"""
from .errors import LangError
from .functions import CONSTANTS, FUNCTION_NAMES, KNOWN_NAMES, Declaration, FunctionProgram, parse_functions, run_functions
from .limits import Limits
from .script import Script, parse_script, run_script
from .trace import Cell, GradientCall, PrintedLine, TapeInfo, Trace

__all__ = [
    "LangError", "Limits", "parse_functions", "run_functions", "Declaration", "parse_script", "run_script",
    "Trace", "TapeInfo", "GradientCall", "Cell", "PrintedLine", "FunctionProgram", "Script",
    "FUNCTION_NAMES", "CONSTANTS", "KNOWN_NAMES",
]
