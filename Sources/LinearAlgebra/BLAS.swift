internal import CLAPACKE

/// Column-major BLAS calls on raw buffers, for hot loops that keep their own scratch space (the ODE right-hand
/// side): no `Matrix` is created, so nothing is allocated per call.
public enum BLAS {
    /// C ← α·op(A)·op(B) + β·C; op(A) is m × k, op(B) is k × n, all column-major with the given leading dimensions.
    @inlinable
    public static func gemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Double,
        _ a: UnsafePointer<Double>, lda: Int, _ b: UnsafePointer<Double>, ldb: Int, beta: Double,
        _ c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        rawGemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }

    /// y ← α·op(A)·x + β·y for a column-major rows × columns matrix A; x is read with stride `incx`.
    @inlinable
    public static func gemv(
        _ trans: Transpose, rows: Int, columns: Int, alpha: Double, _ a: UnsafePointer<Double>, lda: Int,
        _ x: UnsafePointer<Double>, incx: Int = 1, beta: Double, _ y: UnsafeMutablePointer<Double>
    ) {
        guard rows > 0, columns > 0 else { return }
        rawGemv(trans, rows, columns, alpha, a, lda, x, incx, beta, y)
    }

    /// A ← A + α·x·yᵀ (`dger`) for a column-major rows × columns matrix A; y is read with stride `incy`.
    @inlinable
    public static func ger(
        rows: Int, columns: Int, alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, incy: Int,
        _ a: UnsafeMutablePointer<Double>, lda: Int
    ) {
        guard rows > 0, columns > 0 else { return }
        rawGer(rows, columns, alpha, x, y, incy, a, lda)
    }

    /// Σ_k x_k y_k over contiguous arrays (`ddot`: vectorised, unlike a plain Swift loop, whose strict
    /// floating-point order makes the sum one long dependency chain).
    @inlinable
    public static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
        rawDot(x, y, count)
    }

    /// y ← α·x + y over contiguous arrays (`daxpy`).
    public static func axpy(
        count: Int, alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>
    ) {
        guard count > 0 else { return }
        cblas_daxpy(Int32(count), alpha, x, 1, y, 1)
    }

    /// Σ|x_i| over a contiguous array (`dasum`): infinite or NaN exactly when some x_i is (or the sum overflows,
    /// beyond 10³⁰⁸), so one vectorised pass tells whether a state is still finite.
    public static func absoluteSum(_ x: UnsafePointer<Double>, count: Int) -> Double {
        guard count > 0 else { return 0 }
        return cblas_dasum(Int32(count), x, 1)
    }

    @usableFromInline
    static func rawDot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ count: Int) -> Double {
        cblas_ddot(Int32(count), x, 1, y, 1)
    }

    @usableFromInline
    static func rawGemm(
        _ transA: Transpose, _ transB: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
        _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int, _ beta: Double,
        _ c: UnsafeMutablePointer<Double>, _ ldc: Int
    ) {
        cblas_dgemm(
            CblasColMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(1, lda)), b,
            Int32(max(1, ldb)), beta, c, Int32(max(1, ldc)))
    }

    @usableFromInline
    static func rawGemv(
        _ trans: Transpose, _ rows: Int, _ columns: Int, _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int,
        _ x: UnsafePointer<Double>, _ incx: Int, _ beta: Double, _ y: UnsafeMutablePointer<Double>
    ) {
        cblas_dgemv(
            CblasColMajor, trans.cblas, Int32(rows), Int32(columns), alpha, a, Int32(max(1, lda)), x, Int32(incx), beta,
            y, 1)
    }

    @usableFromInline
    static func rawGer(
        _ rows: Int, _ columns: Int, _ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>,
        _ incy: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int
    ) {
        cblas_dger(CblasColMajor, Int32(rows), Int32(columns), alpha, x, 1, y, Int32(incy), a, Int32(max(1, lda)))
    }
}
