import LinearAlgebra

/// The optimal discriminator (Li et al., 2017): θ is slaved to θ*(X) = argmax_θ V_D(θ; X) at every instant, and
/// the particles follow the reduced flow ẋ = F_x(X, θ*(X)). Config: `discriminator.learningRate: "optimal"`.
///
/// θ* is unique when V_D is strictly concave in θ. D linear in θ (a linear discriminator, or an MLP with W, b
/// frozen) makes the data terms concave for every loss (f is t or log σ(t)) and the gradient penalties concave;
/// l2 or weight decay makes the whole strictly concave. θ* is found by Newton's method on ∇_θ V_D = 0 with
/// LAPACK solves, warm-started from the previous θ* inside an integration (one step for WGAN, whose V_D is
/// quadratic). The reduced Jacobian follows from the implicit-function theorem, dθ*/dX = −J_θθ⁻¹ J_θx:
///   J = J_xx − J_xθ (J_θθ \ J_θx),
/// the Schur complement of the full Jacobian at (X, θ*), formed with a solve, never an inverse. It is the
/// η_D → ∞ limit of the slow part of the finite-η_D spectrum (singular perturbation; tested).
public enum OptimalDiscriminator {
    /// Refuses an optimal discriminator whose θ* would not be unique, naming the field and the fix.
    static func validate(linearInθ: Bool, weightDecay: Double, regularizer: RegularizerKind, path: String) throws {
        guard linearInθ else {
            throw ConfigError.invalidValue(
                path: path,
                reason:
                    "is \"optimal\", which needs V_D concave in θ: use kind \"linear\" or an mlp with train \"outer\" (D linear in θ)"
            )
        }
        guard weightDecay > 0 || regularizer == .l2 else {
            throw ConfigError.invalidValue(
                path: path,
                reason:
                    "is \"optimal\", which needs V_D strictly concave in θ: set discriminator.weightDecay > 0 or use regularizer l2"
            )
        }
    }

    /// Newton iterations allowed; quadratic convergence needs a handful.
    static let maxNewtonSteps = 50
}

extension EffectiveModel {
    /// θ*(X) = argmax_θ V_D(θ; X) by Newton's method from `start` (default: the equilibrium parameters). NaNs if
    /// the Hessian is singular (V_D not strictly concave, e.g. l2 at γ = 0 with no weight decay) or Newton fails.
    public func optimalParameters(forParticles x: [Double], start: [Double]? = nil) -> [Double] {
        optimalParameters(forParticles: x, start: start, workspace: makeFieldWorkspace())
    }

    /// θ*(X), evaluating the field in `workspace` (an integration's, so its buffers are not rebuilt per call).
    func optimalParameters(forParticles x: [Double], start: [Double]?, workspace: FieldWorkspace) -> [Double] {
        let nd = particleBlockLength
        var θ = start ?? discriminator.equilibriumParameters
        for _ in 0..<OptimalDiscriminator.maxNewtonSteps {
            let z = x + θ
            let gradient = Array(fullField(at: z, workspace: workspace)[nd...])
            let hessian = fullJacobian(at: z).submatrix(rows: nd..<fullStateDimension, columns: nd..<fullStateDimension)
            guard let step = try? hessian.solve(Matrix(rows: parameterCount, columns: 1, columnMajor: gradient)) else {
                return Array(repeating: .nan, count: parameterCount)
            }
            for p in 0..<parameterCount { θ[p] -= step.storage[p] }
            if euclideanNorm(step.storage) <= 1e-14 * max(1, euclideanNorm(θ)) { return θ }
        }
        return euclideanNorm(θ).isFinite ? θ : Array(repeating: .nan, count: parameterCount)
    }

    /// ẋ = F_x(X, θ*(X)), with θ* warm-started from the workspace's previous solution.
    func slavedField(at z: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, workspace: FieldWorkspace) {
        let nd = particleBlockLength
        let x = Array(UnsafeBufferPointer(start: z, count: nd))
        let θ = optimalParameters(forParticles: x, start: workspace.slavedParameters, workspace: workspace)
        if θ.allSatisfy(\.isFinite) { workspace.slavedParameters = θ }
        let full = fullField(at: x + θ, workspace: workspace)
        for i in 0..<nd { out[i] = full[i] }
    }

    /// The Schur complement J_xx − J_xθ (J_θθ \ J_θx) at (X, θ*(X)); NaN entries if J_θθ is singular.
    func slavedJacobian(atParticles z: [Double]) -> Matrix {
        let nd = particleBlockLength
        let full = fullJacobian(at: Array(z[..<nd]) + parameters(in: z))
        let particlesRange = 0..<nd
        let parametersRange = nd..<fullStateDimension
        var reduced = full.submatrix(rows: particlesRange, columns: particlesRange)
        guard
            let response = try? full.submatrix(rows: parametersRange, columns: parametersRange).solve(
                full.submatrix(rows: parametersRange, columns: particlesRange))
        else { return Matrix(rows: nd, columns: nd, repeating: .nan) }
        reduced.addProduct(
            full.submatrix(rows: particlesRange, columns: parametersRange), response, alpha: -1, beta: 1)
        return reduced
    }
}
