"""Test settings shared by the whole suite: Qt offscreen, a fixed hypothesis profile."""
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    """The folder of seed scripts beside the checkout; the test is skipped when it is absent."""
    if not (SEEDS / "automatic_differentiation.py").exists():
        pytest.skip("../shared/seeds is not beside this checkout")
    return SEEDS
