internal import CLAPACKE

/// Whether a BLAS operand enters as itself or transposed.
public enum Transpose: Sendable {
    case none
    case transposed

    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

extension Matrix {
    /// C ← α·op(A)·op(B) + β·C with OpenBLAS `dgemm`.
    ///
    /// All Gram-type sums in the Jacobian (Σ_p w_p q_p q_pᵀ, Σ_p G_pᵀ G_p) are formed this way: one BLAS-3 call
    /// instead of a scalar triple loop.
    public mutating func addProduct(
        _ a: Matrix, _ b: Matrix, transA: Transpose = .none, transB: Transpose = .none,
        alpha: Double = 1, beta: Double = 1
    ) {
        let m = transA == .none ? a.rows : a.columns
        let k = transA == .none ? a.columns : a.rows
        let kB = transB == .none ? b.rows : b.columns
        let n = transB == .none ? b.columns : b.rows
        precondition(k == kB && rows == m && columns == n, "dgemm shape mismatch")
        if m == 0 || n == 0 { return }
        if k == 0 {
            if beta != 1 { for i in storage.indices { storage[i] *= beta } }
            return
        }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                storage.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(
                        CblasColMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k), alpha,
                        pa.baseAddress, Int32(max(1, a.rows)), pb.baseAddress, Int32(max(1, b.rows)), beta,
                        pc.baseAddress, Int32(max(1, rows)))
                }
            }
        }
    }

    /// The product op(A)·op(B).
    public static func product(_ a: Matrix, _ b: Matrix, transA: Transpose = .none, transB: Transpose = .none)
        -> Matrix
    {
        let m = transA == .none ? a.rows : a.columns
        let n = transB == .none ? b.columns : b.rows
        var c = Matrix(rows: m, columns: n)
        c.addProduct(a, b, transA: transA, transB: transB, alpha: 1, beta: 0)
        return c
    }

    /// y = A·x.
    public func apply(_ x: [Double]) -> [Double] {
        precondition(x.count == columns, "matrix-vector shape mismatch")
        var y = [Double](repeating: 0, count: rows)
        if rows == 0 || columns == 0 { return y }
        storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(
                        CblasColMajor, CblasNoTrans, Int32(rows), Int32(columns), 1, pa.baseAddress,
                        Int32(max(1, rows)), px.baseAddress, 1, 0, py.baseAddress, 1)
                }
            }
        }
        return y
    }
}
