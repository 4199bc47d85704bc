import tensorflow as tf

names = ["weights", "bias", "scale"]
print(", ".join(names))
print("a,b,,c".split(","), "  padded  ".strip(), "x".upper(), "ABC".lower())
print("loss".center(10, "*"), "7".zfill(3), "grad".ljust(6) + "|", "grad".rjust(6))
print("layer_one".replace("_", " ").title(), "dense".startswith("de"), "dense".endswith("x"))
print("hello".find("l"), "hello".count("l"), "123".isdigit(), "abc".isalpha())
seen = set()
for n in ["a", "b", "a", "c"]:
    seen.add(n)
print(sorted(seen), len(seen))
seen.discard("b")
print(sorted(seen | {"z"}), sorted(seen & {"a", "q"}), sorted(seen - {"a"}))
t = tf.constant("hello")
print(t)
