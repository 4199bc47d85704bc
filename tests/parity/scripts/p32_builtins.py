import tensorflow as tf

xs = [3.0, -1.0, 2.5]
print(min(xs), max(xs), sum(xs), sum(xs, 10.0), abs(-2), round(2.675, 2), round(7.5))
print(any(v < 0 for v in xs), all(v < 10 for v in xs))
print(list(zip(["a", "b"], [1, 2])), list(enumerate("xy", start=1)))
print(list(reversed(xs)), sorted(xs, reverse=True))
print(max(xs, key=abs), min([], default=0), divmod(17, 5), pow(2, 10))
print(isinstance(tf.constant(1.0), tf.Tensor), isinstance(tf.Variable(1.0), tf.Variable))
print(isinstance(3, (int, float)), isinstance("s", int))
print(sum(v * v for v in xs), {k: k * 2 for k in range(3)}, {v % 2 for v in range(5)})
print(repr("text"), str(1.5), int("12") + 1, float("2.5"), bool([]), len("abc"))
print(list(range(10, 0, -3)), tuple([1, 2]), dict(a=1, b=2))
