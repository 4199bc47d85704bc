"""The parity corpus: tape scripts whose standard output under adviz is byte-identical to what
real TensorFlow 2.21 printed for them (stored in ``expected/`` by ``make_reference.py``).

A script may say ``# parity: random lines A-B`` (output lines, counted from 1): those lines hold
random values, which adviz's generator cannot reproduce, and are compared with every number
replaced by ``#``: the shape, the dtype and the layout must still be TensorFlow's.

``# parity: last digit lines A-B`` marks lines whose float32 values come from TensorFlow's
vectorised ``tanh`` (an Eigen rational approximation, not correctly rounded: it differs from the
correctly rounded result in the last place for about two inputs in three); adviz prints correctly
rounded values, so those lines must agree in layout and within one unit in the last place.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from adviz.lang import run_script

HERE = Path(__file__).resolve().parent
SCRIPTS = sorted((HERE / "scripts").glob("*.py"))
_RANDOM = re.compile(r"#\s*parity:\s*random lines\s+(\d+)(?:-(\d+))?")
_LAST_DIGIT = re.compile(r"#\s*parity:\s*last digit lines\s+(\d+)(?:-(\d+))?")
_NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e[+-]?\d+)?")


def _random_lines(text: str, marker: re.Pattern[str] = _RANDOM) -> set[int]:
    lines: set[int] = set()
    for match in marker.finditer(text):
        first = int(match.group(1))
        lines.update(range(first, int(match.group(2) or first) + 1))
    return lines


def _numbers_hidden(line: str) -> str:
    return re.sub(r"\s+", " ", _NUMBER.sub("#", line)).replace("[ ", "[").replace(" ]", "]")


def _within_one_ulp(ours: str, theirs: str) -> bool:
    a, b = _NUMBER.findall(ours), _NUMBER.findall(theirs)
    if len(a) != len(b) or _numbers_hidden(ours) != _numbers_hidden(theirs):
        return False
    x, y = np.array(a, dtype=np.float32), np.array(b, dtype=np.float32)
    return bool(np.all(np.abs(x - y) <= np.spacing(np.maximum(np.abs(x), np.abs(y)))))


def comparable(output: str, random: set[int]) -> list[str]:
    return [_numbers_hidden(line) if number in random else line
            for number, line in enumerate(output.split("\n"), start=1)]


def test_the_corpus_is_complete() -> None:
    assert len(SCRIPTS) >= 60
    missing = [s.stem for s in SCRIPTS if not (HERE / "expected" / f"{s.stem}.out").is_file()]
    assert not missing


@pytest.mark.parametrize("module", ["tensorflow", "adviz"])
@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_output_is_tensorflows(script: Path, module: str) -> None:
    text = script.read_text()
    if module == "adviz":
        text = text.replace("import tensorflow as tf", "import adviz as tf")
    expected = (HERE / "expected" / f"{script.stem}.out").read_text()
    trace = run_script(text)
    if trace.error is not None:
        pytest.fail(f"{script.name}:{trace.error.line}:{trace.error.col}: {trace.error.message}", pytrace=False)
    random = _random_lines(text)
    ours, theirs = comparable(trace.output, random), comparable(expected, random)
    for number in _random_lines(text, _LAST_DIGIT):
        if number <= min(len(ours), len(theirs)) and _within_one_ulp(ours[number - 1], theirs[number - 1]):
            ours[number - 1] = theirs[number - 1]
    assert "\n".join(ours) == "\n".join(theirs)
