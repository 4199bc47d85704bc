"""Classes in tape scripts: methods, super(), attributes, tf.Module's walk, and the sandbox
around them. Expected outputs were printed by TensorFlow 2.21 running the same scripts."""
import re

import pytest

from adviz.lang import LangError, Limits, parse_script, run_script

MODULES_SCRIPT = 'import tensorflow as tf\nclass Counter:\n    """Counts."""\n    start = 10\n    def __init__(self, step=1):\n        self.n = self.start\n        self.step = step\n    def tick(self):\n        self.n += self.step\n        return self.n\nc = Counter(step=2)\nprint(c.tick(), c.tick(), Counter.start, c.n)\nclass Base:\n    def __init__(self, a):\n        self.a = a\n    def describe(self):\n        return "base " + str(self.a)\nclass Child(Base):\n    def __init__(self, a, b):\n        super().__init__(a)\n        self.b = b\n    def describe(self):\n        return super().describe() + " child " + str(self.b)\nprint(Child(1, 2).describe())\nclass Linear(tf.Module):\n    def __init__(self, name=None):\n        super().__init__(name=name)\n        self.w = tf.Variable(2.0, name="w")\n        self.b = tf.Variable(1.0, name="b")\n    def __call__(self, x):\n        return self.w * x + self.b\nclass Stack(tf.Module):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.layers = {"second": Linear(), "first": Linear(name="custom")}\n    def __call__(self, x):\n        return self.layers["second"](self.layers["first"](x))\ns = Stack(name="stack")\nx = tf.constant(3.0)\nwith tf.GradientTape() as tape:\n    y = s(x)\nprint(y)\nprint(s.name, [m.name for m in s.submodules])\nprint(s.trainable_variables)\nprint(tape.gradient(y, s.trainable_variables))\nprint(Linear().name)\nclass MyDenseLayer(tf.Module):\n    pass\nprint(MyDenseLayer().name)\n'

# What TensorFlow 2.21 prints for MODULES_SCRIPT.
MODULES_OUTPUT = "12 14 10 14\nbase 1 child 2\ntf.Tensor(15.0, shape=(), dtype=float32)\nstack ['custom', 'linear']\n(<tf.Variable 'b:0' shape=() dtype=float32, numpy=1.0>, <tf.Variable 'w:0' shape=() dtype=float32, numpy=2.0>, <tf.Variable 'b:0' shape=() dtype=float32, numpy=1.0>, <tf.Variable 'w:0' shape=() dtype=float32, numpy=2.0>)\n(<tf.Tensor: shape=(), dtype=float32, numpy=2.0>, <tf.Tensor: shape=(), dtype=float32, numpy=6.0>, <tf.Tensor: shape=(), dtype=float32, numpy=1.0>, <tf.Tensor: shape=(), dtype=float32, numpy=7.0>)\nlinear\nmy_dense_layer\n"

KERAS_CLASSES_SCRIPT = 'import tensorflow as tf\n\nclass MyDense(tf.keras.layers.Layer):\n    def __init__(self, units, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones", trainable=True)\n        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")\n    def call(self, inputs):\n        return tf.matmul(inputs, self.w) + self.b\n\nclass MyModel(tf.keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d1 = tf.keras.layers.Dense(2, kernel_initializer=\'ones\', activation=\'relu\')\n        self.d2 = MyDense(1)\n    def call(self, x):\n        return self.d2(self.d1(x))\n\nm = MyModel()\nprint(m.name)\nx = tf.constant([[1.0, -2.0]])\nprint(m(x))\nprint(m.trainable_variables)\nprint(m.d2.w)\nprint(m.layers)\nprint(len(m.variables))\nl = MyDense(3, name="custom")\nprint(l.name, l.built)\nl(x)\nprint(l.trainable_variables)\nprint(l.w.name)\nopt = tf.keras.optimizers.Adam(learning_rate=0.1)\nwith tf.GradientTape() as tape:\n    loss = tf.reduce_sum(m(x))\ng = tape.gradient(loss, m.trainable_variables)\nopt.apply_gradients(zip(g, m.trainable_variables))\nprint(m.trainable_variables)\n\nclass Mod(tf.Module):\n    def __init__(self):\n        super().__init__()\n        self.z = tf.Variable(1.0, name="z")\n        self.a = tf.Variable(2.0, name="a", trainable=False)\n        self.sub = Sub()\n        self.lst = [tf.Variable(3.0, name="l0"), Sub()]\n    def __call__(self, x):\n        return x * self.z\n\nclass Sub(tf.Module):\n    def __init__(self):\n        super().__init__()\n        self.v = tf.Variable(5.0, name="v")\n\nmm = Mod()\nprint(mm.variables)\nprint(mm.trainable_variables)\nprint(mm(tf.constant(2.0)))\nprint(mm.name, mm.sub.name)\n'

# What TensorFlow 2.21 (Keras 3) prints for KERAS_CLASSES_SCRIPT.
KERAS_CLASSES_OUTPUT = "my_model\ntf.Tensor([[0.]], shape=(1, 1), dtype=float32)\n[<Variable path=my_model/dense/kernel, shape=(2, 2), dtype=float32, value=[[1. 1.]\n [1. 1.]]>, <Variable path=my_model/dense/bias, shape=(2,), dtype=float32, value=[0. 0.]>, <Variable path=my_model/my_dense/variable, shape=(2, 1), dtype=float32, value=[[1.]\n [1.]]>, <Variable path=my_model/my_dense/bias, shape=(1,), dtype=float32, value=[0.]>]\n<Variable path=my_model/my_dense/variable, shape=(2, 1), dtype=float32, value=[[1.]\n [1.]]>\n[<Dense name=dense, built=True>, <MyDense name=my_dense, built=True>]\n4\ncustom False\n[<Variable path=custom/variable_1, shape=(2, 3), dtype=float32, value=[[1. 1. 1.]\n [1. 1. 1.]]>, <Variable path=custom/bias, shape=(3,), dtype=float32, value=[0. 0. 0.]>]\nvariable_1\n[<Variable path=my_model/dense/kernel, shape=(2, 2), dtype=float32, value=[[1. 1.]\n [1. 1.]]>, <Variable path=my_model/dense/bias, shape=(2,), dtype=float32, value=[0. 0.]>, <Variable path=my_model/my_dense/variable, shape=(2, 1), dtype=float32, value=[[1.]\n [1.]]>, <Variable path=my_model/my_dense/bias, shape=(1,), dtype=float32, value=[-0.09999901]>]\n(<tf.Variable 'a:0' shape=() dtype=float32, numpy=2.0>, <tf.Variable 'l0:0' shape=() dtype=float32, numpy=3.0>, <tf.Variable 'z:0' shape=() dtype=float32, numpy=1.0>, <tf.Variable 'v:0' shape=() dtype=float32, numpy=5.0>, <tf.Variable 'v:0' shape=() dtype=float32, numpy=5.0>)\n(<tf.Variable 'l0:0' shape=() dtype=float32, numpy=3.0>, <tf.Variable 'z:0' shape=() dtype=float32, numpy=1.0>, <tf.Variable 'v:0' shape=() dtype=float32, numpy=5.0>, <tf.Variable 'v:0' shape=() dtype=float32, numpy=5.0>)\ntf.Tensor(2.0, shape=(), dtype=float32)\nmod sub\n"


def run(text, **kwargs):
    trace = run_script(text, **kwargs)
    assert trace.error is None, trace.error
    return trace.output


def error(text, **kwargs):
    trace = run_script(text, **kwargs)
    assert isinstance(trace.error, LangError), trace.output
    assert trace.error.line >= 1 and trace.error.col >= 1
    return trace.error


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
              "    def show(self):\n"
              "        return 'B:' + super().show()\n"
              "b = B(3)\n"
              "b.x += 1\n"
              "print(b.show(), A(1).show(), B.kind)\n")
    assert out == "B:b4 a1 b\n"


def test_keyword_arguments_pass_on_through_double_star():
    out = run("def f(a, **rest):\n    return [a, rest]\nprint(f(1, b=2, **{'c': 3}))\n")
    assert out == "[1, {'b': 2, 'c': 3}]\n"
    assert "** takes a dict" in error("def f(**k):\n    return k\nf(**[1])\n").message


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
    assert "decorators" in error("class A:\n    @staticmethod\n    def m(x):\n        pass\n").message
    assert "decorators" in error("class A:\n    @property\n    def m(self):\n        return 1\n").message
    assert "super()" in error("def f():\n    return super()\nf()\n").message
    assert "super" in error("class A:\n    def m(self):\n        return super(A, self)\nA().m()\n").message


def test_attributes_of_other_values_cannot_be_set():
    assert "cannot be set" in error("import tensorflow as tf\nx = tf.constant(1.0)\nx.foo = 1\n").message
    assert "cannot be changed" in error("import tensorflow as tf\ntf.foo = 1\n").message
    assert "cannot be set" in error("import tensorflow as tf\nm = tf\nm.foo = 1\n").message
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
    "type()": "class A:\n    pass\ntype(A())",
    "type() making a class": "type('A', (), {})",
    "object base": "class A(object):\n    pass",
    "getattr": "class A:\n    pass\ngetattr(A(), 'x')",
    "setattr": "class A:\n    pass\nsetattr(A(), 'x', 1)",
    "vars": "class A:\n    pass\nvars(A())",
    "dunder method": "class A:\n    def __getattr__(self, name):\n        return 1",
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
              "class M(tf.Module):\n"
              "    pass\n"
              "m = M()\n"
              "m.me = m\n"
              "m.v = [tf.Variable(1.0)]\n"
              "print(len(m.variables))\n")
    assert out == "2 2\n1\n"


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
