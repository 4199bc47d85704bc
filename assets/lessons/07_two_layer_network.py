r"""
# A two-layer network

Now a small but complete network. A batch of 4 examples with 3 features each, $X$
(a $4 \times 3$ matrix), goes through a hidden layer of 4 units with a ReLU, then an
output layer with one unit:

$H = \mathrm{relu}(X W_1 + b_1), \quad \text{pred} = H W_2 + b_2$

The loss is the mean squared error against the targets $y$:
$L = \frac{1}{4} \sum (\text{pred} - y)^2$.

The parameters are $W_1$ ($3 \times 4$), $b_1$ ($4$), $W_2$ ($4 \times 1$) and $b_2$ ($1$).
"""
import adviz as tf

X = tf.constant([[1.0, 0.0, 2.0],
                 [0.0, 1.0, 1.0],
                 [2.0, 1.0, 0.0],
                 [1.0, 1.0, 1.0]])
y = tf.constant([[1.0], [0.5], [2.5], [1.5]])

W1 = tf.Variable([[0.5, -0.5, 0.0, 1.0],
                  [0.0, 0.5, -1.0, 0.5],
                  [-0.5, 0.5, 0.5, 0.0]])
b1 = tf.Variable([0.25, 0.25, 0.25, -0.25])
W2 = tf.Variable([[1.0], [-0.5], [0.5], [0.5]])
b2 = tf.Variable([0.5])

with tf.GradientTape(persistent=True) as tape:
    Z1 = tf.matmul(X, W1) + b1
    H = tf.nn.relu(Z1)
    pred = tf.matmul(H, W2) + b2
    loss = tf.reduce_mean((pred - y) ** 2)
print("hidden layer H =")
print(H.numpy())
print("predictions =", pred.numpy()[:, 0])
print("loss =", loss.numpy())

r"""
## Gradients for every parameter

One call gives all four gradients, each with the shape of its parameter. In the
animation, watch the ReLU: where a hidden unit was negative ($Z_1 < 0$), its local
derivative is 0, so for that example no gradient gets through to the weights that fed it.
For a matrix product $Z = X W$ the backward pass computes
$\frac{\partial L}{\partial W} = X^T \cdot \frac{\partial L}{\partial Z}$ ($X^T$ is $X$ transposed).
"""
dW1, db1, dW2, db2 = tape.gradient(loss, [W1, b1, W2, b2])
print("dL/dW1 =")
print(dW1.numpy())
print("dL/db1 =", db1.numpy())
print("dL/dW2 =", dW2.numpy()[:, 0])
print("dL/db2 =", db2.numpy())

r"""
## Broadcasting: the bias gradient sums over the batch

$X W_1$ has shape $4 \times 4$ (one row per example) but $b_1$ has shape $4$. Adding them
**broadcasts** $b_1$: the same bias row is copied to each of the 4 examples. So $b_1$
is used 4 times, a fan-out, and by the sum rule its gradient is the sum of the 4
rows of $\frac{\partial L}{\partial Z_1}$: one row per example, summed over the batch.

The same goes for $b_2$, which is copied to all 4 predictions. Let us check $b_1$ by
asking the persistent tape for $\frac{\partial L}{\partial Z_1}$ too.
"""
dZ1 = tape.gradient(loss, Z1)
print("dL/dZ1 =")
print(dZ1.numpy() + 0.0)  # + 0.0 shows -0.0 as 0.0
print("summed over the batch:", tf.reduce_sum(dZ1, axis=0).numpy())
print("dL/db1 from the tape: ", db1.numpy())
del tape
