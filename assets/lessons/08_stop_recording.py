r"""
# Pausing the tape with stop_recording()

Inside a tape's block, `with tape.stop_recording():` opens a stretch where the tape
looks away. The operations there still **run**, and their values are real, but they
are not written down. During the backward pass such a value behaves like a constant:
no gradient flows through the path that produced it.

## Half of a sum, hidden from the tape

Let $f = y + z$ with $y = x^2$ recorded and $z = x^3$ computed while the tape is paused.
If the tape saw everything, at $x = 2$ it would get
$\frac{df}{dx} = 2x + 3x^2 = 4 + 12 = 16$. It only saw $y$, so it reports $2x = 4$.
"""
import adviz as tf

x = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y = x ** 2
    with tape.stop_recording():
        z = x ** 3
    f = y + z
print("f =", f.numpy(), "  (y =", y.numpy(), "and z =", z.numpy(), "both count in the value)")

r"""
## What the tape saw

Now ask the tape for $\frac{df}{dx}$. In the picture, the cube $z$ and the edges into
it are dimmed, with the reason "computed inside stop_recording()". Step through the
backward pass: at the addition the adjoint goes to $y$ only. To the tape, $z$ is just a number, like a constant, so
nothing flows into it and the edge from $x$ into the cube carries nothing.
"""
print("df/dx =", tape.gradient(f, x).numpy(), "  (only the recorded y = x**2 path: 2x = 4)")

r"""
## A path that is not recorded at all

If the *only* path from $x$ to the target goes through the paused stretch, the target
does not depend on any watched value, and the gradient is `None`, just like for the
unwatched constant of the first lesson.
"""
with tf.GradientTape() as tape:
    with tape.stop_recording():
        s = 3 * x
    g = s + 1
print("g =", g.numpy(), "  dg/dx =", tape.gradient(g, x))

r"""
## When is this useful?

Pausing is handy for work that should not be differentiated: logging a metric,
updating a running average, or computing a target that the model should treat as
fixed, as in $L = (y - \text{target})^2$ where the target is computed from the model
itself. It also saves memory, since the tape keeps nothing for those operations.
"""
