import LinearAlgebra

/// The derivatives of a discriminator D_θ(x) that the flow (spec §4) and its exact Jacobian (spec §6) need,
/// evaluated on a batch of points (targets or particles) for a parameter vector θ.
///
/// Notation: q_p = ∂_θ D(x_p) (P numbers), g_p = ∇_x D(x_p) (d numbers), G_p = ∂_θ∇_x D(x_p) (d × P),
/// H_p = ∇²_x D(x_p) (d × d), and for a fixed direction r the penalty potential ψ_r(θ, x) = r·∇_x D(x), whose
/// derivatives give the R1/R2 terms: ∇_θ R1 = (1/M) Σ_m ∇_θ ψ_{g_m}(y_m), because ∇_θ ½‖g‖² = G_mᵀ g_m.
///
/// Batches are `Matrix` values with one row per point (count × d); see `DiscriminatorBatch`.
public protocol Discriminator: Sendable {
    /// Output dimension d.
    var dimension: Int { get }
    /// Number of trained parameters P.
    var parameterCount: Int { get }
    /// θ at the matched equilibrium (spec §5): readout and output bias zero, inner weights as initialised.
    var equilibriumParameters: [Double] { get }
    /// Names of the parameter blocks in state order, with their lengths (for reports and tests).
    var parameterBlocks: [(name: String, count: Int)] { get }

    /// D evaluated on a batch of points (one per row); the batch caches what its derivatives share.
    func batch(at points: Matrix, parameters: [Double]) -> any DiscriminatorBatch
    /// Batches at fixed points (the targets) for any θ; an implementation may cache what does not depend on θ.
    func batchFactory(for points: Matrix) -> @Sendable ([Double]) -> any DiscriminatorBatch
}

extension Discriminator {
    public func batchFactory(for points: Matrix) -> @Sendable ([Double]) -> any DiscriminatorBatch {
        { self.batch(at: points, parameters: $0) }
    }
}

/// A discriminator evaluated at a batch of points x_p for one θ.
public protocol DiscriminatorBatch {
    /// D(x_p) for every point.
    var values: [Double] { get }
    /// ∇_x D(x_p), one row per point.
    var gradients: Matrix { get }
    /// q_p as the columns of a P × count matrix.
    func parameterGradients() -> Matrix
    /// G_p stacked: row p·d + α holds ∂_θ ∂_{x_α} D(x_p) (count·d × P).
    func mixedDerivatives() -> Matrix
    /// H_p stacked: rows p·d ..< (p+1)·d (count·d × d).
    func spatialHessians() -> Matrix
    /// hessian += Σ_p w_p ∂²_θ D(x_p).
    func addParameterHessians(weights: [Double], into hessian: inout Matrix)
    /// hessian += Σ_p w_p ∂²_θ ψ_{r_p}(θ, x_p).
    func addPenaltyCurvature(directions: Matrix, weights: [Double], into hessian: inout Matrix)
    /// ∂_x ∇_θ ψ_{r_p}(θ, x) at x_p, stacked as a P × (count·d) matrix (column p·d + β is ∂_{x_β}).
    func penaltyMixedDerivatives(directions: Matrix) -> Matrix
}

extension ResolvedModel.Discriminator {
    /// The discriminator function this resolved description defines, and the maker of its field evaluator: the
    /// one place that turns the closed description into concrete types.
    func makeImplementation(dimension: Int) -> (function: any Discriminator, fieldEvaluator: FieldEvaluatorFactory) {
        switch self {
        case let .linear(outputBias, _):
            let linear = LinearDiscriminator(dimension: dimension, outputBias: outputBias)
            return (linear, .linear(linear))
        case let .mlp(critic) where critic.depth == 1:
            let mlp = MLPDiscriminator(
                activation: critic.activation, training: critic.training, weights: critic.layers[0].weights,
                biases: critic.layers[0].biases, outputBias: critic.outputBias)
            return (mlp, .mlp(mlp))
        case let .mlp(critic):
            let deep = DeepMLPDiscriminator(critic)
            return (deep, .deep(deep))
        }
    }
}
