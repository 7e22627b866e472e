import LinearAlgebra

extension OscillatorStructure {
    /// J on its smallest invariant subspace that holds every mode outside the closed-form groups, for the
    /// discrete-training maps (`DiscreteTraining`), in coordinates (y, u): y ∈ ℝ^s for the particles,
    /// δx = g′(0)(K ⊗ I) G B_p y, and u for the readout in the reduced basis (c appended when it couples):
    ///
    ///   J_r = [[0, (I_s 0)], [(−diag(qσ); 0), A(γ)]],   size s + v (+1).
    ///
    /// From J's block rows: δẋ = g′(K ⊗ I) G B u = g′(K ⊗ I) G B_p u_p (the q-part of V is S-null, so K kills its
    /// slopes), hence ẏ = u_p; Bᵀ δȧ = −(η_D f′/N) Bᵀ Gᵀ δx + A u = −(qσ ∘ y; 0) + A u. Its eigenvalues are those of
    /// the first-order form M, and the first s coordinates are exactly the generator's, so the alternating map
    /// S_G S_D^k built from J_r has the eigenvalues of the full map on this subspace (the particle directions outside
    /// it are fixed, the discriminator's complement is multiplied by 1 − hκ per critic step).
    func reducedJacobian(gamma: Double) -> Matrix {
        let s = coupledRank
        let a = damping(gamma: gamma)
        let size = s + a.rows
        var j = Matrix(rows: size, columns: size)
        for i in 0..<s {
            j[i, s + i] = 1
            j[s + i, i] = -stiffness[i]
        }
        for column in 0..<a.columns { for row in 0..<a.rows { j[s + row, s + column] = a[row, column] } }
        return j
    }

    /// The generator's share of `reducedJacobian`'s coordinates: the first s.
    var reducedGeneratorLength: Int { coupledRank }

    /// Zero eigenvalues of `reducedJacobian` (undamped readout the particles cannot answer): fixed by every map.
    func reducedNeutralCount(gamma: Double) -> Int { gamma > 0 ? undampedReadout.positive : undampedReadout.atZero }

    /// Discriminator directions outside the reduced problem (unseen readout, inner weights, WGAN's c), each
    /// with eigenvalue −κ(γ).
    var complementCount: Int {
        readoutDimension - visibleRank + innerWeightCount + (hasOutputBias && !biasCoupled ? 1 : 0)
    }
}
