import tensorflow as tf

x = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y = x
    n = 0
    while n < 4:
        y = tf.sin(y) + y
        n += 1
print(n, y)
print(tape.gradient(y, x))
count = 0
while True:
    count += 1
    if count >= 3:
        break
print("count", count)
