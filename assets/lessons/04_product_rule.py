r"""
# The product rule

When two quantities that both depend on $x$ are multiplied, $f = u \cdot v$, a small
change in $x$ moves **both** factors. The **product rule** adds the two effects:

$\frac{df}{dx} = \frac{du}{dx} \cdot v + u \cdot \frac{dv}{dx}$

Take $u = x^2 + 1$ and $v = 2x - 1$ at $x = 2$:

- $u = 5$ and $\frac{du}{dx} = 2x = 4$
- $v = 3$ and $\frac{dv}{dx} = 2$

so $\frac{df}{dx} = 4 \cdot 3 + 5 \cdot 2 = 12 + 10 = 22$.
"""
import adviz as tf

x = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as tape:
    u = x ** 2 + 1
    v = 2 * x - 1
    f = u * v
print("u =", u.numpy(), "  v =", v.numpy(), "  f =", f.numpy())

r"""
## Where the rule comes from in the graph

The multiplication node has two inputs, and its local derivatives are "the other
factor":

$\frac{\partial f}{\partial u} = v = 3, \quad \frac{\partial f}{\partial v} = u = 5$

The tape can show us exactly these two adjoints.
"""
df_du, df_dv = tape.gradient(f, [u, v])
print("df/du =", df_du.numpy(), " (= v)")
print("df/dv =", df_dv.numpy(), " (= u)")

r"""
## All the way back to $x$

Follow the animation of this call. The adjoint splits at the multiplication: $3$ goes
down the $u$ branch and $5$ down the $v$ branch. The $u$ branch multiplies by
$\frac{du}{dx} = 4$, giving $12$; the $v$ branch multiplies by $\frac{dv}{dx} = 2$, giving $10$.
Both branches end at the same $x$, so, as in the previous lesson, their
contributions are **added**: $12 + 10 = 22$.

The product rule is the chain rule plus the sum rule, nothing more.
"""
df_dx = tape.gradient(f, x)
print("tape:     df/dx =", df_dx.numpy())
print("by hand:  u'v + uv' =", 2 * x.numpy() * v.numpy() + u.numpy() * 2)
del tape
