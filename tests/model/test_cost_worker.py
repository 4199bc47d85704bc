"""The cost view's Jacobians built in the worker process that runs user code."""
import math

import numpy as np
import pytest

from adviz.model import Document, VariableSpec
from adviz.model.cost import CostError
from adviz.model.isolation import shared


def test_the_worker_builds_the_closed_form_jacobian_and_says_why_not():
    x, y = 0.5, -1.5
    doc = Document(text="f = x*y\ng = sin(x)", variables=[VariableSpec("x", str(x)), VariableSpec("y", str(y))])
    view = shared().cost(doc)
    np.testing.assert_allclose(view.result.reverse, [[y, x], [math.cos(x), 0.0]], rtol=1e-12)
    assert view.equal
    with pytest.raises(CostError, match="typed functions"):
        shared().cost(Document(text="import tensorflow as tf\nx = tf.Variable(1.0)\n"))
