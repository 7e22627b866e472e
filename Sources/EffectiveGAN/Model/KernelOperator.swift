import LinearAlgebra

/// The generator kernel K (η_G included) as an operator on particle-blocked data.
///
/// A kernel whose diagonal entries are all equal and whose off-diagonal entries are all equal is the universal
/// kernel of spec §4; it is applied in O(N·d) per column as (K_ii − K_ij)·B_i + K_ij·Σ_j B_j, without touching an
/// N × N matrix. Any other kernel is applied with `dgemm`. The structure is detected from the matrix itself, so a
/// config and its resolved model take the same arithmetic path and give bit-identical results.
public enum KernelOperator: Sendable {
    case universal(diagonal: Double, offDiagonal: Double, count: Int)
    case dense(Matrix)

    public init(_ rows: [[Double]]) {
        let n = rows.count
        let diagonal = rows[0][0]
        let offDiagonal = n > 1 ? rows[0][1] : 0
        let isUniversal = (0..<n).allSatisfy { i in
            (0..<n).allSatisfy { j in rows[i][j] == (i == j ? diagonal : offDiagonal) }
        }
        self = isUniversal ? .universal(diagonal: diagonal, offDiagonal: offDiagonal, count: n) : .dense(Matrix(rows))
    }

    /// Number of particles N.
    public var count: Int {
        switch self {
        case let .universal(_, _, count): return count
        case let .dense(matrix): return matrix.rows
        }
    }

    /// (K ⊗ I_d)·B for a matrix B whose rows come in N blocks of d (row i·d + α belongs to particle i).
    public func apply(toBlocks blocks: Matrix, blockSize d: Int) -> Matrix {
        let n = count
        precondition(blocks.rows == n * d, "kernel applied to \(blocks.rows) rows, need \(n * d)")
        switch self {
        case let .universal(diagonal, offDiagonal, _):
            var result = blocks
            let own = diagonal - offDiagonal
            for column in 0..<blocks.columns {
                let base = column * blocks.rows
                for α in 0..<d {
                    var total = 0.0
                    for i in 0..<n { total += blocks.storage[base + i * d + α] }
                    for i in 0..<n {
                        let index = base + i * d + α
                        result.storage[index] = own * blocks.storage[index] + offDiagonal * total
                    }
                }
            }
            return result
        case let .dense(kernel):
            // Regroup B (N·d × c) as N × (d·c), multiply by K once, and scatter back.
            var grouped = Matrix(rows: n, columns: d * blocks.columns)
            for column in 0..<blocks.columns {
                for i in 0..<n { for α in 0..<d { grouped[i, column * d + α] = blocks[i * d + α, column] } }
            }
            let product = Matrix.product(kernel, grouped)
            var result = Matrix(rows: blocks.rows, columns: blocks.columns)
            for column in 0..<blocks.columns {
                for i in 0..<n { for α in 0..<d { result[i * d + α, column] = product[i, column * d + α] } }
            }
            return result
        }
    }

    /// (K ⊗ I_d)·u for a particle-blocked vector.
    public func apply(to vector: [Double], blockSize d: Int) -> [Double] {
        var result = [Double](repeating: 0, count: vector.count)
        vector.withUnsafeBufferPointer { u in
            result.withUnsafeMutableBufferPointer { apply(to: u.baseAddress!, blockSize: d, into: $0.baseAddress!) }
        }
        return result
    }

    /// out = (K ⊗ I_d)·u for a particle-blocked vector of length N·d, allocating nothing (the ODE right-hand side).
    ///
    /// u read row-major as N × d is column-major d × N, so the dense product is out = uᵀ-layout · Kᵀ: one `dgemm`
    /// with no regrouping.
    public func apply(to u: UnsafePointer<Double>, blockSize d: Int, into out: UnsafeMutablePointer<Double>) {
        switch self {
        case let .universal(diagonal, offDiagonal, n):
            let own = diagonal - offDiagonal
            for α in 0..<d {
                var total = 0.0
                for i in 0..<n { total += u[i * d + α] }
                for i in 0..<n { out[i * d + α] = own * u[i * d + α] + offDiagonal * total }
            }
        case let .dense(kernel):
            let n = kernel.rows
            kernel.storage.withUnsafeBufferPointer { k in
                BLAS.gemm(
                    .none, .transposed, m: d, n: n, k: n, alpha: 1, u, lda: d, k.baseAddress!, ldb: n, beta: 0, out,
                    ldc: d)
            }
        }
    }

    /// The kernel's eigenvalues for relative motions (N − 1 of them) and the centre of mass, for the universal form:
    /// K_ii − K_ij = η_G g₁(1 − φ)/N and K_ii + (N − 1)K_ij = η_G g₁(1 + (N − 1)φ)/N. Nil for other kernels.
    public var universalEigenvalues: (relative: Double, centre: Double)? {
        guard case let .universal(diagonal, offDiagonal, n) = self else { return nil }
        return (diagonal - offDiagonal, diagonal + Double(n - 1) * offDiagonal)
    }

    /// For any kernel: its measured centre-of-mass eigenvalue (the largest) and mean relative eigenvalue (the mean
    /// of the others), next to what the universal fit (g₁ = mean diagonal, g₂ = mean off-diagonal) predicts:
    /// g₁ − g₂ and g₁ + (N − 1) g₂.
    public func kernelModes() throws -> (relative: Double, centre: Double, fit: UniversalFit) {
        let matrix: Matrix
        switch self {
        case let .universal(diagonal, offDiagonal, n):
            matrix = Matrix((0..<n).map { i in (0..<n).map { i == $0 ? diagonal : offDiagonal } })
        case let .dense(dense):
            matrix = dense
        }
        let eigenvalues = try matrix.symmetricEigenvalues()
        let rest = eigenvalues.dropLast()
        let relative = rest.isEmpty ? 0 : rest.reduce(0, +) / Double(rest.count)
        return (relative, eigenvalues.last ?? 0, UniversalFit(matrix))
    }
}
