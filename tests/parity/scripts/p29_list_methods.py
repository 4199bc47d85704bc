import tensorflow as tf

losses = []
x = tf.Variable(4.0)
for step in range(4):
    with tf.GradientTape() as tape:
        loss = x * x
    losses.append(float(loss))
    x.assign_sub(0.25 * tape.gradient(loss, x))
print(losses)
extra = [1.0, 2.0]
losses.extend(extra)
losses.insert(0, 100.0)
print(losses.pop(), losses.pop(0), len(losses))
print(losses.index(16.0), losses.count(1.0))
losses.sort()
print(losses)
losses.reverse()
print(losses, losses.copy() == losses)
losses.remove(1.0)
print(losses)
losses.clear()
print(losses)
