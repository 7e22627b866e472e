/// Failures of the model's computations that are not config syntax.
public enum ModelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The matched state is not a fixed point of the flow (spec §5).
    case notAnEquilibrium(residual: Double, largestBlock: String, advice: String)
    /// Newton's method did not find the moved equilibrium (likelihood guidance).
    case equilibriumNotFound(residual: Double, iterations: Int)
    /// A computation would need more memory than `MemoryBudget` allows.
    case exceedsMemoryBudget(what: String, bytes: Double, budget: Double)
    /// `EGAN_MEMORY_BUDGET` holds something that is not a size.
    case badMemoryBudget(String)

    public var description: String {
        switch self {
        case let .notAnEquilibrium(residual, block, advice):
            guard residual.isFinite else {
                return "the flow is not finite at the matched state (in \(block)); \(advice)"
            }
            return
                "the matched state is not an equilibrium: ‖F(z*)‖ = \(residual) > 1e-12, mostly in \(block); \(advice)"
        case let .badMemoryBudget(text):
            return "EGAN_MEMORY_BUDGET='\(text)' is not a size; write bytes or a number with K, M or G, e.g. 64G"
        case let .exceedsMemoryBudget(what, bytes, budget):
            return
                "\(what) needs about \(MemoryBudget.describe(bytes)), above the memory budget of \(MemoryBudget.describe(budget)); use a smaller model, or raise the budget with EGAN_MEMORY_BUDGET (e.g. 64G)"
        case let .equilibriumNotFound(residual, _) where !residual.isFinite:
            return
                "the flow with generator.likelihood is not finite at the matched state: the pull β/h² overflows; raise likelihood.bandwidth h to the spacing of the targets or lower likelihood.weight"
        case let .equilibriumNotFound(residual, iterations):
            return
                "Newton's method from the matched state found no equilibrium with generator.likelihood (‖F‖ = \(residual) after \(iterations) steps); add discriminator.weightDecay > 0 (with WGAN and R1 the feature directions the targets cannot see are undamped, and moved particles drive them without bound) or lower likelihood.weight; a tiny likelihood.bandwidth h makes the pull β/h² overwhelm everything, so raise it to the spacing of the targets"
        }
    }
}
