internal import CLAPACKE

extension Matrix {
    /// An orthonormal basis Q (rows × min(rows, columns)) of a space containing this matrix's column space, from
    /// LAPACK's Householder QR (`dgeqrf` then `dorgqr`).
    ///
    /// No rank decision is made: dependent columns still give orthonormal columns of Q, and the span of Q contains
    /// every column. Exact invariant-subspace reductions need exactly this — a superspace is as exact as the
    /// space, and a numerical rank cut would not be.
    public func orthonormalColumnBasis() throws -> Matrix {
        let m = rows
        let k = Swift.min(rows, columns)
        if k == 0 { return Matrix(rows: m, columns: 0) }
        guard storage.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFinite(routine: "dgeqrf") }
        var a = storage
        var tau = [Double](repeating: 0, count: k)
        let info = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, clapacke_int(m), clapacke_int(columns), &a, clapacke_int(m), &tau)
        if info != 0 { throw LinearAlgebraError.illegalArgument(routine: "dgeqrf", info: Int(info)) }
        var q = Array(a[0..<(m * k)])
        let infoQ = LAPACKE_dorgqr(
            LAPACK_COL_MAJOR, clapacke_int(m), clapacke_int(k), clapacke_int(k), &q, clapacke_int(m), &tau)
        if infoQ != 0 { throw LinearAlgebraError.illegalArgument(routine: "dorgqr", info: Int(infoQ)) }
        return Matrix(rows: m, columns: k, columnMajor: q)
    }
}
