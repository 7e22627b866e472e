/// Failures of the model's computations that are not config syntax.
public enum ModelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The matched state is not a fixed point of the flow (spec §5).
    case notAnEquilibrium(residual: Double, largestBlock: String, advice: String)

    public var description: String {
        switch self {
        case let .notAnEquilibrium(residual, block, advice):
            return
                "the matched state is not an equilibrium: ‖F(z*)‖ = \(residual) > 1e-12, mostly in \(block); \(advice)"
        }
    }
}
