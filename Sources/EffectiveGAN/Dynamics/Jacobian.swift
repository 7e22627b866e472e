import LinearAlgebra

/// The exact Jacobian J = ∂F/∂z of the flow, at any state (spec §6).
///
/// Blocks, with q, g, G, H as in `Discriminator` and D_j = D(x_j):
///   J_xx = (K ⊗ I)·blockdiag_j[ g″(D_j) g_j g_jᵀ + g′(D_j) H_j ]
///   J_xθ = (K ⊗ I)·stack_j[ g″(D_j) g_j q_jᵀ + g′(D_j) G_j ]
///   J_θx_i = η_D [ (1/N)(f″(−D_i) q_i g_iᵀ − f′(−D_i) G_iᵀ) − γ ∂_{x_i}∇_θ R ]
///   J_θθ = η_D [ Σ_m (1/M)(f″ q qᵀ + f′ ∂²_θ D)(y_m) + Σ_i (1/N)(f″(−D_i) q_i q_iᵀ − f′(−D_i) ∂²_θ D(x_i))
///                − γ ∇²_θ R − μ I ]
/// with ∇²_θ R1 = (1/M) Σ_m (G_mᵀ G_m + ∂²_θ ψ_{g_m}), ∂_{x_i}∇_θ R2 = (1/N)(G_iᵀ H_i + ∂_x ∇_θ ψ_{g_i}).
/// The Gram sums Σ w_p q_p q_pᵀ and Σ G_pᵀ G_p are single `dgemm` calls.
extension EffectiveModel {
    /// J = ∂F/∂z at a state. With an optimal discriminator the state is X and J is the Schur complement of the
    /// full Jacobian at (X, θ*(X)) (`OptimalDiscriminator`).
    public func jacobian(at z: [Double]) -> Matrix {
        optimalDiscriminator ? slavedJacobian(atParticles: z) : fullJacobian(at: z)
    }

    /// The Jacobian of the full flow in (X, θ, memory) at a full state.
    ///
    /// With fictitious play the fake-data terms are shared: (1 − ω) at the particles and ω at the memory points
    /// (same formulas, the memory's own D and derivatives); R2 stays on the particles; J_mx = I/τ, J_mm = −I/τ.
    func fullJacobian(at z: [Double]) -> Matrix {
        let θ = Array(z[particleBlockLength..<(particleBlockLength + parameterCount)])
        let d = dimension
        let nd = particleBlockLength
        let p = parameterCount
        let invM = 1 / Double(realCount)
        // Fake points (particles, or packs of width m·d) and the scale of their pushes (N/N^m with packing).
        let width = discriminator.dimension
        let pushScale = packing == nil ? 1 : Double(particleCount) / Double(fakeCount)

        let fake = discriminator.batch(at: fakePoints(in: z), parameters: θ)
        let real = targetBatch(θ)
        let valuesX = fake.values
        let gradientsX = fake.gradients
        let qX = fake.parameterGradients()
        let mixedX = fake.mixedDerivatives()
        let hessX = fake.spatialHessians()

        var jacobian = Matrix(rows: fullStateDimension, columns: fullStateDimension)

        // Generator rows: each fake point's block, summed into the particle coordinates it reads.
        var localXX = Matrix(rows: nd, columns: nd)
        var localXθ = Matrix(rows: nd, columns: p)
        for j in 0..<fakeCount {
            let curvature = pushScale * loss.gSecond(valuesX[j])
            let slope = pushScale * loss.gPrime(valuesX[j])
            for α in 0..<width {
                let row = particleCoordinate(fakePoint: j, α)
                let fakeRow = j * width + α
                for β in 0..<width {
                    localXX[row, particleCoordinate(fakePoint: j, β)] +=
                        curvature * gradientsX[j, α] * gradientsX[j, β] + slope * hessX[fakeRow, β]
                }
                for c in 0..<p {
                    localXθ[row, c] += curvature * gradientsX[j, α] * qX[c, j] + slope * mixedX[fakeRow, c]
                }
            }
        }
        if let likelihood {
            for j in 0..<particleCount {
                let block = likelihood.forceJacobian(at: z[(j * d)..<((j + 1) * d)], targets: targets)
                for α in 0..<d { for β in 0..<d { localXX[j * d + α, j * d + β] += block[α, β] } }
            }
        }
        jacobian.setBlock(kernel.apply(toBlocks: localXX, blockSize: d), row: 0, column: 0)
        jacobian.setBlock(kernel.apply(toBlocks: localXθ, blockSize: d), row: 0, column: nd)

        // Discriminator rows, particle columns.
        let share = fakeShares
        addFakeDataColumns(
            fake, qX, mixedX, share: share.particles, coordinate: { particleCoordinate(fakePoint: $0, $1) },
            into: &jacobian)
        if regularizer == .r2 && gamma != 0 {
            let penaltyMixed = fake.penaltyMixedDerivatives(directions: gradientsX)
            let weight = etaD * gamma / Double(fakeCount)
            for i in 0..<fakeCount {
                for β in 0..<width {
                    let column = particleCoordinate(fakePoint: i, β)
                    for c in 0..<p {
                        var chain = penaltyMixed[c, i * width + β]
                        for α in 0..<width { chain += mixedX[i * width + α, c] * hessX[i * width + α, β] }
                        jacobian[nd + c, column] -= weight * chain
                    }
                }
            }
        }

        // Discriminator rows, parameter columns.
        let valuesT = real.values
        let qT = real.parameterGradients()
        var hθθ = Matrix(rows: p, columns: p)
        hθθ.addWeightedGram(qT, weights: valuesT.map { loss.fSecond($0) * invM })
        real.addParameterHessians(weights: valuesT.map { loss.fPrime($0) * invM }, into: &hθθ)
        addFakeDataHessian(fake, qX, share: share.particles, into: &hθθ)
        if let memory {
            let offset = memoryOffset
            let remembered = discriminator.batch(at: points(in: z, from: offset), parameters: θ)
            let qM = remembered.parameterGradients()
            addFakeDataColumns(
                remembered, qM, remembered.mixedDerivatives(), share: share.memory,
                coordinate: { offset + $0 * d + $1 }, into: &jacobian)
            addFakeDataHessian(remembered, qM, share: share.memory, into: &hθθ)
            for i in 0..<nd {
                jacobian[offset + i, i] = 1 / memory.tau
                jacobian[offset + i, offset + i] = -1 / memory.tau
            }
        }
        if gamma != 0 { addPenaltyHessian(real: real, fake: fake, mixedX: mixedX, into: &hθθ) }
        for c in 0..<p { hθθ[c, c] -= weightDecay }
        for c in 0..<p { for r in 0..<p { jacobian[nd + r, nd + c] = etaD * hθθ[r, c] } }
        return jacobian
    }

    /// J_θ,points += η_D (share/N′) Σ_i (f″(−D_i) q_i g_iᵀ − f′(−D_i) G_iᵀ): the fake-data term of θ̇ differentiated by
    /// the fake points' coordinates, summed into the state coordinates `coordinate(i, β)` they read (particles,
    /// packs of particles, or memory points).
    private func addFakeDataColumns(
        _ batch: any DiscriminatorBatch, _ q: Matrix, _ mixed: Matrix, share: Double,
        coordinate: (Int, Int) -> Int, into jacobian: inout Matrix
    ) {
        let width = batch.gradients.columns
        let nd = particleBlockLength
        let count = batch.values.count
        let weight = share / Double(count)
        let values = batch.values
        let gradients = batch.gradients
        for i in 0..<count {
            let curvature = loss.fSecond(-values[i]) * weight
            let slope = loss.fPrime(-values[i]) * weight
            for β in 0..<width {
                let column = coordinate(i, β)
                for c in 0..<parameterCount {
                    jacobian[nd + c, column] +=
                        etaD * (curvature * q[c, i] * gradients[i, β] - slope * mixed[i * width + β, c])
                }
            }
        }
    }

    /// H_θθ += (share/N′) Σ_i (f″(−D_i) q_i q_iᵀ − f′(−D_i) ∂²_θ D(x_i)) over the N′ fake points of `batch`.
    private func addFakeDataHessian(
        _ batch: any DiscriminatorBatch, _ q: Matrix, share: Double, into hessian: inout Matrix
    ) {
        let weight = share / Double(batch.values.count)
        hessian.addWeightedGram(q, weights: batch.values.map { loss.fSecond(-$0) * weight })
        batch.addParameterHessians(weights: batch.values.map { -loss.fPrime(-$0) * weight }, into: &hessian)
    }

    /// hessian −= γ ∇²_θ R.
    private func addPenaltyHessian(
        real: any DiscriminatorBatch, fake: any DiscriminatorBatch, mixedX: Matrix, into hessian: inout Matrix
    ) {
        switch regularizer {
        case .none:
            return
        case .l2:
            for c in 0..<parameterCount { hessian[c, c] -= gamma }
        case .r1, .r2:
            let batch = regularizer == .r1 ? real : fake
            let mixed = regularizer == .r1 ? real.mixedDerivatives() : mixedX
            let count = batch.values.count
            let weight = gamma / Double(count)
            hessian.addProduct(mixed, mixed, transA: .transposed, alpha: -weight, beta: 1)
            batch.addPenaltyCurvature(
                directions: batch.gradients, weights: .init(repeating: -weight, count: count), into: &hessian)
        }
    }
}

extension Matrix {
    /// self += Q·diag(w)·Qᵀ with one `dgemm`, skipped when every weight is zero (f″ ≡ 0 for WGAN).
    mutating func addWeightedGram(_ q: Matrix, weights: [Double]) {
        guard weights.contains(where: { $0 != 0 }) else { return }
        addProduct(q.scalingColumns(by: weights), q, transB: .transposed)
    }

    /// Q·diag(w).
    func scalingColumns(by weights: [Double]) -> Matrix {
        var scaled = self
        for c in 0..<columns { for r in 0..<rows { scaled[r, c] *= weights[c] } }
        return scaled
    }

    /// Copies `block` into this matrix with its (0, 0) entry at (row, column).
    mutating func setBlock(_ block: Matrix, row: Int, column: Int) {
        for c in 0..<block.columns { for r in 0..<block.rows { self[row + r, column + c] = block[r, c] } }
    }
}
