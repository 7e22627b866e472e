import LinearAlgebra

/// The generator kernel K = (η_G/N)·Θ (spec §4) as an operator on particle-blocked data.
///
/// Three forms, chosen from the matrix itself so that a config and its resolved model take the same arithmetic
/// path and give bit-identical results:
/// - `universal`: all diagonal entries equal and all off-diagonal entries equal; applied in O(N·d) per column as
///   (K_ii − K_ij)·B_i + K_ij·Σ_j B_j, without touching an N × N matrix.
/// - `dense`: any other N × N matrix, acting as K ⊗ I_d (every output coordinate alike); applied with `dgemm`.
/// - `block`: an (N·d) × (N·d) matrix, the full tangent kernel of a network with d outputs (rows particle-major,
///   row i·d + a), whose cross-output blocks need not vanish; ẋ_i = Σ_j K_ij u_j with K_ij its d × d block.
///   A block matrix that is exactly K ⊗ I_d is stored as its N × N factor, so it reproduces the N × N result bit
///   for bit.
public enum KernelOperator: Sendable {
    case universal(diagonal: Double, offDiagonal: Double, count: Int)
    case dense(Matrix)
    case block(Matrix, blockSize: Int)

    /// The operator for a kernel matrix of N × N or (N·d) × (N·d) entries (validated by the caller).
    public init(_ rows: [[Double]], particles n: Int) {
        if rows.count != n, n > 0, rows.count % n == 0 {
            let d = rows.count / n
            if let factor = Self.kroneckerFactor(rows, blockSize: d) {
                self.init(factor, particles: n)
            } else {
                self = .block(Matrix(rows), blockSize: d)
            }
            return
        }
        let diagonal = rows[0][0]
        let offDiagonal = n > 1 ? rows[0][1] : 0
        let isUniversal = (0..<n).allSatisfy { i in
            (0..<n).allSatisfy { j in rows[i][j] == (i == j ? diagonal : offDiagonal) }
        }
        self = isUniversal ? .universal(diagonal: diagonal, offDiagonal: offDiagonal, count: n) : .dense(Matrix(rows))
    }

    /// The N × N factor k of a block matrix that is exactly k ⊗ I_d (every block a multiple of the identity), or
    /// nil. Exact comparison on purpose: only then is the reduced arithmetic the same operator.
    static func kroneckerFactor(_ rows: [[Double]], blockSize d: Int) -> [[Double]]? {
        let n = rows.count / d
        var factor = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0..<n {
                let value = rows[i * d][j * d]
                for a in 0..<d {
                    for b in 0..<d where rows[i * d + a][j * d + b] != (a == b ? value : 0) { return nil }
                }
                factor[i][j] = value
            }
        }
        return factor
    }

    /// Number of particles N.
    public var count: Int {
        switch self {
        case let .universal(_, _, count): return count
        case let .dense(matrix): return matrix.rows
        case let .block(matrix, d): return matrix.rows / d
        }
    }

    /// One line for tables and reports: the form, K_ii and φ (universal) or the size (and, for a block kernel, the
    /// share of the cross-output blocks).
    public var summary: String {
        switch self {
        case let .universal(diagonal, offDiagonal, _):
            return "universal, K_ii = \(Format.number(diagonal)), φ = \(Format.number(offDiagonal / diagonal))"
        case let .dense(matrix):
            return "explicit \(matrix.rows) × \(matrix.rows)"
        case let .block(matrix, d):
            return
                "explicit block \(matrix.rows) × \(matrix.rows) (N = \(matrix.rows / d), d = \(d)), cross-output share \(Format.number(crossOutputShare, digits: 3))"
        }
    }

    /// The mean diagonal entry of K (over particles and, for a block kernel, outputs): the self-coupling K_ii.
    public var meanDiagonal: Double {
        switch self {
        case let .universal(diagonal, _, _): return diagonal
        case let .dense(matrix), let .block(matrix, _):
            return (0..<matrix.rows).reduce(0) { $0 + matrix[$1, $1] } / Double(matrix.rows)
        }
    }

    /// The N × N kernel between particles: K itself, or for a block kernel the trace average (1/d) tr K_ij of
    /// each d × d block (what every output coordinate feels on average; the universal fit is made on it).
    public var particleMatrix: Matrix {
        switch self {
        case let .universal(diagonal, offDiagonal, n):
            return Matrix((0..<n).map { i in (0..<n).map { i == $0 ? diagonal : offDiagonal } })
        case let .dense(matrix):
            return matrix
        case let .block(matrix, d):
            let n = matrix.rows / d
            var average = Matrix(rows: n, columns: n)
            for j in 0..<n {
                for i in 0..<n {
                    average[i, j] = (0..<d).reduce(0) { $0 + matrix[i * d + $1, j * d + $1] } / Double(d)
                }
            }
            return average
        }
    }

    /// ‖off-diagonal-output part‖_F / ‖K‖_F for a block kernel: how much the outputs of different coordinates
    /// couple (0 for K ⊗ I_d and for N × N kernels).
    public var crossOutputShare: Double {
        guard case let .block(matrix, d) = self else { return 0 }
        var cross = 0.0
        for j in 0..<matrix.columns {
            for i in 0..<matrix.rows where i % d != j % d { cross += matrix[i, j] * matrix[i, j] }
        }
        return cross.squareRoot() / max(matrix.frobeniusNorm, .leastNormalMagnitude)
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
        case let .block(kernel, blockSize):
            precondition(blockSize == d, "block kernel of block size \(blockSize) applied with block size \(d)")
            return Matrix.product(kernel, blocks)
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
        case let .block(kernel, blockSize):
            precondition(blockSize == d, "block kernel of block size \(blockSize) applied with block size \(d)")
            kernel.storage.withUnsafeBufferPointer { k in
                BLAS.gemv(
                    .none, rows: kernel.rows, columns: kernel.columns, alpha: 1, k.baseAddress!, lda: kernel.rows, u,
                    beta: 0, out)
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
    /// g₁ − g₂ and g₁ + (N − 1) g₂. A block kernel is judged on its `particleMatrix`.
    public func kernelModes() throws -> (relative: Double, centre: Double, fit: UniversalFit) {
        let matrix = particleMatrix
        let eigenvalues = try matrix.symmetricEigenvalues()
        let rest = eigenvalues.dropLast()
        let relative = rest.isEmpty ? 0 : rest.reduce(0, +) / Double(rest.count)
        return (relative, eigenvalues.last ?? 0, UniversalFit(matrix))
    }
}
