"""Gradient cases of the library's rows (math_ops, array_ops): test_ops and test_forward check
each against central finite differences, twice, and forward against reverse."""
from __future__ import annotations

import numpy as np

from .cases import REDUCE_ATTRS, Case, anywhere, away_from_zero, binary, positive


def inside_unit(rng, shape):
    # asin and acos are smooth on (−1, 1).
    return rng.uniform(-0.9, 0.9, shape)


def off_relu6_kinks(*xs):
    return all(np.min(np.abs(x)) > 0.05 and np.min(np.abs(x - 6)) > 0.05 for x in xs)


def wide(rng, shape):
    return rng.uniform(-2.0, 8.0, shape)


COND = np.array([[True, False, True], [False, False, True]])

LIBRARY_CASES: dict[str, list[Case]] = {
    "log1p": [Case(((2, 3),), (positive,))],
    "expm1": [Case(((2, 3),))],
    "rsqrt": [Case(((2, 3),), (positive,))],
    "reciprocal": [Case(((2, 3),), (away_from_zero,))],
    "sign": [Case(((2, 3),), (away_from_zero,))],
    "atan": [Case(((2, 3),))],
    "asin": [Case(((2, 3),), (inside_unit,))],
    "acos": [Case(((2, 3),), (inside_unit,))],
    "sinh": [Case(((2, 3),))],
    "cosh": [Case(((2, 3),))],
    "softplus": [Case(((2, 3),)), Case(((),))],
    "elu": [Case(((2, 3),), (away_from_zero,))],
    "relu6": [Case(((2, 4),), (wide,), valid=off_relu6_kinks)],
    "leaky_relu": [Case(((2, 3),), (away_from_zero,)), Case(((4,),), (away_from_zero,), attrs={"alpha": 0.1})],
    "squared_difference": binary(),
    "divide_no_nan": binary((anywhere, away_from_zero)),
    "reduce_min": [Case(((2, 3, 4),), attrs=a) for a in REDUCE_ATTRS],
    "reduce_prod": [Case(((2, 3, 4),), attrs=a) for a in REDUCE_ATTRS],
    "softmax": [Case(((2, 3),)), Case(((2, 3),), attrs={"axis": 0}), Case(((4,),)),
                Case(((2, 3, 4),), attrs={"axis": 1})],
    "log_softmax": [Case(((2, 3),)), Case(((2, 3),), attrs={"axis": 0}), Case(((4,),)),
                    Case(((2, 3, 4),), attrs={"axis": 1})],
    "concat": [Case(((2, 3), (2, 2)), attrs={"axis": 1}), Case(((2, 3), (1, 3)), attrs={"axis": 0}),
               Case(((3,), (2,))), Case(((2, 1, 2), (2, 3, 2)), attrs={"axis": -2})],
    "tile": [Case(((2, 3),), attrs={"multiples": (2, 1)}), Case(((3,),), attrs={"multiples": [3]}),
             Case(((2, 1, 3),), attrs={"multiples": (1, 2, 2)})],
    "gather": [Case(((4, 3),), attrs={"indices": [2, 0, 2]}),
               Case(((4, 3),), attrs={"indices": [[1, 0], [2, 2]], "axis": 1}),
               Case(((4, 3),), attrs={"indices": 1}),
               Case(((2, 4, 3),), attrs={"indices": [3, 3, 0], "axis": 1})],
    "gather_grad": [Case(((3, 3),), attrs={"shape": (4, 3), "indices": np.array([2, 0, 2]), "axis": 0}),
                    Case(((4, 2, 2),), attrs={"shape": (4, 3), "indices": np.array([[1, 0], [2, 2]]), "axis": 1})],
    "where": [Case(((2, 3), (2, 3)), attrs={"condition": COND}),
              Case(((3, 1), (3,)), attrs={"condition": COND[:1]}),
              Case(((), (3,)), attrs={"condition": [True, False, True]}),
              Case(((3,), (3,)), attrs={"condition": COND})],
    "einsum": [Case(((2, 3), (3, 4)), attrs={"equation": "ij,jk->ik"}),
               Case(((3,), (3,)), attrs={"equation": "i,i->"}),
               Case(((2, 2, 3), (2, 3, 4)), attrs={"equation": "bij,bjk->bik"}),
               Case(((2, 3), (4, 3)), attrs={"equation": "ij,kj->ik"}),
               Case(((3,), (4,)), attrs={"equation": "i,j->ij"})],
}
