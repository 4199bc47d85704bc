r"""
# The sum rule at fan-out

So far every value fed exactly one operation. Real programs reuse values: here $x$ is
used **twice**,

$f = x \cdot y + x^2$

once in the product and once in the square. The graph *fans out* at $x$: two edges
leave it. Each edge carries its own contribution back, and the **sum rule** says the
total derivative is their sum:

$\frac{\partial f}{\partial x} = y + 2x$

where $y$ is the contribution through the product $x \cdot y$ and $2x$ the one through the square $x^2$.

With $x = 3$ and $y = 2$: $\frac{\partial f}{\partial x} = 2 + 6 = 8$, and $\frac{\partial f}{\partial y} = x = 3$.
"""
import adviz as tf

x = tf.Variable(3.0)
y = tf.Variable(2.0)
with tf.GradientTape() as tape:
    f = x * y + x ** 2
print("f =", f.numpy())

r"""
## Watch the adjoints meet

In the animation, the adjoint reaches $x$ **twice**. After the first visit the
adjoint of $x$ holds one contribution; when the second arrives it is *added* to what
is already there. The tape never overwrites an adjoint, it accumulates:

$\frac{\partial f}{\partial x} = 2 + 6 = 8$
"""
df_dx, df_dy = tape.gradient(f, [x, y])
print("tape:     df/dx =", df_dx.numpy(), "  df/dy =", df_dy.numpy())
print("by hand:  y + 2x =", y.numpy() + 2 * x.numpy(), "  x =", x.numpy())

r"""
## The same value on both inputs

The smallest fan-out is $g = x \cdot x$: both inputs of one multiplication are the same
$x$. Each edge contributes "the other input", which is $x = 3$, and the two add up to
$\frac{dg}{dx} = 3 + 3 = 6 = 2x$, exactly what the power rule gives for $x^2$.
"""
with tf.GradientTape() as tape:
    g = x * x
print("dg/dx =", tape.gradient(g, x).numpy())
