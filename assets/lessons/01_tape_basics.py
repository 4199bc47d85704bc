r"""
# Tape basics: what the tape watches

A `tf.GradientTape` is a recorder. Inside its `with` block it writes down every operation
whose inputs it is **watching**; afterwards, `tape.gradient(target, source)` plays that
recording backwards to get $\frac{\partial\,\text{target}}{\partial\,\text{source}}$.

Everything in this lesson comes down to one question: *was the source watched?*

## 1. A constant nobody watches

We square a plain constant, $y = x^2$, so we would expect $\frac{dy}{dx} = 2x = 6$.
But a constant is just a number to the tape: it is not watched, so nothing is recorded.
In the picture, $x$ and the square are drawn dimmed, and the gradient is `None`.
"""
import adviz as tf

x = tf.constant(3.0)
with tf.GradientTape() as tape:
    y = x ** 2
print("unwatched constant:  dy/dx =", tape.gradient(y, x))

r"""
## 2. A Variable is watched automatically

A `tf.Variable` holds a value we intend to train. When the tape sees a trainable
Variable being read inside its block, it starts watching it by itself.
Now the square is recorded, and the backward pass delivers
$\frac{dy}{dx} = 2x = 6$.
"""
w = tf.Variable(3.0)
with tf.GradientTape() as tape:
    y = w ** 2
print("Variable:            dy/dw =", tape.gradient(y, w))

r"""
## 3. `tape.watch()` makes a constant count

We can ask the tape to watch anything, constants included. After `tape.watch(x)`
the constant behaves exactly like the Variable above: same graph, same gradient, $6$.
"""
x = tf.constant(3.0)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = x ** 2
print("watched constant:    dy/dx =", tape.gradient(y, x))

r"""
## 4. One set of gradients, or many: `persistent`

By default a tape is **not persistent**: it frees its recording after the first
`gradient` call. If you need several gradients from one tape, ask for them all in
that single call, with a list of targets or sources:
$\frac{\partial y}{\partial w} = 2w = 6$ and $\frac{\partial z}{\partial w} = 3w^2 = 27$ are summed
into one number, $33$, because a list of targets means "the gradient of their sum".
"""
with tf.GradientTape() as tape:
    y = w ** 2
    z = w ** 3
print("d(y + z)/dw in one call:", tape.gradient([y, z], w))
# A second tape.gradient(...) call on this tape would raise an error:
# the recording is gone. Make the tape persistent, as below, to ask again.

r"""
A **persistent** tape keeps its recording, so we may call `gradient` as many times as
we like: first $\frac{dy}{dw} = 2w = 6$, then $\frac{dz}{dw} = 3w^2 = 27$.
Each call gets a picture of its own, and each shows only the part of the
recording that its target depends on.
"""
with tf.GradientTape(persistent=True) as tape:
    y = w ** 2
    z = w ** 3
print("dy/dw =", tape.gradient(y, w))
print("dz/dw =", tape.gradient(z, w))
del tape  # drop a persistent tape when you are done with it

r"""
## 5. `watch_accessed_variables=False`: you choose what to watch

Sometimes we want gradients for only some of the Variables. With
`watch_accessed_variables=False` the tape no longer watches Variables on its own;
only what we pass to `tape.watch()` counts. Here $f = a \cdot b$: we watch $a$ and get
$\frac{\partial f}{\partial a} = b = 5$, while $b$, never watched, gets `None`.
"""
a = tf.Variable(2.0)
b = tf.Variable(5.0)
with tf.GradientTape(watch_accessed_variables=False) as tape:
    tape.watch(a)
    f = a * b
grad_a, grad_b = tape.gradient(f, [a, b])
print("df/da =", grad_a, "  df/db =", grad_b)

r"""
## 6. A non-trainable Variable is not watched

A Variable made with `trainable=False` (a counter, a running average...) is meant to
be left alone by training, so the tape does not watch it by itself. The picture shows
it dimmed, like the constant of section 1, and its gradient is `None`.
"""
k = tf.Variable(4.0, trainable=False)
with tf.GradientTape() as tape:
    y = k ** 2
print("non-trainable Variable: dy/dk =", tape.gradient(y, k))

r"""
## Summary

| source | watched? | gradient |
|---|---|---|
| `tf.constant` | no, unless `tape.watch()` | `None` |
| trainable `tf.Variable` | yes (if `watch_accessed_variables=True`) | a number |
| `tf.Variable(..., trainable=False)` | no, unless `tape.watch()` | `None` |

And: a tape answers once, unless it is `persistent=True`.
"""
