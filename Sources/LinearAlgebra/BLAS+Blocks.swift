import Dispatch

extension BLAS {
    /// Column blocks of C start on multiples of this many columns: BLAS kernels work in tiles of up to 16 columns
    /// and finish a ragged edge with other micro-kernels, whose rounding differs, so with aligned boundaries every
    /// column of C is computed by the same kernel however the product is split (bit for bit on any core count).
    public static let columnAlignment = 16

    /// Multiply–adds below which a product stays on the calling thread: waking a second core costs more.
    public static let parallelWork = 1 << 15

    /// C ← α·op(A)·op(B) + β·C, `gemm` split into up to `blocks` aligned column blocks of C that run on separate
    /// cores, each one single-threaded `dgemm` with the full inner dimension k (OpenBLAS itself runs on one thread
    /// in egan: `LinearAlgebraLibrary.useSingleThreadedBLAS`). Column block [j₀, j₁) of C needs only columns
    /// j₀..<j₁ of op(B): B's columns at `b + j₀·ldb`, or its rows at `b + j₀` when transposed.
    public static func gemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Double,
        _ a: UnsafePointer<Double>, lda: Int, _ b: UnsafePointer<Double>, ldb: Int, beta: Double,
        _ c: UnsafeMutablePointer<Double>, ldc: Int, blocks: Int
    ) {
        let tiles = (n + columnAlignment - 1) / columnAlignment
        let count = m * n * k >= parallelWork ? min(max(1, blocks), tiles) : 1
        guard count > 1 else {
            gemm(transA, transB, m: m, n: n, k: k, alpha: alpha, a, lda: lda, b, ldb: ldb, beta: beta, c, ldc: ldc)
            return
        }
        let boundary: @Sendable (Int) -> Int = { block in min(n, tiles * block / count * columnAlignment) }
        let shared = UnsafeOperands(a: a, b: b, c: c)
        DispatchQueue.concurrentPerform(iterations: count) { block in
            let (start, end) = (boundary(block), boundary(block + 1))
            gemm(
                transA, transB, m: m, n: end - start, k: k, alpha: alpha, shared.a, lda: lda,
                shared.b + (transB == .none ? start * ldb : start), ldb: ldb, beta: beta, shared.c + start * ldc,
                ldc: ldc)
        }
    }
}

/// The operands of a blocked product, handed to the worker threads: each block writes its own columns of C.
private struct UnsafeOperands: @unchecked Sendable {
    let a: UnsafePointer<Double>
    let b: UnsafePointer<Double>
    let c: UnsafeMutablePointer<Double>
}
