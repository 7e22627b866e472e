import LinearAlgebra
import Numerics

extension OscillatorStructure {
    /// The classified spectrum of J at z* for strength γ: the reduced quadratic problem's eigenvalues (`dgeev`)
    /// and the structural ones in closed form, neutral modes counted by structure.
    ///
    /// In the basis where S is diagonal on its range (p) and null (q) inside V, the quadratic problem
    /// λ²v − λAv + qSv = 0 has the first-order form M of size 2s + n_q (`firstOrderMatrix`), and
    ///   det(λ − J) = λ^{N·d − s} · det(λ − M) · (λ + κ)^{n_a − v + H(d+1) + [WGAN c]}.
    /// Heavy damping (large γ) splits eig M into fast modes ~ γ and slow ones ~ 1/γ; `dgeev` on M resolves the
    /// slow ones only to ε‖M‖ absolute, so they are then taken from M⁻¹ (assembled from the blocks, with one
    /// solve of the small A_qq), where they are the large eigenvalues.
    public func spectrum(gamma: Double) throws -> Spectrum {
        let damping = damping(gamma: gamma)
        let matrix = firstOrderMatrix(damping)
        let direct = try matrix.eigenvalues()
        let norm = matrix.frobeniusNorm
        var values = direct.map { (λ: $0, norm: norm) }

        let nullity = gamma > 0 ? undampedReadout.positive : undampedReadout.atZero
        // A is negative semi-definite (f″ ≤ 0, B, C ⪰ 0, γ, μ ≥ 0). For an eigenpair, vᴴ(λ² − λA + qS)v = 0 gives
        // Re λ = vᴴAv/2 < 0 unless Av = 0: when A is definite every mode decays, however slowly, so no mode is
        // marginal, and Re λ needs only the allowance of dgeev's backward error (16 ε ν), not 1e-12 ν.
        let strictlyDamped = (gamma > 0 ? undampedDirections.positive : undampedDirections.atZero) == 0
        let coarsest = direct.filter { $0.length > 0 }.map { Double.ulpOfOne * norm / $0.length }.max() ?? 0
        if nullity == 0, coarsest > Tolerance.eigenvalueAccuracy, let inverse = try? inverseFirstOrderMatrix(damping) {
            values = try Self.merge(direct: direct, norm: norm, inverse: inverse)
        }

        // The nullity's smallest |λ| are the structural zeros of M; everything else is active.
        let bySize = values.indices.sorted { values[$0].λ.length < values[$1].λ.length }
        let neutral = Set(bySize.prefix(nullity))
        var modes = values.indices.map { k -> Mode in
            let (λ, ν) = values[k]
            let rounding = (strictlyDamped ? 16 * Double.ulpOfOne : Tolerance.backwardError) * ν
            let splitting = Tolerance.spectral * (ν * max(λ.length, Double.ulpOfOne * ν)).squareRoot()
            return neutral.contains(k)
                ? Mode(eigenvalue: λ, kind: .neutral, roundingLevel: rounding, splittingLevel: splitting)
                : Mode(active: λ, roundingLevel: rounding, splittingLevel: splitting)
        }

        // The closed-form groups, each one mode with its multiplicity (exact numbers: no rounding level).
        let κ = complementEigenvalue(gamma: gamma)
        let undamped = κ == 0
        let wganBias = hasOutputBias && !biasCoupled ? 1 : 0
        let complement = readoutDimension - visibleRank + innerWeightCount + wganBias
        if particleDimension > coupledRank {
            modes.append(
                Mode(
                    eigenvalue: .zero, kind: .neutral, roundingLevel: 0, splittingLevel: 0,
                    multiplicity: particleDimension - coupledRank))
        }
        if complement > 0 {
            modes.append(
                Mode(
                    eigenvalue: Complex(κ, 0), kind: undamped ? .neutral : .real, roundingLevel: 0, splittingLevel: 0,
                    multiplicity: complement))
        }

        let breakdown = NeutralBreakdown(
            unseenParticleDirections: particleDimension - seenRank,
            immobileParticleDirections: max(0, seenRank - coupledRank),
            innerWeights: undamped ? innerWeightCount : 0,
            unseenFeatures: undamped ? readoutDimension - visibleRank : 0,
            outputBias: undamped ? wganBias : 0,
            undampedReadout: nullity)
        return Spectrum(structuredModes: modes, breakdown: breakdown, strictlyDamped: strictlyDamped)
    }

    /// M = [[0, I, 0], [A_pq A_qp − Q, A_pp, A_pq A_qq], [A_qp, 0, A_qq]] on (p, w = λp, q): for λ ≠ 0 its
    /// eigenpairs are exactly those of λ²v − λAv + Qv = 0 with v = (p, q) and Q = diag(qσ) on p
    /// (from λq = A_qp p + A_qq q and λ²p = λ(A_pp p + A_pq q) − Qp).
    func firstOrderMatrix(_ a: Matrix) -> Matrix {
        let s = coupledRank
        let nq = a.rows - s
        let blocks = Blocks(a, split: s)
        var m = Matrix(rows: 2 * s + nq, columns: 2 * s + nq)
        let coupling = Matrix.product(blocks.pq, blocks.qp)
        let mixed = Matrix.product(blocks.pq, blocks.qq)
        for i in 0..<s {
            m[i, s + i] = 1
            for j in 0..<s {
                m[s + i, j] = coupling[i, j] - (i == j ? stiffness[i] : 0)
                m[s + i, s + j] = blocks.pp[i, j]
            }
            for j in 0..<nq { m[s + i, 2 * s + j] = mixed[i, j] }
        }
        for i in 0..<nq {
            for j in 0..<s { m[2 * s + i, j] = blocks.qp[i, j] }
            for j in 0..<nq { m[2 * s + i, 2 * s + j] = blocks.qq[i, j] }
        }
        return m
    }

    /// M⁻¹ from the factorisation of M's (p, q) block [[A_pq A_qp − Q, A_pq A_qq], [A_qp, A_qq]] =
    /// [[I, A_pq], [0, I]]·[[−Q, 0], [A_qp, A_qq]]: Q is diagonal and only A_qq (the undamped-by-S part, usually
    /// empty) needs a solve, so no rounding of the large γ-terms leaks into the small eigenvalues.
    func inverseFirstOrderMatrix(_ a: Matrix) throws -> Matrix {
        let s = coupledRank
        let nq = a.rows - s
        let blocks = Blocks(a, split: s)
        let qqInverse = try blocks.qq.solve(Matrix.identity(nq))
        // Z⁻¹ = [[−Q⁻¹, Q⁻¹A_pq], [A_qq⁻¹A_qp Q⁻¹, A_qq⁻¹ − A_qq⁻¹A_qp Q⁻¹A_pq]].
        var zpp = Matrix(rows: s, columns: s)
        var zpq = blocks.pq
        var qpScaled = blocks.qp
        for i in 0..<s {
            zpp[i, i] = -1 / stiffness[i]
            for j in 0..<nq { zpq[i, j] /= stiffness[i] }
            for j in 0..<nq { qpScaled[j, i] /= stiffness[i] }
        }
        let zqp = Matrix.product(qqInverse, qpScaled)
        var zqq = qqInverse
        zqq.addProduct(zqp, blocks.pq, alpha: -1, beta: 1)
        let zppA = Matrix.product(zpp, blocks.pp)
        let zqpA = Matrix.product(zqp, blocks.pp)
        // Rows (p, w, q) of M⁻¹ act on inputs ordered like M's rows: [[−Z_pp A_pp, Z_pp, Z_pq], [I, 0, 0],
        // [−Z_qp A_pp, Z_qp, Z_qq]].
        var inverse = Matrix(rows: 2 * s + nq, columns: 2 * s + nq)
        for i in 0..<s {
            for j in 0..<s {
                inverse[i, j] = -zppA[i, j]
                inverse[i, s + j] = zpp[i, j]
            }
            for j in 0..<nq { inverse[i, 2 * s + j] = zpq[i, j] }
            inverse[s + i, i] = 1
        }
        for i in 0..<nq {
            for j in 0..<s {
                inverse[2 * s + i, j] = -zqpA[i, j]
                inverse[2 * s + i, s + j] = zqp[i, j]
            }
            for j in 0..<nq { inverse[2 * s + i, 2 * s + j] = zqq[i, j] }
        }
        return inverse
    }

    /// The eigenvalues of M with each group taken where it is accurate: |λ| ≥ T from M, |λ| < T as 1/μ from M⁻¹,
    /// T = √(‖M‖/‖M⁻¹‖), where the two error bounds ε‖M‖ and ε‖M⁻¹‖|λ|² are equal.
    static func merge(direct: [Complex<Double>], norm: Double, inverse: Matrix) throws -> [(
        λ: Complex<Double>, norm: Double
    )] {
        let inverseNorm = inverse.frobeniusNorm
        let threshold = (norm / inverseNorm).squareRoot()
        let slow = try inverse.eigenvalues().map { Complex(1, 0) / $0 }.filter { $0.length < threshold }
        let fast = direct.sorted { $0.length > $1.length }.prefix(direct.count - slow.count)
        return fast.map { ($0, norm) } + slow.map { ($0, inverseNorm * $0.lengthSquared) }
    }
}

/// A symmetric matrix cut into its (p, q) blocks at `split`.
private struct Blocks {
    let pp: Matrix
    let pq: Matrix
    let qp: Matrix
    let qq: Matrix

    init(_ a: Matrix, split s: Int) {
        pp = a.submatrix(rows: 0..<s, columns: 0..<s)
        pq = a.submatrix(rows: 0..<s, columns: s..<a.columns)
        qp = a.submatrix(rows: s..<a.rows, columns: 0..<s)
        qq = a.submatrix(rows: s..<a.rows, columns: s..<a.columns)
    }
}
