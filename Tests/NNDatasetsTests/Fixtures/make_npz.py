"""Writes the .npz fixtures of NPZSourceTests with NumPy itself (an independent writer: the tests
check nnexp's reading against the values below). Run from this folder: python3 make_npz.py"""
import numpy as np

# savez (stored members): float64 features, int64 labels as scikit-learn returns them.
np.savez("labels.npz",
         X=np.array([[0.5, -1.0], [2.0, 3.25], [1e-3, 7.0], [4.0, 4.0], [-2.5, 0.0], [6.0, 1.0]]),
         y=np.array([2, 0, 1, 2, 0, 1], dtype=np.int64))
# The same arrays' test part: labels that occur in labels.npz, numbered in their own file as 0, 1.
np.savez("labels-test.npz", X=np.array([[1.0, 1.0], [2.0, 2.0]]), y=np.array([2, 1], dtype=np.int64))
# savez_compressed (deflated members), float32 features in Fortran order, int32 labels 3 and 5.
np.savez_compressed("compressed.npz",
                    X=np.asfortranarray(np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]], dtype=np.float32) / 4),
                    y=np.array([5, 3, 5, 3], dtype=np.int32))
# Regression under other names, big-endian float64, targets of shape (samples, 2).
np.savez("regression.npz",
         inputs=np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=">f8"),
         t=np.array([[0.5, 1.5], [2.5, 3.5], [4.5, 5.5]], dtype=">f8"),
         unused=np.zeros(3))
# Images: uint8 pixels of shape (samples, height, width) and boolean labels.
np.savez("images.npz", X=np.arange(3 * 2 * 3, dtype=np.uint8).reshape(3, 2, 3), y=np.array([True, False, True]))
# Mistakes: fractional labels; label count that does not match; a 1-D feature array.
np.savez("fractional-labels.npz", X=np.ones((2, 2)), y=np.array([0.5, 1.0]))
np.savez("short-labels.npz", X=np.ones((3, 2)), y=np.array([0, 1]))
np.savez("flat-features.npz", X=np.ones(4), y=np.array([0, 1, 0, 1]))
