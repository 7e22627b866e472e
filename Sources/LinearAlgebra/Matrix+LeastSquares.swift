internal import CLAPACKE

extension Matrix {
    /// The minimum-norm least-squares solution X of A·X ≈ B (`self` is A) by LAPACK's SVD-based `dgelsd`;
    /// singular values below `relativeCutoff` × the largest are treated as zero.
    ///
    /// Newton's method on a flow with symmetries needs it: its Jacobian is singular along the neutral
    /// directions, and the minimum-norm step leaves them alone.
    public func leastSquaresSolution(_ b: Matrix, relativeCutoff: Double = 1e-12) throws -> Matrix {
        precondition(b.rows == rows, "least-squares shape mismatch")
        let m = rows
        let n = columns
        let ldb = Swift.max(1, Swift.max(m, n))
        if m == 0 || n == 0 { return Matrix(rows: n, columns: b.columns) }
        guard storage.allSatisfy(\.isFinite), b.storage.allSatisfy(\.isFinite) else {
            throw LinearAlgebraError.nonFinite(routine: "dgelsd")
        }
        var a = storage
        var x = [Double](repeating: 0, count: ldb * b.columns)
        for c in 0..<b.columns { for r in 0..<m { x[c * ldb + r] = b[r, c] } }
        var singular = [Double](repeating: 0, count: Swift.min(m, n))
        var rank: clapacke_int = 0
        let info = LAPACKE_dgelsd(
            LAPACK_COL_MAJOR, clapacke_int(m), clapacke_int(n), clapacke_int(b.columns), &a, clapacke_int(m), &x,
            clapacke_int(ldb), &singular, relativeCutoff, &rank)
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dgelsd", info: Int(info)) }
        if info > 0 { throw LinearAlgebraError.eigenvalueIterationFailed(routine: "dgelsd", info: Int(info)) }
        var solution = Matrix(rows: n, columns: b.columns)
        for c in 0..<b.columns { for r in 0..<n { solution[r, c] = x[c * ldb + r] } }
        return solution
    }
}
