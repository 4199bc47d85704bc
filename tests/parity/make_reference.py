"""Store what real TensorFlow prints for every script of the parity corpus.

Run once, by hand, whenever a script is added or changed::

    python tests/parity/make_reference.py            # makes a throwaway venv with tensorflow-cpu
    python tests/parity/make_reference.py --python /path/to/venv/bin/python   # reuse one

Each ``scripts/NAME.py`` is run by real Python with ``tensorflow-cpu`` installed, and its standard
output is written to ``expected/NAME.out``. TensorFlow is never a dependency of adviz or of its
tests: ``test_parity.py`` compares adviz's output with these stored files.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
TENSORFLOW = "tensorflow-cpu==2.21.0"


def throwaway_python(folder: Path) -> Path:
    """A new virtual environment in ``folder`` with TensorFlow installed; its python."""
    venv.EnvBuilder(with_pip=True).create(folder)
    python = folder / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", TENSORFLOW], check=True)
    return python


def record(python: Path, names: list[str]) -> int:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0", CUDA_VISIBLE_DEVICES="")
    failed = 0
    scripts = sorted((HERE / "scripts").glob("*.py"))
    for script in scripts:
        if names and script.stem not in names:
            continue
        with tempfile.TemporaryDirectory() as cwd:
            done = subprocess.run([str(python), str(script)], cwd=cwd, env=env, capture_output=True, timeout=300)
        if done.returncode != 0:
            failed += 1
            print(f"{script.stem}: exit {done.returncode}\n{done.stderr.decode()[-2000:]}", file=sys.stderr)
            continue
        (HERE / "expected" / f"{script.stem}.out").write_bytes(done.stdout)
        print(f"{script.stem}: {len(done.stdout.splitlines())} lines")
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", type=Path, help="a python that already has tensorflow-cpu installed")
    parser.add_argument("names", nargs="*", help="only these scripts (file names without .py)")
    args = parser.parse_args()
    (HERE / "expected").mkdir(exist_ok=True)
    if args.python:
        return 1 if record(args.python, args.names) else 0
    with tempfile.TemporaryDirectory() as folder:
        return 1 if record(throwaway_python(Path(folder)), args.names) else 0


if __name__ == "__main__":
    sys.exit(main())
