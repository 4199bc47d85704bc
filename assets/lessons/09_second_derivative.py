r"""
# Second derivatives with nested tapes

A gradient computed by a tape is itself made of tensor operations. If *another* tape
is watching while those operations run, it records them, and can differentiate the
gradient again. That gives second derivatives.

Take $y = x^3 + 2x$ at $x = 3$:

$\frac{dy}{dx} = 3x^2 + 2 = 29, \quad \frac{d^2y}{dx^2} = 6x = 18$
"""
import adviz as tf

x = tf.Variable(3.0)

r"""
## Two nested tapes

The `inner` tape records $y$; `inner.gradient` computes $\frac{dy}{dx}$ **inside** the
`outer` tape's block, so `outer` records that computation. Then `outer.gradient`
differentiates $\frac{dy}{dx}$ once more.

The first picture is the familiar one: $x^3$ and $2x$ fan in to $y$, giving
$3x^2 + 2 = 29$.

The second picture is the **graph of the backward pass itself**: the operations that
computed $3x^2 + 2$ (a power, products, and the sum of the two branches), marked as
gradient operations. Differentiating *that* graph with respect to $x$ gives
$6x = 18$. The $2$ that came from the $2x$ branch is a constant, drawn dimmed, so it
adds nothing.
"""
with tf.GradientTape() as outer:
    with tf.GradientTape() as inner:
        y = x ** 3 + 2 * x
    dy_dx = inner.gradient(y, x)
d2y_dx2 = outer.gradient(dy_dx, x)
print("dy/dx     =", dy_dx.numpy())
print("d2y/dx2   =", d2y_dx2.numpy())

r"""
## One persistent tape, differentiating its own gradient

We do not strictly need two tapes. A persistent tape that computes a gradient inside
its own block records that computation too, so afterwards it can differentiate the
gradient. The two pictures are the same as above. (Nested tapes are the usual
choice: each one records only what it needs.)
"""
with tf.GradientTape(persistent=True) as tape:
    y = x ** 3 + 2 * x
    dy_dx = tape.gradient(y, x)
d2y_dx2 = tape.gradient(dy_dx, x)
print("dy/dx     =", dy_dx.numpy())
print("d2y/dx2   =", d2y_dx2.numpy())
del tape
