"""The TensorFlow tutorial, with only its import changed, prints TensorFlow's gradients."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
SCRIPT = SEEDS / "automatic_differentiation.py"
EXPECTED = SEEDS / "automatic_differentiation.tensorflow-output.txt"


def test_tutorial_prints_tensorflows_gradients(tmp_path: Path) -> None:
    if not (SCRIPT.exists() and EXPECTED.exists()):
        pytest.skip(f"{SEEDS} is not beside this checkout")
    source = SCRIPT.read_text(encoding="utf-8")
    assert source.count("import tensorflow as tf\n") == 1
    copy = tmp_path / "automatic_differentiation.py"
    copy.write_text(source.replace("import tensorflow as tf\n", "import adviz as tf\n"), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    run = subprocess.run([sys.executable, str(copy)], capture_output=True, text=True, env=env, timeout=60,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    expected = EXPECTED.read_text(encoding="utf-8")
    assert run.stdout.splitlines() == expected.splitlines()
