"""This machine's `dgemm` rate through the OpenBLAS egan links (Debian's libopenblas), for the README's "fraction
of the dgemm rate": C = A·B at a network step's shapes, on one thread and on every core, best of many runs.

    python3 benchmarks/dgemm_rate.py [--library libopenblas.so.0]
"""

import argparse
import ctypes
import os
import time

import numpy as np

SHAPES = [(100, 784, 512), (100, 512, 512), (512, 784, 100), (200, 784, 512)]  # (m, n, k)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--library", default="libopenblas.so.0")
    options = parser.parse_args()
    blas = ctypes.CDLL(options.library)
    blas.cblas_dgemm.argtypes = [ctypes.c_int] * 6 + [ctypes.c_double, ctypes.c_void_p, ctypes.c_int,
                                                       ctypes.c_void_p, ctypes.c_int, ctypes.c_double,
                                                       ctypes.c_void_p, ctypes.c_int]
    blas.openblas_set_num_threads.argtypes = [ctypes.c_int]
    column_major, no_transpose = 102, 111
    for threads in (1, os.cpu_count()):
        blas.openblas_set_num_threads(threads)
        for m, n, k in SHAPES:
            a = np.asfortranarray(np.random.rand(m, k))
            b = np.asfortranarray(np.random.rand(k, n))
            c = np.asfortranarray(np.zeros((m, n)))
            best = float("inf")
            for _ in range(200):
                start = time.perf_counter()
                blas.cblas_dgemm(column_major, no_transpose, no_transpose, m, n, k, 1.0, a.ctypes.data, m,
                                 b.ctypes.data, k, 0.0, c.ctypes.data, m)
                best = min(best, time.perf_counter() - start)
            assert np.allclose(c, a @ b)
            print(f"{threads} thread(s)  {m} x {n} x {k}: {2 * m * n * k / best / 1e9:6.1f} GFLOP/s")


if __name__ == "__main__":
    main()
