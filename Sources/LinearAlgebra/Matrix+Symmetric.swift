internal import CLAPACKE

/// The eigendecomposition A = V diag(λ) Vᵀ of a real symmetric matrix.
public struct SymmetricEigenDecomposition: Sendable {
    /// Eigenvalues in ascending order.
    public let values: [Double]
    /// Orthonormal eigenvectors as columns, `vectors[·, k]` belonging to `values[k]`.
    public let vectors: Matrix

    /// The columns whose eigenvalues exceed `relativeTolerance` times the largest |eigenvalue|: an orthonormal
    /// basis of the numerical range of a positive semi-definite matrix, with the values that go with it.
    ///
    /// The rank is judged relative to the norm of the matrix itself (its largest eigenvalue), never to anything
    /// outside it, so it does not depend on how other blocks of a problem are scaled.
    public func range(relativeTolerance: Double) -> (values: [Double], basis: Matrix) {
        let largest = values.map(abs).max() ?? 0
        let kept = values.indices.filter { values[$0] > relativeTolerance * largest && largest > 0 }
        var basis = Matrix(rows: vectors.rows, columns: kept.count)
        for (j, k) in kept.enumerated() {
            for i in 0..<vectors.rows { basis[i, j] = vectors[i, k] }
        }
        return (kept.map { values[$0] }, basis)
    }
}

extension Matrix {
    /// Eigenvalues and orthonormal eigenvectors of a symmetric matrix, from LAPACK `dsyevd` (divide and conquer:
    /// the fastest full decomposition; only the lower triangle is read).
    ///
    /// - Throws: `LinearAlgebraError` if the matrix is not finite or the iteration fails.
    public func symmetricEigenDecomposition() throws -> SymmetricEigenDecomposition {
        try symmetricEigen(wantVectors: true)
    }

    /// Eigenvalues of a symmetric matrix in ascending order (`dsyevd`, no vectors; only the lower triangle is
    /// read).
    public func symmetricEigenvalues() throws -> [Double] {
        try symmetricEigen(wantVectors: false).values
    }

    private func symmetricEigen(wantVectors: Bool) throws -> SymmetricEigenDecomposition {
        precondition(isSquare, "eigenvalues need a square matrix")
        let n = rows
        if n == 0 { return SymmetricEigenDecomposition(values: [], vectors: self) }
        guard storage.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFinite(routine: "dsyevd") }
        var a = storage
        var w = [Double](repeating: 0, count: n)
        let info = LAPACKE_dsyevd(
            LAPACK_COL_MAJOR, CChar(UInt8(ascii: wantVectors ? "V" : "N")), CChar(UInt8(ascii: "L")),
            clapacke_int(n), &a, clapacke_int(n), &w)
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dsyevd", info: Int(info)) }
        if info > 0 { throw LinearAlgebraError.eigenvalueIterationFailed(routine: "dsyevd", info: Int(info)) }
        return SymmetricEigenDecomposition(
            values: w, vectors: wantVectors ? Matrix(rows: n, columns: n, columnMajor: a) : Matrix(rows: 0, columns: 0))
    }

    /// The congruence Bᵀ·A·B (for a symmetric A, the matrix of its quadratic form in the basis B).
    public func congruence(_ basis: Matrix) -> Matrix {
        Matrix.product(basis, Matrix.product(self, basis), transA: .transposed)
    }
}
