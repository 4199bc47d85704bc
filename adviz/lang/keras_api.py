"""``tf.Module`` and ``tf.keras`` for scripts: the names a script may call, checked before the
engine allocates, and the attributes each of their objects answers.

Constructors taking callables (``activation=``, initializers) are marked ``special="keras"``
so the interpreter can turn the script's own functions into callables first.
"""
from __future__ import annotations

from typing import Any

from ..engine.keras import Dense, Input, KerasVariable, Layer, Model, Sequential, activations, initializers, losses, \
    optimizers
from ..engine.module import Module
from .errors import LangError
from .limits import Budget
from .whitelist import BoundMethod, Namespace, SafeFunction, argument


def _units_check(budget: Budget, args: tuple, kwargs: dict) -> None:
    units = argument(args, kwargs, 0, "units")
    if isinstance(units, int) and not isinstance(units, bool):
        budget.check_elements(units, "the layer's units")


def _input_check(budget: Budget, args: tuple, kwargs: dict) -> None:
    budget.check_shape(argument(args, kwargs, 0, "shape", ()))


def _loss_check(budget: Budget, args: tuple, kwargs: dict) -> None:
    y_true, y_pred = argument(args, kwargs, 0, "y_true"), argument(args, kwargs, 1, "y_pred")
    budget.check_convertible(y_true)
    budget.check_convertible(y_pred)
    budget.check_broadcast(y_true, y_pred)


def _keras(module: str) -> Namespace:
    def f(path: str, fn: Any, check: Any = None, pytype: Any = None, special: str = "keras") -> SafeFunction:
        return SafeFunction(f"{module}.keras.{path}", fn, check, special=special, pytype=pytype)

    layers = Namespace(f"{module}.keras.layers", {
        "Dense": f("layers.Dense", Dense, _units_check, Dense), "Layer": f("layers.Layer", Layer, None, Layer)})
    inits = Namespace(f"{module}.keras.initializers", {
        name: f(f"initializers.{name}", getattr(initializers, name), pytype=getattr(initializers, name))
        for name in ("Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform", "GlorotUniform")})
    opts = Namespace(f"{module}.keras.optimizers", {
        "SGD": f("optimizers.SGD", optimizers.SGD, pytype=optimizers.SGD),
        "Adam": f("optimizers.Adam", optimizers.Adam, pytype=optimizers.Adam)})
    loss_members: dict[str, Any] = {
        name: f(f"losses.{name}", getattr(losses, name), pytype=getattr(losses, name))
        for name in ("MeanSquaredError", "MeanAbsoluteError", "BinaryCrossentropy", "CategoricalCrossentropy",
                     "SparseCategoricalCrossentropy")}
    loss_members.update({
        name: f(f"losses.{name}", getattr(losses, {"mse": "mean_squared_error", "mae": "mean_absolute_error"}.get(
            name, name)), _loss_check, special="")
        for name in ("mse", "mae", "binary_crossentropy", "categorical_crossentropy",
                     "sparse_categorical_crossentropy")})
    acts = Namespace(f"{module}.keras.activations", {
        name: f(f"activations.{name}", fn, special="") for name, fn in activations.BY_NAME.items()})
    return Namespace(f"{module}.keras", {
        "layers": layers, "initializers": inits, "optimizers": opts, "losses": Namespace(f"{module}.keras.losses",
                                                                                         loss_members),
        "activations": acts, "Sequential": f("Sequential", Sequential, pytype=Sequential),
        "Model": f("Model", Model, pytype=Model), "Input": f("Input", Input, _input_check)})


def module_members(module: str) -> dict[str, Any]:
    """What ``tf`` (or ``adviz``) gains: ``Module`` and ``keras``."""
    return {"Module": SafeFunction(f"{module}.Module", Module, special="keras", pytype=Module),
            "keras": _keras(module)}


def _add_weight_check(budget: Budget, args: tuple, kwargs: dict) -> None:
    shape = argument(args, kwargs, 0, "shape")
    if shape is not None:
        budget.check_shape(shape)


_MODULE = ("name", "variables", "trainable_variables", "submodules")
_LAYER = ("name", "built", "trainable", "dtype", "trainable_variables", "trainable_weights", "variables", "weights",
          "non_trainable_variables", "layers")
_DENSE = ("units", "use_bias", "kernel", "bias")
_OPTIMIZER = ("iterations", "learning_rate", "name", "momentum", "beta_1", "beta_2", "epsilon")
# Every attribute name these objects answer (the static check lets them through).
ATTRIBUTE_NAMES = frozenset({*_MODULE, *_LAYER, *_DENSE, *_OPTIMIZER, "add_weight", "add", "build", "call",
                             "apply_gradients", "path"})


def native_attribute(value: Any, name: str) -> Any:
    """An engine object's whitelisted attribute; KeyError if it has none of that name."""
    if isinstance(value, KerasVariable):
        if name == "path":
            return value.path
        if name == "dtype":
            return value.dtype.name        # Keras 3 gives a variable's dtype as a string
        raise KeyError(name)
    if isinstance(value, Module) and name in _MODULE:
        return getattr(value, name)
    if isinstance(value, Layer):
        if isinstance(value, Dense) and name in ("kernel", "bias") and not value.built:
            error = LangError(f"You must build the layer before accessing `{name}`.", kind="name")
            error.cause = AttributeError
            raise error
        if name in _LAYER or (isinstance(value, Dense) and name in _DENSE):
            result = getattr(value, name)
            return list(result) if isinstance(result, list) else result
        if name == "add_weight":
            return BoundMethod(value, name, value.add_weight, _add_weight_check)
        if name == "add" and isinstance(value, Sequential):
            return BoundMethod(value, name, value.add)
        if name == "build":
            return BoundMethod(value, name, lambda input_shape=None: value.run_build(input_shape))
    if isinstance(value, optimizers.Optimizer):
        if name == "apply_gradients":
            return BoundMethod(value, name, value.apply_gradients)
        if name in _OPTIMIZER and hasattr(value, name):
            return getattr(value, name)
    raise KeyError(name)


def native_init(obj: Any) -> Any:
    """``super().__init__`` reaching the engine's class."""
    def init(*args: Any, **kwargs: Any) -> None:
        try:
            obj.initialize(*args, **kwargs)
        except TypeError as exc:      # Python names the engine's method; the script called __init__
            raise TypeError(str(exc).replace(".initialize()", ".__init__()")) from None
    return SafeFunction(f"{obj._class_name}.__init__", init)


def callable_object(value: Any) -> bool:
    """Engine objects a script may call: layers and models, losses and initializers."""
    return isinstance(value, (Layer, losses.Loss, initializers.Initializer))


def check_object_call(budget: Budget, value: Any, args: list[Any], kwargs: dict[str, Any]) -> None:
    budget.tick()
    if isinstance(value, losses.Loss):
        _loss_check(budget, tuple(args), kwargs)
    elif isinstance(value, initializers.Initializer):
        budget.check_shape(argument(tuple(args), kwargs, 0, "shape", ()))
    elif isinstance(value, Layer) and args:
        budget.check_convertible(args[0])


def not_callable(value: Any) -> LangError:
    return LangError(f"{value!r} cannot be called", kind="type")
