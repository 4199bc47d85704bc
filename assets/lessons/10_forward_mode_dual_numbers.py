r"""
# Forward mode: ForwardAccumulator and dual numbers

Reverse mode runs the program forward, then walks back from the output. **Forward mode**
carries the derivative *along* with each value, in the same pass. Each value $a$ travels
with a tangent $b$, written as a **dual number**

$a + b \cdot \varepsilon \quad \text{with} \quad \varepsilon^2 = 0$

Because $\varepsilon^2 = 0$, any function applied to a dual number gives
$f(a + b \cdot \varepsilon) = f(a) + f'(a) \cdot b \cdot \varepsilon$: the tangent part is the derivative.

Take $y = x^3 + 2x$ at $x = 3$ and seed the tangent $\dot{x} = 1$:

$(3 + \varepsilon)^3 + 2 \cdot (3 + \varepsilon) = 27 + 27 \varepsilon + 6 + 2 \varepsilon = 33 + 29 \varepsilon$

so $y = 33$ and $\frac{dy}{dx} = 3x^2 + 2 = 29$, in one forward pass.
"""
import adviz as tf

x = tf.Variable(3.0)
with tf.autodiff.ForwardAccumulator(x, 1.0) as acc:
    y = x ** 3 + 2 * x
print("y =", y.numpy(), "  dy/dx =", acc.jvp(y).numpy())

r"""
## One pass, one direction

With two inputs, one forward pass gives the derivative along **one direction**: the
seeds $(\dot{x}, \dot{y})$ say which. For $f = x \cdot y + x^2$ at $x = 3$, $y = 2$
(the function of the sum-rule lesson):

- seed $(1, 0)$: $\dot{f} = y + 2x = 8$, which is $\frac{\partial f}{\partial x}$
- seed $(0, 1)$: $\dot{f} = x = 3$, which is $\frac{\partial f}{\partial y}$
- seed $(1, 1)$: $\dot{f} = 8 + 3 = 11$, the derivative along the diagonal

Each is a Jacobian-vector product $J \cdot v$. The whole gradient takes one pass **per input**.
"""
x = tf.Variable(3.0)
y = tf.Variable(2.0)
for seed in [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]:
    with tf.autodiff.ForwardAccumulator([x, y], seed) as acc:
        f = x * y + x ** 2
    print("seed", seed, "  f =", f.numpy(), "  df =", acc.jvp(f).numpy())

r"""
## The same graph, both ways

The tape below records the same $f$ and asks for the gradient: one backward pass gives
both $\frac{\partial f}{\partial x} = 8$ and $\frac{\partial f}{\partial y} = 3$.

Switch the transport under the picture to **Forward mode (tangents)** to watch the
dual numbers flow instead, seeded with $\dot{x} = 1$, $\dot{y} = 0$:
$x = 3 + 1 \cdot \varepsilon$, $y = 2 + 0 \cdot \varepsilon$,
$x \cdot y = 6 + 2 \cdot \varepsilon$, $x^2 = 9 + 6 \cdot \varepsilon$ and
$f = 15 + 8 \cdot \varepsilon$. At $f$ the two tangents **add** (a fan-in sum), the mirror
image of the adjoints adding at the fan-out of $x$ in the backward pass.
"""
with tf.GradientTape() as tape:
    f = x * y + x ** 2
df_dx, df_dy = tape.gradient(f, [x, y])
print("tape:  df/dx =", df_dx.numpy(), "  df/dy =", df_dy.numpy())
