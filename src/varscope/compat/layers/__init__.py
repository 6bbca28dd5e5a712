"""tf.layers: see varscope.compat.layers._base."""
