r"""
# A sigmoid neuron

A single artificial neuron takes an input $x$, scales it by a **weight** $w$, adds a
**bias** $b$ and squashes the result with the sigmoid function:

$z = w \cdot x + b, \quad y = \sigma(z) = 1 / (1 + \exp(-z))$

To train it we compare its output with a target $t$ using the squared error
$L = (y - t)^2$ and ask the tape for $\frac{\partial L}{\partial w}$ and $\frac{\partial L}{\partial b}$.

The weight and bias are what we train, so they are `tf.Variable`s. The input and the
target are data, so they are constants: the tape does not watch them, and that is fine.
"""
import adviz as tf

w = tf.Variable(0.5)
b = tf.Variable(-1.0)
x = tf.constant(2.0)
t = tf.constant(1.0)

with tf.GradientTape() as tape:
    z = w * x + b
    y = tf.sigmoid(z)
    loss = (y - t) ** 2
print("z =", z.numpy(), "  y =", y.numpy(), "  loss =", loss.numpy())

r"""
## The backward pass, by hand

With $w = 0.5$, $b = -1$, $x = 2$ and $t = 1$ we get $z = 0$, $y = \sigma(0) = 0.5$ and
$L = 0.25$. Going backwards:

- $\frac{\partial L}{\partial y} = 2(y - t) = -1$
- the sigmoid's derivative is $\sigma(z)(1 - \sigma(z)) = y(1 - y) = 0.25$, so $\frac{\partial L}{\partial z} = -0.25$
- $z = w \cdot x + b$, so $\frac{\partial L}{\partial w} = \frac{\partial L}{\partial z} \cdot x = -0.5$
- and $\frac{\partial L}{\partial b} = \frac{\partial L}{\partial z} \cdot 1 = -0.25$

In the animation, notice the constants $x$ and $t$: they are drawn dimmed, and no
adjoint ever flows into them, because the tape never watched them. Their *values*
still matter: $x = 2$ is the local derivative on the edge from $w$.
"""
dw, db = tape.gradient(loss, [w, b])
print("dL/dw =", dw.numpy(), "  dL/db =", db.numpy())

r"""
## One step of gradient descent

Both gradients are negative: increasing $w$ and $b$ would lower the loss. Gradient
descent moves each parameter a little *against* its gradient, scaled by a learning
rate; with a learning rate of 1, $w \leftarrow w - \frac{\partial L}{\partial w}$ and $b \leftarrow b - \frac{\partial L}{\partial b}$.
Run the neuron again: the output moves towards the target and the loss shrinks.

(A training loop would update the same Variables in place with `w.assign_sub(...)`;
here we make new ones, so that the first picture keeps showing the old values.)
"""
learning_rate = 1.0
w = tf.Variable(w - learning_rate * dw)
b = tf.Variable(b - learning_rate * db)

with tf.GradientTape() as tape:
    z = w * x + b
    y = tf.sigmoid(z)
    loss = (y - t) ** 2
print("after one step: w =", w.numpy(), " b =", b.numpy(), " y =", y.numpy(), " loss =", loss.numpy())
dw, db = tape.gradient(loss, [w, b])
print("new gradients:  dL/dw =", dw.numpy(), "  dL/db =", db.numpy())
