/// How the discriminator learns: the one description of its training method, in the config and the resolved
/// model alike (docs/training-methods.md).
///
/// A closed set of exclusive choices, so no combination that means nothing can be written down: an optimal
/// discriminator has no learning rate and nothing to remember, fictitious play trains by gradient ascent at a
/// rate. Packing (what D sees) and likelihood guidance (what the generator feels) are not ways of learning and
/// stay beside it: likelihood guidance combines with all three, packing with gradient ascent and the optimal
/// discriminator (a memory of packs is not defined, `DiscriminatorSpec.checkMethods`).
public enum CriticLearning: Equatable, Sendable {
    /// θ̇ = η_D ∇_θ V_D (spec §4), at η_D = `rate`.
    case gradientAscent(rate: Double)
    /// θ slaved to θ*(X) = argmax_θ V_D (Li et al. 2017): the state is the particles alone (`OptimalDiscriminator`).
    case optimal
    /// Gradient ascent at `rate` against the particles and a memory of them (`FictitiousPlay`).
    case fictitiousPlay(rate: Double, memory: FictitiousPlay)

    /// η_D; nil for an optimal discriminator, which follows argmax V_D and has no rate.
    public var rate: Double? {
        switch self {
        case let .gradientAscent(rate), let .fictitiousPlay(rate, _): return rate
        case .optimal: return nil
        }
    }

    public var isOptimal: Bool { self == .optimal }

    /// The memory of fictitious play, nil otherwise.
    public var memory: FictitiousPlay? {
        if case let .fictitiousPlay(_, memory) = self { return memory }
        return nil
    }

    /// The same method at another η_D (a sweep of the rate); an optimal discriminator has none and stays optimal.
    public func with(rate: Double) -> CriticLearning {
        switch self {
        case .gradientAscent: return .gradientAscent(rate: rate)
        case let .fictitiousPlay(_, memory): return .fictitiousPlay(rate: rate, memory: memory)
        case .optimal: return .optimal
        }
    }

    /// η_D for a learning rate and an optional memory, as configs and resolved models write them.
    init(rate: Double?, memory: FictitiousPlay?) {
        switch (rate, memory) {
        case let (rate?, memory?): self = .fictitiousPlay(rate: rate, memory: memory)
        case let (rate?, nil): self = .gradientAscent(rate: rate)
        case (nil, _): self = .optimal
        }
    }
}
