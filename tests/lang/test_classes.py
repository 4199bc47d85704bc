"""Classes in tape scripts: methods, super(), attributes, tf.Module's walk, and the sandbox
around them. Expected outputs were printed by TensorFlow 2.21 running the same scripts."""
import re

import pytest

from adviz.lang import LangError, Limits, parse_script, run_script

from .scripts import error, run

MODULES_SCRIPT = 'import tensorflow as tf\nclass Counter:\n    """Counts."""\n    start = 10\n    def __init__(self, step=1):\n        self.n = self.start\n        self.step = step\n    def tick(self):\n        self.n += self.step\n        return self.n\nc = Counter(step=2)\nprint(c.tick(), c.tick(), Counter.start, c.n)\nclass Base:\n    def __init__(self, a):\n        self.a = a\n    def describe(self):\n        return "base " + str(self.a)\nclass Child(Base):\n    def __init__(self, a, b):\n        super().__init__(a)\n        self.b = b\n    def describe(self):\n        return super().describe() + " child " + str(self.b)\nprint(Child(1, 2).describe())\nclass Linear(tf.Module):\n    def __init__(self, name=None):\n        super().__init__(name=name)\n        self.w = tf.Variable(2.0, name="w")\n        self.b = tf.Variable(1.0, name="b")\n    def __call__(self, x):\n        return self.w * x + self.b\nclass Stack(tf.Module):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.layers = {"second": Linear(), "first": Linear(name="custom")}\n    def __call__(self, x):\n        return self.layers["second"](self.layers["first"](x))\ns = Stack(name="stack")\nx = tf.constant(3.0)\nwith tf.GradientTape() as tape:\n    y = s(x)\nprint(y)\nprint(s.name, [m.name for m in s.submodules])\nprint(s.trainable_variables)\nprint(tape.gradient(y, s.trainable_variables))\nprint(Linear().name)\nclass MyDenseLayer(tf.Module):\n    pass\nprint(MyDenseLayer().name)\n'

# What TensorFlow 2.21 prints for MODULES_SCRIPT.
MODULES_OUTPUT = "12 14 10 14\nbase 1 child 2\ntf.Tensor(15.0, shape=(), dtype=float32)\nstack ['custom', 'linear']\n(<tf.Variable 'b:0' shape=() dtype=float32, numpy=1.0>, <tf.Variable 'w:0' shape=() dtype=float32, numpy=2.0>, <tf.Variable 'b:0' shape=() dtype=float32, numpy=1.0>, <tf.Variable 'w:0' shape=() dtype=float32, numpy=2.0>)\n(<tf.Tensor: shape=(), dtype=float32, numpy=2.0>, <tf.Tensor: shape=(), dtype=float32, numpy=6.0>, <tf.Tensor: shape=(), dtype=float32, numpy=1.0>, <tf.Tensor: shape=(), dtype=float32, numpy=7.0>)\nlinear\nmy_dense_layer\n"

KERAS_CLASSES_SCRIPT = 'import tensorflow as tf\n\nclass MyDense(tf.keras.layers.Layer):\n    def __init__(self, units, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones", trainable=True)\n        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")\n    def call(self, inputs):\n        return tf.matmul(inputs, self.w) + self.b\n\nclass MyModel(tf.keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d1 = tf.keras.layers.Dense(2, kernel_initializer=\'ones\', activation=\'relu\')\n        self.d2 = MyDense(1)\n    def call(self, x):\n        return self.d2(self.d1(x))\n\nm = MyModel()\nprint(m.name)\nx = tf.constant([[1.0, -2.0]])\nprint(m(x))\nprint(m.trainable_variables)\nprint(m.d2.w)\nprint(m.layers)\nprint(len(m.variables))\nl = MyDense(3, name="custom")\nprint(l.name, l.built)\nl(x)\nprint(l.trainable_variables)\nprint(l.w.name)\nopt = tf.keras.optimizers.Adam(learning_rate=0.1)\nwith tf.GradientTape() as tape:\n    loss = tf.reduce_sum(m(x))\ng = tape.gradient(loss, m.trainable_variables)\nopt.apply_gradients(zip(g, m.trainable_variables))\nprint(m.trainable_variables)\n\nclass Mod(tf.Module):\n    def __init__(self):\n        super().__init__()\n        self.z = tf.Variable(1.0, name="z")\n        self.a = tf.Variable(2.0, name="a", trainable=False)\n        self.sub = Sub()\n        self.lst = [tf.Variable(3.0, name="l0"), Sub()]\n    def __call__(self, x):\n        return x * self.z\n\nclass Sub(tf.Module):\n    def __init__(self):\n        super().__init__()\n        self.v = tf.Variable(5.0, name="v")\n\nmm = Mod()\nprint(mm.variables)\nprint(mm.trainable_variables)\nprint(mm(tf.constant(2.0)))\nprint(mm.name, mm.sub.name)\n'

# What TensorFlow 2.21 (Keras 3) prints for KERAS_CLASSES_SCRIPT.
KERAS_CLASSES_OUTPUT = "my_model\ntf.Tensor([[0.]], shape=(1, 1), dtype=float32)\n[<Variable path=my_model/dense/kernel, shape=(2, 2), dtype=float32, value=[[1. 1.]\n [1. 1.]]>, <Variable path=my_model/dense/bias, shape=(2,), dtype=float32, value=[0. 0.]>, <Variable path=my_model/my_dense/variable, shape=(2, 1), dtype=float32, value=[[1.]\n [1.]]>, <Variable path=my_model/my_dense/bias, shape=(1,), dtype=float32, value=[0.]>]\n<Variable path=my_model/my_dense/variable, shape=(2, 1), dtype=float32, value=[[1.]\n [1.]]>\n[<Dense name=dense, built=True>, <MyDense name=my_dense, built=True>]\n4\ncustom False\n[<Variable path=custom/variable_1, shape=(2, 3), dtype=float32, value=[[1. 1. 1.]\n [1. 1. 1.]]>, <Variable path=custom/bias, shape=(3,), dtype=float32, value=[0. 0. 0.]>]\nvariable_1\n[<Variable path=my_model/dense/kernel, shape=(2, 2), dtype=float32, value=[[1. 1.]\n [1. 1.]]>, <Variable path=my_model/dense/bias, shape=(2,), dtype=float32, value=[0. 0.]>, <Variable path=my_model/my_dense/variable, shape=(2, 1), dtype=float32, value=[[1.]\n [1.]]>, <Variable path=my_model/my_dense/bias, shape=(1,), dtype=float32, value=[-0.09999901]>]\n(<tf.Variable 'a:0' shape=() dtype=float32, numpy=2.0>, <tf.Variable 'l0:0' shape=() dtype=float32, numpy=3.0>, <tf.Variable 'z:0' shape=() dtype=float32, numpy=1.0>, <tf.Variable 'v:0' shape=() dtype=float32, numpy=5.0>, <tf.Variable 'v:0' shape=() dtype=float32, numpy=5.0>)\n(<tf.Variable 'l0:0' shape=() dtype=float32, numpy=3.0>, <tf.Variable 'z:0' shape=() dtype=float32, numpy=1.0>, <tf.Variable 'v:0' shape=() dtype=float32, numpy=5.0>, <tf.Variable 'v:0' shape=() dtype=float32, numpy=5.0>)\ntf.Tensor(2.0, shape=(), dtype=float32)\nmod sub\n"


def test_classes_and_modules_print_what_tensorflow_prints():
    assert run(MODULES_SCRIPT) == MODULES_OUTPUT


def test_keras_layer_and_model_subclasses_print_what_tensorflow_prints():
    assert run(KERAS_CLASSES_SCRIPT) == KERAS_CLASSES_OUTPUT


def test_a_module_prints_like_python_with_an_address_fixed_for_the_run():
    text = "import tensorflow as tf\nclass Net(tf.Module):\n    pass\nprint(Net())\nprint(Net(name='other'))\n"
    out = run(text)
    assert re.fullmatch(r"<__main__\.Net object at 0x[0-9a-f]+>\n<__main__\.Net object at 0x[0-9a-f]+>\n", out)
    assert run(text) == out
    assert len(set(out.splitlines())) == 2


def test_module_gradients_match_the_closed_form():
    # y = w·x² + b: dy/dw = x², dy/db = 1 at x = 3
    out = run("import tensorflow as tf\n"
              "class Quad(tf.Module):\n"
              "    def __init__(self):\n"
              "        super().__init__()\n"
              "        self.w = tf.Variable(0.5, dtype=tf.float64)\n"
              "        self.b = tf.Variable(2.0, dtype=tf.float64)\n"
              "    def __call__(self, x):\n"
              "        return self.w * x ** 2 + self.b\n"
              "q = Quad()\n"
              "with tf.GradientTape() as tape:\n"
              "    y = q(tf.constant(3.0, dtype=tf.float64))\n"
              "db, dw = tape.gradient(y, q.trainable_variables)\n"
              "print(float(dw), float(db), float(y))\n")
    assert out == "9.0 1.0 6.5\n"


def test_variables_are_walked_in_tensorflows_order():
    out = run("import tensorflow as tf\n"
              "class Leaf(tf.Module):\n"
              "    def __init__(self, v):\n"
              "        super().__init__()\n"
              "        self.v = tf.Variable(v)\n"
              "class Tree(tf.Module):\n"
              "    def __init__(self):\n"
              "        super().__init__()\n"
              "        self.z = tf.Variable(1.0)\n"
              "        self.frozen = tf.Variable(2.0, trainable=False)\n"
              "        self.kids = [Leaf(3.0), (tf.Variable(4.0), {'b': Leaf(5.0), 'a': tf.Variable(6.0)})]\n"
              "t = Tree()\n"
              "print([float(v) for v in t.variables])\n"
              "print([float(v) for v in t.trainable_variables])\n"
              "print(len(t.submodules))\n")
    # own leaves first, attributes and dict keys sorted: frozen, kids..., z; then the submodules
    assert out == "[2.0, 4.0, 6.0, 1.0, 3.0, 5.0]\n[4.0, 6.0, 1.0, 3.0, 5.0]\n2\n"


def test_inheritance_super_and_class_attributes():
    out = run("class A:\n"
              "    kind = 'a'\n"
              "    def __init__(self, x):\n"
              "        self.x = x\n"
              "    def show(self):\n"
              "        return self.kind + str(self.x)\n"
              "class B(A):\n"
              "    kind = 'b'\n"
              "    kinds = kind * 2\n"
              "    def show(self):\n"
              "        return 'B:' + super().show()\n"
              "b = B(3)\n"
              "b.x += 1\n"
              "print(b.show(), A(1).show(), B.kind, b.kinds)\n")
    assert out == "B:b4 a1 b bb\n"


def test_keyword_arguments_pass_on_through_double_star():
    out = run("def f(a, **rest):\n    return [a, rest]\nprint(f(1, b=2, **{'c': 3}))\n")
    assert out == "[1, {'b': 2, 'c': 3}]\n"
    assert "** takes a dict" in error("def f(**k):\n    return k\nf(**[1])\n").message
    assert error("def f(**k):\n    return k\nf(**{'__class__': 1})\n").kind == "name"
    assert "multiple values" in error("def f(**k):\n    return k\nf(a=1, **{'a': 2})\n").message


def test_mistakes_are_located_errors():
    assert "'A' object has no attribute 'x'" in error("class A:\n    pass\nb = A()\nb.x = 1\nA().x\n").message
    assert "takes no arguments" in error("class A:\n    pass\nA(1)\n").message
    assert "not callable" in error("class A:\n    pass\nA()()\n").message
    assert error("class A:\n    def m(self, x):\n        return x\nA().m()\n").kind == "type"
    message = error("class A(1):\n    pass\n").message
    assert "tf.Module" in message
    assert "at most one base" in error("class A:\n    pass\nclass B(A, A):\n    pass\n").message
    assert "methods (def)" in error("class A:\n    for i in range(3):\n        pass\n").message
    assert "first parameter" in error("class A:\n    def m():\n        pass\n").message
    assert "@staticmethod" in error("class A:\n    @staticmethod\n    def m(x):\n        pass\n").message
    assert "@sorted" in error("class A:\n    @sorted\n    def m(self):\n        pass\n").message
    assert "@classmethod" in error("class A:\n    @classmethod\n    def m(cls):\n        return 1\n").message
    assert "no setter" in error("class A:\n    @property\n    def m(self):\n        return 1\nA().m = 2\n").message
    assert "super()" in error("def f():\n    return super()\nf()\n").message
    assert "super" in error("class A:\n    def m(self):\n        return super(A, self)\nA().m()\n").message
    assert "super()" in error("class A:\n    def m(self):\n        f = lambda: super()\n        return f()\nA().m()\n").message
    assert "Module.__init__()" in error("import tensorflow as tf\nclass M(tf.Module):\n    pass\nM(1, 2)\n").message


def test_attributes_of_other_values_cannot_be_set():
    assert "cannot be set" in error("import tensorflow as tf\nx = tf.constant(1.0)\nx.foo = 1\n").message
    assert "cannot be changed" in error("import tensorflow as tf\ntf.foo = 1\n").message
    assert "cannot be set" in error("import tensorflow as tf\nm = tf\nm.foo = 1\n").message
    assert "can't set attribute" in error("import tensorflow as tf\nd = tf.keras.layers.Dense(1)\n"
                                          "d.kernel = 1\n").message
    assert "can't set attribute" in error(
        "import tensorflow as tf\nclass M(tf.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.name = 'x'\nM()\n").message


def test_recursion_through_methods_is_bounded():
    e = error("class A:\n    def f(self, n):\n        return self.f(n + 1)\nA().f(0)\n")
    assert e.kind == "limit"
    e = error("import tensorflow as tf\n"
              "class L(tf.keras.layers.Layer):\n"
              "    def call(self, x):\n"
              "        return self(x)\n"
              "L()(tf.constant([1.0]))\n")
    assert e.kind == "limit"


def test_making_instances_counts_against_the_run():
    e = error("class A:\n    pass\nwhile True:\n    A()\n", limits=Limits(max_ops=5_000))
    assert e.kind == "limit"


# Each reaches for Python's internals through a class: refused before anything runs.
HOSTILE = {
    "instance dict": "class A:\n    pass\nA().__dict__",
    "instance class": "class A:\n    pass\nA().__class__",
    "class dict": "class A:\n    pass\nA.__dict__",
    "class bases": "class A:\n    pass\nA.__bases__",
    "subclasses": "class A:\n    pass\nA.__subclasses__()",
    "method globals": "class A:\n    def m(self):\n        pass\nA().m.__globals__",
    "method func": "class A:\n    def m(self):\n        pass\nA().m.__func__",
    "init read from outside": "class A:\n    def __init__(self):\n        pass\nA.__init__",
    "init read from self": "class A:\n    def __init__(self):\n        self.f = self.__init__",
    "super's init globals": "class A:\n    def __init__(self):\n        super().__init__.__globals__",
    "super's class": "class A:\n    def m(self):\n        return super().__class__",
    "super's self": "class A:\n    def m(self):\n        return super().__self__",
    "super as a value": "class A:\n    def m(self):\n        s = super\n        return s()",
    "metaclass": "class M:\n    pass\nclass A(metaclass=M):\n    pass",
    "object base": "class A(object):\n    pass",
    "getattr": "class A:\n    pass\ngetattr(A(), 'x')",
    "setattr": "class A:\n    pass\nsetattr(A(), 'x', 1)",
    "vars": "class A:\n    pass\nvars(A())",
    "dunder method": "class A:\n    def __getattr__(self, name):\n        return 1",
    "dunder property": "class A:\n    @property\n    def __class__(self):\n        return 1",
    "dunder class attribute": "class A:\n    __slots__ = ()",
    "dunder instance attribute": "class A:\n    def __init__(self):\n        self.__x = 1",
    "dunder set from outside": "class A:\n    pass\na = A()\na.__class__ = A",
    "init outside a class": "def __init__(self):\n    pass",
    "call outside a class": "def __call__(self):\n    pass",
    "dunder class name": "class __A:\n    pass",
    "private engine state": "import tensorflow as tf\nm = tf.Module()\nm._attrs",
    "private script state": "class A:\n    pass\nA()._class",
    "layer hook": "import tensorflow as tf\nd = tf.keras.layers.Dense(1)\nd._script",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_reaching_python_internals_through_classes_is_refused_before_running(text):
    trace = run_script("print('ran')\n" + text)
    assert isinstance(trace.error, LangError)
    assert trace.printed == []
    assert trace.error.kind in ("name", "syntax")
    with pytest.raises(LangError):
        parse_script(text)


def test_a_script_may_use_its_own_single_underscore_attributes():
    out = run("class A:\n    def __init__(self):\n        self._n = 1\n    def n(self):\n        return self._n\n"
              "print(A().n(), A()._n)\n")
    assert out == "1 1\n"


def test_structures_that_hold_themselves_are_walked_once():
    out = run("import tensorflow as tf\n"
              "class A(tf.keras.layers.Layer):\n"
              "    def build(self, shape):\n"
              "        self.w = self.add_weight(shape=(), initializer='ones')\n"
              "    def call(self, x):\n"
              "        return x * self.w\n"
              "a, b = A(), A()\n"
              "a.other = b\n"
              "b.other = a\n"
              "a(1.0)\n"
              "b(1.0)\n"
              "print(len(a.trainable_variables), len(b.trainable_variables))\n"
              "a.trainable = False\n"
              "print(len(a.trainable_variables), len(b.trainable_variables))\n"
              "class M(tf.Module):\n"
              "    pass\n"
              "m = M()\n"
              "m.me = m\n"
              "m.v = [tf.Variable(1.0)]\n"
              "print(len(m.variables))\n")
    assert out == "2 2\n0 0\n1\n"


def test_isinstance_knows_script_classes_and_their_bases():
    out = run("import tensorflow as tf\n"
              "class A:\n    pass\n"
              "class B(A):\n    pass\n"
              "class L(tf.keras.layers.Layer):\n    pass\n"
              "print(isinstance(B(), A), isinstance(A(), B), isinstance(1, A), isinstance(B(), (int, A)))\n"
              "print(isinstance(L(), tf.keras.layers.Layer), isinstance(L(), L), isinstance(L(), tf.Module))\n")
    assert out == "True False False True\nTrue True False\n"


def test_engine_state_stays_out_of_reach_when_a_script_uses_the_same_names():
    for text in ("import tensorflow as tf\nclass A:\n    def __init__(self):\n        self._script = 1\n"
                 "tf.keras.layers.Dense(1)._script\n",
                 "import tensorflow as tf\nclass A:\n    def __init__(self):\n        self._attrs = 1\n"
                 "tf.Module()._attrs\n",
                 "import tensorflow as tf\nclass A:\n    def __init__(self):\n        self._value = 1\n"
                 "tf.Variable(1.0)._value\n"):
        e = error(text)
        assert e.kind == "name" and e.line == 5 and "'_'" in e.message


# TensorFlow's guide "Introduction to modules, layers, and models" and "Basic training loops"
# (tf.random.normal replaced by tf.ones so that the values are TensorFlow's).
TUTORIAL_SCRIPT = 'import tensorflow as tf\n\nclass SimpleModule(tf.Module):\n  def __init__(self, name=None):\n    super().__init__(name=name)\n    self.a_variable = tf.Variable(5.0, name="train_me")\n    self.non_trainable_variable = tf.Variable(5.0, trainable=False, name="do_not_train_me")\n  def __call__(self, x):\n    return self.a_variable * x + self.non_trainable_variable\n\nsimple_module = SimpleModule(name="simple")\nprint(simple_module(tf.constant(5.0)))\nprint("trainable variables:", simple_module.trainable_variables)\nprint("all variables:", simple_module.variables)\n\nclass Dense(tf.Module):\n  def __init__(self, in_features, out_features, name=None):\n    super().__init__(name=name)\n    self.w = tf.Variable(tf.ones([in_features, out_features]), name=\'w\')\n    self.b = tf.Variable(tf.zeros([out_features]), name=\'b\')\n  def __call__(self, x):\n    y = tf.matmul(x, self.w) + self.b\n    return tf.nn.relu(y)\n\nclass SequentialModule(tf.Module):\n  def __init__(self, name=None):\n    super().__init__(name=name)\n    self.dense_1 = Dense(in_features=3, out_features=3)\n    self.dense_2 = Dense(in_features=3, out_features=2)\n  def __call__(self, x):\n    x = self.dense_1(x)\n    return self.dense_2(x)\n\nmy_model = SequentialModule(name="the_model")\nprint("Model results:", my_model(tf.constant([[2.0, 2.0, 2.0]])))\nprint("Submodules:", my_model.submodules)\nfor var in my_model.variables:\n  print(var, "\\n")\n\nclass MyModel(tf.Module):\n  def __init__(self, **kwargs):\n    super().__init__(**kwargs)\n    self.w = tf.Variable(5.0)\n    self.b = tf.Variable(0.0)\n  def __call__(self, x):\n    return self.w * x + self.b\n\nmodel = MyModel()\nprint("Variables:", model.variables)\n\ndef loss(target_y, predicted_y):\n  return tf.reduce_mean(tf.square(target_y - predicted_y))\n\nx = tf.constant([1.0, 2.0, 3.0, 4.0])\ny = x * 3.0 + 2.0\n\ndef train(model, x, y, learning_rate):\n  with tf.GradientTape() as t:\n    current_loss = loss(y, model(x))\n  dw, db = t.gradient(current_loss, [model.w, model.b])\n  model.w.assign_sub(learning_rate * dw)\n  model.b.assign_sub(learning_rate * db)\n\nfor epoch in range(10):\n  train(model, x, y, learning_rate=0.1)\n  print(f"Epoch {epoch:2d}: W={model.w.numpy():1.2f} b={model.b.numpy():1.2f}, loss={loss(y, model(x)):2.5f}")\n\nclass MyModelKeras(tf.keras.Model):\n  def __init__(self, **kwargs):\n    super().__init__(**kwargs)\n    self.w = tf.Variable(5.0)\n    self.b = tf.Variable(0.0)\n  def call(self, x):\n    return self.w * x + self.b\n\nkeras_model = MyModelKeras()\nprint(keras_model(x))\nprint(keras_model.trainable_variables, keras_model.name)\n\nclass FlexibleDense(tf.keras.layers.Layer):\n  def __init__(self, out_features, **kwargs):\n    super().__init__(**kwargs)\n    self.out_features = out_features\n  def build(self, input_shape):\n    self.w = tf.Variable(tf.ones([input_shape[-1], self.out_features]), name=\'w\')\n    self.b = tf.Variable(tf.zeros([self.out_features]), name=\'b\')\n  def call(self, inputs):\n    return tf.matmul(inputs, self.w) + self.b\n\nflexible_dense = FlexibleDense(out_features=3)\nprint(flexible_dense.variables)\nprint("Model results:", flexible_dense(tf.constant([[2.0, 2.0, 2.0], [3.0, 3.0, 3.0]])))\nprint(flexible_dense.variables)\n'

# What TensorFlow 2.21 prints for TUTORIAL_SCRIPT.
TUTORIAL_OUTPUT = "tf.Tensor(30.0, shape=(), dtype=float32)\ntrainable variables: (<tf.Variable 'train_me:0' shape=() dtype=float32, numpy=5.0>,)\nall variables: (<tf.Variable 'train_me:0' shape=() dtype=float32, numpy=5.0>, <tf.Variable 'do_not_train_me:0' shape=() dtype=float32, numpy=5.0>)\nModel results: tf.Tensor([[18. 18.]], shape=(1, 2), dtype=float32)\nSubmodules: (<__main__.Dense object at 0x7f3901b7e510>, <__main__.Dense object at 0x7f3901b7de10>)\n<tf.Variable 'b:0' shape=(3,) dtype=float32, numpy=array([0., 0., 0.], dtype=float32)> \n\n<tf.Variable 'w:0' shape=(3, 3) dtype=float32, numpy=\narray([[1., 1., 1.],\n       [1., 1., 1.],\n       [1., 1., 1.]], dtype=float32)> \n\n<tf.Variable 'b:0' shape=(2,) dtype=float32, numpy=array([0., 0.], dtype=float32)> \n\n<tf.Variable 'w:0' shape=(3, 2) dtype=float32, numpy=\narray([[1., 1.],\n       [1., 1.],\n       [1., 1.]], dtype=float32)> \n\nVariables: (<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=0.0>, <tf.Variable 'Variable:0' shape=() dtype=float32, numpy=5.0>)\nEpoch  0: W=3.00 b=-0.60, loss=6.76000\nEpoch  1: W=4.30 b=-0.08, loss=3.48140\nEpoch  2: W=3.39 b=-0.31, loss=1.98305\nEpoch  3: W=3.96 b=-0.05, loss=1.28554\nEpoch  4: W=3.54 b=-0.12, loss=0.94907\nEpoch  5: W=3.79 b=0.03, loss=0.77606\nEpoch  6: W=3.59 b=0.03, loss=0.67774\nEpoch  7: W=3.69 b=0.13, loss=0.61418\nEpoch  8: W=3.59 b=0.16, loss=0.56736\nEpoch  9: W=3.62 b=0.23, loss=0.52914\ntf.Tensor([ 5. 10. 15. 20.], shape=(4,), dtype=float32)\n[] my_model_keras\n[]\nModel results: tf.Tensor(\n[[6. 6. 6.]\n [9. 9. 9.]], shape=(2, 3), dtype=float32)\n[]\n"


def test_the_modules_tutorial_prints_what_tensorflow_prints_but_addresses():
    address = re.compile(r"0x[0-9a-f]+")
    assert address.sub("0x…", run(TUTORIAL_SCRIPT)) == address.sub("0x…", TUTORIAL_OUTPUT)


BOMBS = {
    "instances made forever": "class A:\n    pass\nwhile True:\n    A()\n",
    "a call that calls itself": "class A:\n    def __call__(self):\n        return self()\nA()()\n",
    "an init that makes another": "class A:\n    def __init__(self):\n        self.next = A()\nA()\n",
    "a big module walked again and again": ("import tensorflow as tf\nclass M(tf.Module):\n    pass\nm = M()\n"
                                            "m.big = [1.0] * 10**6\nwhile True:\n    m.variables\n"),
    "layers made forever": "import tensorflow as tf\nwhile True:\n    tf.keras.layers.Dense(10**5)\n",
    "a layer called forever": "import tensorflow as tf\nd = tf.keras.layers.Dense(3)\nx = tf.ones((2, 3))\n"
                              "while True:\n    x = d(x)\n",
}


@pytest.mark.parametrize("text", BOMBS.values(), ids=BOMBS.keys())
def test_runaway_classes_hit_a_limit_promptly(text):
    import time
    start = time.perf_counter()
    e = error(text, limits=Limits(max_ops=20_000, max_loop_iterations=10_000))
    assert e.kind == "limit"
    assert time.perf_counter() - start < 4.0


def test_properties_are_read_as_attributes():
    out = run("import tensorflow as tf\n"
              "class Celsius:\n"
              "    def __init__(self, degrees):\n"
              "        self.degrees = degrees\n"
              "    @property\n"
              "    def fahrenheit(self):\n"
              "        return self.degrees * 9 / 5 + 32\n"
              "class Scaled(tf.Module):\n"
              "    def __init__(self):\n"
              "        super().__init__()\n"
              "        self.k = tf.Variable(3.0)\n"
              "    @property\n"
              "    def double(self):\n"
              "        return 2 * self.k\n"
              "c = Celsius(100)\n"
              "s = Scaled()\n"
              "with tf.GradientTape() as tape:\n"
              "    y = s.double\n"
              "print(c.fahrenheit, float(y), float(tape.gradient(y, s.k)))\n")
    assert out == "212.0 6.0 2.0\n"


def test_super_reaches_the_engines_build_and_call_without_recursing():
    out = run("import tensorflow as tf\n"
              "class Scale(tf.keras.layers.Layer):\n"
              "    def build(self, shape):\n"
              "        self.k = self.add_weight(shape=(), initializer='ones')\n"
              "        super().build(shape)\n"
              "    def call(self, x):\n"
              "        return x * self.k\n"
              "s = Scale()\n"
              "print(s.built, float(s(tf.constant([2.0]))[0]), s.built)\n")
    assert out == "False 2.0 True\n"
    assert "call()" in error("import tensorflow as tf\n"
                             "class L(tf.keras.layers.Layer):\n"
                             "    def call(self, x):\n"
                             "        return super().call(x)\n"
                             "L()(tf.ones((1, 1)))\n").message


def test_type_names_a_scripts_classes_and_never_makes_one():
    out = run("import tensorflow as tf\n"
              "class A:\n    pass\n"
              "class M(tf.Module):\n    pass\n"
              "print(type(A()), type(M()), type(M()).__name__)\n"
              "print(type(tf.Module()), type(tf.keras.layers.Dense(1)), type(tf.keras.Sequential()))\n")
    assert out == ("<class '__main__.A'> <class '__main__.M'> M\n"
                   "<class 'tensorflow.python.module.module.Module'> <class 'keras.src.layers.core.dense.Dense'> "
                   "<class 'keras.src.models.sequential.Sequential'>\n")
    assert "three arguments" in error("type('A', (), {})\n").message


# TensorFlow's modules guide: a module whose __call__ is a tf.function.
TRACED_METHOD_SCRIPT = 'import tensorflow as tf\n\nclass Dense(tf.Module):\n  def __init__(self, in_features, out_features, name=None):\n    super().__init__(name=name)\n    self.w = tf.Variable(tf.ones([in_features, out_features]), name=\'w\')\n    self.b = tf.Variable(tf.zeros([out_features]), name=\'b\')\n  def __call__(self, x):\n    y = tf.matmul(x, self.w) + self.b\n    return tf.nn.relu(y)\n\nclass MySequentialModule(tf.Module):\n  def __init__(self, name=None):\n    super().__init__(name=name)\n    self.dense_1 = Dense(in_features=3, out_features=3)\n    self.dense_2 = Dense(in_features=3, out_features=2)\n  @tf.function\n  def __call__(self, x):\n    x = self.dense_1(x)\n    return self.dense_2(x)\n\nmy_model = MySequentialModule(name="the_model")\nprint(my_model([[2.0, 2.0, 2.0]]))\nprint(my_model([[[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]]))\nwith tf.GradientTape() as tape:\n    y = tf.reduce_sum(my_model(tf.constant([[1.0, 2.0, 3.0]])))\nprint(tape.gradient(y, my_model.dense_2.w))\n'

# What TensorFlow 2.21 prints for TRACED_METHOD_SCRIPT.
TRACED_METHOD_OUTPUT = 'tf.Tensor([[18. 18.]], shape=(1, 2), dtype=float32)\ntf.Tensor(\n[[[18. 18.]\n  [18. 18.]]], shape=(1, 2, 2), dtype=float32)\ntf.Tensor(\n[[6. 6.]\n [6. 6.]\n [6. 6.]], shape=(3, 2), dtype=float32)\n'


def test_a_method_may_be_a_tf_function():
    assert run(TRACED_METHOD_SCRIPT) == TRACED_METHOD_OUTPUT
