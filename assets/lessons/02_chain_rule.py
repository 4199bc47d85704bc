r"""
# The chain rule, one link at a time

Most functions we differentiate are built by feeding one function into the next.
Here is a chain of three:

$h = x^2 + 1, \quad g = \sin(h), \quad f = \exp(g)$

so that $f(x) = \exp(\sin(x^2 + 1))$. The **chain rule** says the derivative of the whole
chain is the product of the derivatives of its links:

$\frac{df}{dx} = \frac{df}{dg} \frac{dg}{dh} \frac{dh}{dx} = \exp(g) \cdot \cos(h) \cdot 2x$

Each link only needs to know its *own* local derivative. Reverse-mode autodiff
multiplies them together starting from the end of the chain.

## Recording the chain

We take $x = 1$, so $h = 2$, $g = \sin 2 \approx 0.909$ and $f = \exp(0.909) \approx 2.483$.
"""
import adviz as tf
import numpy as np

x = tf.Variable(1.0)
with tf.GradientTape(persistent=True) as tape:
    h = x ** 2 + 1
    g = tf.sin(h)
    f = tf.exp(g)
print("h =", h.numpy(), " g =", g.numpy(), " f =", f.numpy())

r"""
## Playing it backwards

Step through the animation of the call below and follow the adjoint, the number
$\frac{df}{d\text{(node)}}$, as it travels from right to left:

1. **Seed.** It starts at $f$ with $\frac{df}{df} = 1$.
2. **Edge $g \to f$.** The local derivative of $\exp$ is $\exp(g) \approx 2.483$, so
   $\frac{df}{dg} = 1 \cdot 2.483$.
3. **Edge $h \to g$.** The local derivative of $\sin$ is $\cos(h) = \cos 2 \approx -0.416$, so
   $\frac{df}{dh} = 2.483 \cdot (-0.416) \approx -1.033$.
4. **The $+ 1$ and the square.** Adding 1 passes the adjoint through unchanged;
   the square multiplies it by $2x = 2$, so $\frac{df}{dx} \approx -2.066$.

Each edge does one multiplication: the adjoint that arrives, times the edge's local
derivative. That is the chain rule, carried out one link at a time.
"""
df_dx = tape.gradient(f, x)
print("tape:      df/dx =", df_dx.numpy())

by_hand = np.exp(g.numpy()) * np.cos(h.numpy()) * 2 * x.numpy()
print("by hand:   exp(g) * cos(h) * 2x =", by_hand)

r"""
## Every adjoint along the way

The tape can also report the adjoints of the intermediate values: asking for
$\frac{df}{dg}$, $\frac{df}{dh}$ and $\frac{df}{dx}$ at once shows the running product
growing one factor per link:

$\frac{df}{dg} = \exp(g), \quad \frac{df}{dh} = \exp(g) \cdot \cos(h), \quad \frac{df}{dx} = \exp(g) \cdot \cos(h) \cdot 2x$
"""
df_dg, df_dh, df_dx = tape.gradient(f, [g, h, x])
print("df/dg =", df_dg.numpy())
print("df/dh =", df_dh.numpy())
print("df/dx =", df_dx.numpy())
del tape
