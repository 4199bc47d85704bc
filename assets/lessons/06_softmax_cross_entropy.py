r"""
# Softmax and cross-entropy

A classifier ends with one score per class, the **logits** $z$. The **softmax** turns
them into probabilities, and the **cross-entropy** loss is the negative log of the
probability given to the correct class:

$p = \exp(z) / \sum \exp(z), \quad L = -\sum t \cdot \log p$

where $t$ is the **one-hot** vector of the correct class (a 1 at the correct class,
0 elsewhere); exponential and log act entry by entry. We build both from primitives:
`exp`, `reduce_sum`, a division and `log`.

Here there are three classes, the logits are $z = (2, 1, 0.1)$, and class 0 is correct.
"""
import adviz as tf

logits = tf.Variable([2.0, 1.0, 0.1])
onehot = tf.constant([1.0, 0.0, 0.0])

with tf.GradientTape() as tape:
    e = tf.exp(logits)
    p = e / tf.reduce_sum(e)
    loss = -tf.reduce_sum(onehot * tf.math.log(p))
print("softmax p =", p.numpy())
print("loss      =", loss.numpy())

r"""
## A famously simple gradient

The graph has several steps, and the animation walks through each of them: the
negation, the sum, the multiplication by the one-hot vector, the log, the division
(which sends adjoints both to $e$ and to the sum of $e$), and the exponential. Watch
the node $e$: it fans out, so it collects two contributions.

All of that collapses into one short formula:

$\frac{\partial L}{\partial z} = p - t$

The gradient on each logit is "predicted probability minus target". The correct
class gets $p_0 - 1 < 0$ (raise its score); every other class gets its own
probability, a positive number (lower its score).
"""
grad = tape.gradient(loss, logits)
print("tape:           dL/dz =", grad.numpy())
print("softmax - onehot      =", p.numpy() - onehot.numpy())

r"""
## Picking the class by indexing

Multiplying by a one-hot vector and summing just *selects* one entry. We can select
it directly with an index instead, $L = -\log p_0$. The graph is shorter (indexing
replaces the multiply and the sum) and the gradient is the same $p - t$: in the
backward pass, indexing sends the adjoint to the selected entry and zeros to the rest.
"""
with tf.GradientTape() as tape:
    e = tf.exp(logits)
    p = e / tf.reduce_sum(e)
    loss = -tf.math.log(p[0])
print("loss  =", loss.numpy())
print("dL/dz =", tape.gradient(loss, logits).numpy())
