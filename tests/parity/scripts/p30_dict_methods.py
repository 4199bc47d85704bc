import tensorflow as tf

params = {"w": tf.Variable(2.0), "b": tf.Variable(1.0)}
with tf.GradientTape() as tape:
    y = params["w"] * 3.0 + params["b"]
grads = tape.gradient(y, params)
for name, g in grads.items():
    print(name, g.numpy())
print(sorted(grads.keys()))
print([float(v) for v in grads.values()])
print(params.get("missing", "none"))
history = {}
history.setdefault("loss", []).append(1.5)
history.update({"acc": 0.9})
print(history)
print(history.pop("acc"), history)
print("w" in params, len(params))
