import tensorflow as tf

x = tf.ones((2, 3, 4))
print(tf.shape(x))
print(tf.size(x), tf.rank(x))
print(tf.shape(x)[0], x.shape[0])
print(tf.cast(tf.constant([1.7, -1.7]), tf.int32))
print(tf.cast(tf.constant([1, 2]), tf.float64))
print(tf.math.argmax(tf.constant([1.0, 5.0, 2.0])))
print(tf.argmin(tf.constant([[1.0, 5.0], [0.0, 7.0]]), axis=1))
print(tf.reshape(tf.range(6), (2, -1)))
