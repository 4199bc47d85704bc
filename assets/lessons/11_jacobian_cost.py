r"""
# Forward or reverse: what a Jacobian costs

A function $f: \mathbb{R}^n \to \mathbb{R}^m$ has an $m \times n$ Jacobian. Forward mode
gets one **column** per pass (seed one input's tangent with 1); reverse mode gets one **row**
per pass (seed one output's adjoint with 1). So forward mode needs $n$ passes and reverse
mode $m$.

Take $n = 3$ inputs $a, b, c$ and $m = 2$ outputs

$f_1 = a \cdot b \cdot c, \quad f_2 = a^2 + b \cdot c$

at $a = 1$, $b = 2$, $c = 3$. By hand the Jacobian has rows

- $\frac{\partial f_1}{\partial (a, b, c)} = (b c, a c, a b) = (6, 3, 2)$
- $\frac{\partial f_2}{\partial (a, b, c)} = (2a, c, b) = (2, 3, 2)$
"""
import adviz as tf

a = tf.Variable(1.0)
b = tf.Variable(2.0)
c = tf.Variable(3.0)

r"""
## Forward mode: three passes, one column each

Seeding $(\dot{a}, \dot{b}, \dot{c}) = (1, 0, 0)$ gives the first column $(6, 2)$,
$(0, 1, 0)$ the second $(3, 3)$, $(0, 0, 1)$ the third $(2, 2)$.
"""
for seed in [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]:
    with tf.autodiff.ForwardAccumulator([a, b, c], seed) as acc:
        f1 = a * b * c
        f2 = a ** 2 + b * c
    print("column for seed", seed, ":", acc.jvp(f1).numpy(), acc.jvp(f2).numpy())

r"""
## Reverse mode: two passes, one row each

One persistent tape records both outputs once; each `gradient` call is one backward pass
and gives one row: $(6, 3, 2)$ for $f_1$, then $(2, 3, 2)$ for $f_2$. Step through both
pictures: the first pass touches only the two products of $f_1$, the second only the three
ops of $f_2$.
"""
with tf.GradientTape(persistent=True) as tape:
    f1 = a * b * c
    f2 = a ** 2 + b * c
row1 = tape.gradient(f1, [a, b, c])
print("row for f1:", row1[0].numpy(), row1[1].numpy(), row1[2].numpy())
row2 = tape.gradient(f2, [a, b, c])
print("row for f2:", row2[0].numpy(), row2[1].numpy(), row2[2].numpy())

r"""
## Counting the work

The five ops ($a \cdot b$, $(a \cdot b) \cdot c$, $a^2$, $b \cdot c$ and the sum) cost each
pass only where a tangent or an adjoint reaches. Seeding $a$ reaches 4 of them, $b$ reaches 4
and $c$ reaches 3: forward mode takes $4 + 4 + 3 = 11$ op steps. The backward pass from $f_1$
takes 2 and the one from $f_2$ takes 3: reverse mode takes $2 + 3 = 5$.

Both build the same Jacobian. With a loss ($m = 1$) reverse mode needs **one** pass however
many inputs there are, which is why training uses it. Forward mode wins when $n < m$.
Type the two functions as `f1 = a*b*c` and `f2 = a**2 + b*c` and open
**View ▸ Why reverse mode wins** to watch the columns and the rows fill in.
"""
