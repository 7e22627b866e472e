import Foundation

/// The GAN loss (spec §2): the discriminator's link f and the generator's objective g, with the derivatives
/// the flow (f′, g′) and its Jacobian (f″, g″) need.
public enum Loss: String, CaseIterable, Codable, Sendable {
    /// f(t) = g(t) = t.
    case wgan
    /// f(t) = log σ(t); the generator maximises g(t) = −f(−t) = softplus(t).
    case minimax
    /// f(t) = log σ(t); the generator maximises g(t) = log σ(t).
    case nonsaturating

    /// f′(t).
    @inlinable
    public func fPrime(_ t: Double) -> Double {
        switch self {
        case .wgan: return 1
        case .minimax, .nonsaturating: return logistic(-t)
        }
    }

    /// f″(t) = −σ(t)σ(−t) for the σ-losses.
    @inlinable
    public func fSecond(_ t: Double) -> Double {
        switch self {
        case .wgan: return 0
        case .minimax, .nonsaturating: return -logistic(t) * logistic(-t)
        }
    }

    /// g′(t).
    @inlinable
    public func gPrime(_ t: Double) -> Double {
        switch self {
        case .wgan: return 1
        case .minimax: return logistic(t)
        case .nonsaturating: return logistic(-t)
        }
    }

    /// g″(t).
    @inlinable
    public func gSecond(_ t: Double) -> Double {
        switch self {
        case .wgan: return 0
        case .minimax: return logistic(t) * logistic(-t)
        case .nonsaturating: return -logistic(t) * logistic(-t)
        }
    }
}

/// The logistic function σ(t) = 1/(1 + e^{−t}), evaluated without overflow for either sign of t.
@inlinable
public func logistic(_ t: Double) -> Double {
    if t >= 0 {
        return 1 / (1 + exp(-t))
    }
    let e = exp(t)
    return e / (1 + e)
}
