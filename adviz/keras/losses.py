"""``adviz.keras.losses``: loss objects and TensorFlow's per-sample function names."""
from ..engine.keras.losses import (BinaryCrossentropy, CategoricalCrossentropy, MeanAbsoluteError, MeanSquaredError,
                                   SparseCategoricalCrossentropy, binary_crossentropy, categorical_crossentropy,
                                   sparse_categorical_crossentropy)
from ..engine.keras.losses import mean_absolute_error as mae
from ..engine.keras.losses import mean_squared_error as mse

__all__ = ["BinaryCrossentropy", "CategoricalCrossentropy", "MeanAbsoluteError", "MeanSquaredError",
           "SparseCategoricalCrossentropy", "binary_crossentropy", "categorical_crossentropy", "mae", "mse",
           "sparse_categorical_crossentropy"]
