"""The package as a user meets it: a fast, Qt-free ``import adviz`` and a working command."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, sys, time
start = time.perf_counter()
import adviz, adviz.lang, adviz.graph
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "qt": sorted(m for m in sys.modules if m.split(".")[0] == "PySide6")}))
"""


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))


def test_import_is_fast_and_loads_no_qt() -> None:
    # The best of three fresh interpreters: the first may still be writing bytecode caches.
    reports = []
    for _ in range(3):
        run = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=_env(), cwd=ROOT,
                             timeout=60)
        assert run.returncode == 0, run.stderr
        reports.append(json.loads(run.stdout.strip().splitlines()[-1]))
    assert all(r["qt"] == [] for r in reports), f"importing adviz loaded Qt: {reports[0]['qt']}"
    seconds = min(r["seconds"] for r in reports)
    assert seconds < 1.0, f"import adviz, adviz.lang, adviz.graph took {seconds:.2f} s"


def test_python_m_adviz_help() -> None:
    run = subprocess.run([sys.executable, "-m", "adviz", "--help"], capture_output=True, text=True, env=_env(),
                         cwd=ROOT, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("usage: adviz")
    assert "--screenshot" in run.stdout


def test_version_and_tensorflow_spellings() -> None:
    import adviz
    version = next(line.split('"')[1] for line in (ROOT / "pyproject.toml").read_text().splitlines()
                   if line.startswith("version"))
    assert adviz.__version__ == version
    assert adviz.bool is adviz.bool_ and adviz.float32.name == "float32"
