import LinearAlgebra

/// A network generator at its matched equilibrium: w* with G(z_i; w*) = y_(i mod M), and the empirical block
/// kernel Θ(w*) = J Jᵀ there.
public struct NetworkEquilibrium: Sendable, Equatable {
    /// w*.
    public let parameters: [Double]
    /// Θ(w*), (N·d) × (N·d), particle-major (row i·d + a).
    public let kernel: Matrix
    /// max_i,a |G_a(z_i; w*) − y_a|.
    public let residual: Double
    /// Gauss–Newton steps taken from w₀.
    public let steps: Int
}

extension NetworkGenerator {
    /// The most Gauss–Newton steps tried before the network is declared unable to interpolate.
    static let maximumSteps = 50

    /// Fits w* from w₀ by minimum-norm Gauss–Newton steps Δw = −Jᵀ Θ⁻¹ r (r = G(Z; w) − Y, Θ = J Jᵀ), the
    /// smallest parameter change that removes the linearised residual — the lazy-training solution — to
    /// 1e-12 (relative to the targets' scale, at least absolute). Refused with the reason when N·d exceeds the
    /// parameters, when Θ loses rank (the outputs cannot move independently), or when the steps do not converge.
    public func equilibrium(targets: [[Double]], particles n: Int) throws -> NetworkEquilibrium {
        let d = outputDimension
        guard Double(n) * Double(d) <= Double(parameterCount) else {
            throw KernelError.invalid(
                "N·d = \(Format.number(Double(n) * Double(d))) outputs cannot be fitted by \(parameterCount) parameters; widen the network (layers) or use fewer particles")
        }
        let rows = n * d
        guard rows <= parameterCount else {
            throw KernelError.invalid(
                "N·d = \(rows) outputs cannot be fitted by \(parameterCount) parameters; widen the network (layers) or use fewer particles")
        }
        try MemoryBudget.check(
            8 * Double(rows) * Double(parameterCount) * 2 + 8 * Double(rows) * Double(rows) * 4,
            for: "the network's Jacobian (\(rows) × \(parameterCount))")
        let z = try latents(count: n)
        let goal = (0..<n).flatMap { targets[$0 % targets.count] }
        let tolerance = 1e-12 * max(1, goal.map(abs).max() ?? 0)
        var w = initialParameters()
        for step in 0...Self.maximumSteps {
            let x = outputs(latents: z, parameters: w)
            let r = (0..<rows).map { x[$0 / d, $0 % d] - goal[$0] }
            let residual = r.map(abs).max() ?? 0
            let jacobian = self.jacobian(latents: z, parameters: w)
            let theta = Matrix.product(jacobian, jacobian, transB: .transposed)
            if step == 0 {
                let spectrum = try theta.symmetricEigenvalues()
                let (smallest, largest) = (spectrum.first ?? 0, spectrum.last ?? 0)
                guard largest > 0, smallest > 1e-12 * largest else {
                    throw KernelError.invalid(
                        "the network's tangent kernel at initialisation has rank below N·d = \(rows) (smallest eigenvalue \(Format.number(smallest)) of \(Format.number(largest))): its outputs cannot move independently; change the latents (latentDimension, seed) or the layers")
                }
            }
            guard residual.isFinite else { break }
            let c = try theta.solve(Matrix(rows: rows, columns: 1, columnMajor: r))
            let delta = Matrix.product(jacobian, c, transA: .transposed)
            let next = w.indices.map { w[$0] - delta.storage[$0] }
            if residual <= tolerance {
                // Converged; one more step is kept only if it polishes the residual further (Gauss–Newton is
                // quadratic here, so it usually lands near rounding).
                let polished = outputs(latents: z, parameters: next)
                let polishedResidual = (0..<rows).map { abs(polished[$0 / d, $0 % d] - goal[$0]) }.max() ?? 0
                guard polishedResidual < residual else {
                    return NetworkEquilibrium(parameters: w, kernel: theta.symmetrized(), residual: residual, steps: step)
                }
                let finalJacobian = self.jacobian(latents: z, parameters: next)
                return NetworkEquilibrium(
                    parameters: next,
                    kernel: Matrix.product(finalJacobian, finalJacobian, transB: .transposed).symmetrized(),
                    residual: polishedResidual, steps: step + 1)
            }
            guard step < Self.maximumSteps else { break }
            w = next
        }
        throw KernelError.invalid(
            "Gauss–Newton did not fit the network to the targets within \(Self.maximumSteps) steps; widen the network (layers) or use the ntk parameterization")
    }
}

extension Matrix {
    /// (A + Aᵀ)/2: exact symmetry for a product J Jᵀ whose halves differ by rounding.
    func symmetrized() -> Matrix {
        var result = self
        for i in 0..<rows {
            for j in 0..<i {
                let mean = (self[i, j] + self[j, i]) / 2
                result[i, j] = mean
                result[j, i] = mean
            }
        }
        return result
    }
}
