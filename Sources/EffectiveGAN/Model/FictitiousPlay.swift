/// Fictitious play (Fictitious GAN, Ge et al. 2018): the discriminator is trained against a mixture of the current
/// particles and an exponentially weighted memory of past particles.
///
/// Config: `discriminator.memory` = τ > 0 and `discriminator.memoryWeight` = ω ∈ [0, 1) (default ½). The state
/// gains memory points m_i after θ, with ṁ_i = (x_i − m_i)/τ (the exponentially weighted average of the past
/// x_i with time constant τ), and the fake-data term of V_D becomes
///   (1 − ω)(1/N) Σ_i f(−D(x_i)) + ω (1/N) Σ_i f(−D(m_i)).
/// R2, the penalty on generated data, stays on the current particles. At the matched equilibrium m = x = y.
/// τ → 0 gives m = x, the plain model, plus N·d memory modes at ≈ −1/τ (tested). In discrete alternating
/// training the memory is updated with the discriminator's step.
public struct FictitiousPlay: Equatable, Sendable {
    /// Memory time constant τ.
    public var tau: Double
    /// Mixture weight ω of the memory.
    public var weight: Double

    public init(tau: Double, weight: Double) {
        self.tau = tau
        self.weight = weight
    }

    /// Reads `memory` and `memoryWeight` from a discriminator object (nil when `memory` is absent).
    static func read(_ reader: JSONReader) throws -> FictitiousPlay? {
        guard reader.has("memory") else {
            if reader.has("memoryWeight") {
                throw ConfigError.invalidValue(
                    path: reader.child("memoryWeight"), reason: "needs discriminator.memory (the time constant τ > 0)")
            }
            return nil
        }
        let weight = try reader.nonNegative("memoryWeight", default: 0.5)
        guard weight < 1 else {
            throw ConfigError.invalidValue(
                path: reader.child("memoryWeight"),
                reason: "is \(weight); the mixture weight ω must be below 1 (ω = 1 ignores the current particles)")
        }
        return FictitiousPlay(tau: try reader.positive("memory"), weight: weight)
    }

    /// The keys it writes into a discriminator object.
    var jsonPairs: [(String, JSONValue)] { [("memory", .number(tau)), ("memoryWeight", .number(weight))] }
}
