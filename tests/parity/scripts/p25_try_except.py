import tensorflow as tf

def safe_div(a, b):
    try:
        r = a / b
    except ZeroDivisionError as e:
        print("caught:", e)
        r = 0.0
    else:
        print("no error")
    finally:
        print("finally")
    return r

print(safe_div(1, 2))
print(safe_div(1, 0))
x = tf.Variable(1.0)
with tf.GradientTape() as g:
    y = x * x
g.gradient(y, x)
try:
    g.gradient(y, x)
except RuntimeError as e:
    print(type(e).__name__)
    print(e)
try:
    raise ValueError("bad value")
except (TypeError, ValueError) as e:
    print("got", repr(e))
