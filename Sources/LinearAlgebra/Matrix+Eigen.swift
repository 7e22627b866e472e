internal import CLAPACKE
public import Numerics

/// Eigenvalues and right eigenvectors of a real square matrix, as computed by LAPACK `dgeev`.
public struct EigenDecomposition: Sendable {
    /// The eigenvalues in LAPACK's order (complex-conjugate pairs adjacent, positive imaginary part first).
    public let values: [Complex<Double>]
    /// `vectors[k]` is the unit-norm right eigenvector of `values[k]`.
    public let vectors: [[Complex<Double>]]
}

extension Matrix {
    /// Eigenvalues only, from LAPACK `dgeev` with `JOBVL = JOBVR = 'N'` (no eigenvectors: about 3× cheaper).
    ///
    /// - Throws: `LinearAlgebraError` if the matrix is not finite or the QR iteration fails.
    public func eigenvalues() throws -> [Complex<Double>] {
        try generalEigen(wantVectors: false).values
    }

    /// Eigenvalues and right eigenvectors from LAPACK `dgeev` (`JOBVR = 'V'`).
    public func eigenDecomposition() throws -> EigenDecomposition {
        try generalEigen(wantVectors: true)
    }

    private func generalEigen(wantVectors: Bool) throws -> EigenDecomposition {
        precondition(isSquare, "eigenvalues need a square matrix")
        let n = rows
        if n == 0 { return EigenDecomposition(values: [], vectors: []) }
        guard storage.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFinite(routine: "dgeev") }
        var a = storage
        var wr = [Double](repeating: 0, count: n)
        var wi = [Double](repeating: 0, count: n)
        var vr = [Double](repeating: 0, count: wantVectors ? n * n : 1)
        var vl = [Double](repeating: 0, count: 1)
        let info = LAPACKE_dgeev(
            LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: wantVectors ? "V" : "N")),
            clapacke_int(n), &a, clapacke_int(n), &wr, &wi, &vl, 1, &vr, clapacke_int(wantVectors ? n : 1))
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dgeev", info: Int(info)) }
        if info > 0 { throw LinearAlgebraError.eigenvalueIterationFailed(routine: "dgeev", info: Int(info)) }
        let values = (0..<n).map { Complex(wr[$0], wi[$0]) }
        guard wantVectors else { return EigenDecomposition(values: values, vectors: []) }
        // dgeev packs a conjugate pair (k, k+1) as columns Re = v_k, Im = v_{k+1}.
        var vectors: [[Complex<Double>]] = []
        var k = 0
        while k < n {
            let re = Array(vr[(k * n)..<((k + 1) * n)])
            if wi[k] != 0 && k + 1 < n {
                let im = Array(vr[((k + 1) * n)..<((k + 2) * n)])
                vectors.append((0..<n).map { Complex(re[$0], im[$0]) })
                vectors.append((0..<n).map { Complex(re[$0], -im[$0]) })
                k += 2
            } else {
                vectors.append(re.map { Complex($0, 0) })
                k += 1
            }
        }
        return EigenDecomposition(values: values, vectors: vectors)
    }

    /// Solves A·X = B by LU with partial pivoting (LAPACK `dgesv`); `self` is A.
    public func solve(_ b: Matrix) throws -> Matrix {
        precondition(isSquare && b.rows == rows, "solve shape mismatch")
        if rows == 0 { return b }
        var a = storage
        var x = b.storage
        var pivots = [clapacke_int](repeating: 0, count: rows)
        let info = LAPACKE_dgesv(
            LAPACK_COL_MAJOR, clapacke_int(rows), clapacke_int(b.columns), &a, clapacke_int(rows), &pivots, &x,
            clapacke_int(rows))
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dgesv", info: Int(info)) }
        if info > 0 { throw LinearAlgebraError.singular(routine: "dgesv", info: Int(info)) }
        return Matrix(rows: b.rows, columns: b.columns, columnMajor: x)
    }
}

/// Versions of the linear-algebra libraries actually linked, for provenance in reports.
public enum LinearAlgebraLibrary {
    /// OpenBLAS's configuration string (version, kernel, threading), e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH …`.
    public static var openBLASConfiguration: String {
        String(cString: clapacke_openblas_config())
    }
}

extension LinearAlgebraLibrary {
    /// Pins OpenBLAS to one thread for the rest of the process (idempotent; the first call does it).
    ///
    /// EffectiveGAN parallelises over independent problems (sweep points, seeds, blocks of points in the field);
    /// letting OpenBLAS also spawn a thread per core inside each of them oversubscribes the machine (measured: a
    /// 101-point sweep of a 1 153-dimensional model took 34.6 s that way and 12.8 s with one BLAS thread per task).
    /// It is set once and never restored: a process-wide count flipped around calls races between concurrent
    /// callers, and a count that changes from call to call changes the rounding of blocked LAPACK routines, so the
    /// same analysis would not be bit-identical inside and outside a parallel region. Measured cost for a single
    /// large analysis: `analyze-784` 0.55 s instead of 0.47 s.
    ///
    /// Who calls it: `egan`'s entry point (`EganMain.run`), before any work, and the executors that run cells in
    /// parallel (a program using the library without them keeps its own BLAS setting). Building a model does not:
    /// a model is a value, not a switch of process state.
    public static func useSingleThreadedBLAS() {
        _ = singleThreaded
    }

    private static let singleThreaded: Void = openblas_set_num_threads(1)
}
