import Foundation

/// Hidden activations φ of the MLP discriminator, with derivatives up to third order.
///
/// The third derivative is needed because the R1/R2 penalty contains ∇_x D, whose parameter Hessian (in the
/// Jacobian of the discriminator flow) differentiates φ′ twice more. relu″ ≡ 0 and relu′(0) ≡ 0 (spec §1).
public enum Activation: String, CaseIterable, Codable, Sendable {
    case relu, tanh, sigmoid, softplus, sin, cos

    /// (φ, φ′, φ″, φ‴) at `h`.
    @inlinable
    public func derivatives(_ h: Double) -> (Double, Double, Double, Double) {
        switch self {
        case .relu:
            return h > 0 ? (h, 1, 0, 0) : (0, 0, 0, 0)
        case .tanh:
            let t = Foundation.tanh(h)
            let s = 1 - t * t
            return (t, s, -2 * t * s, s * (6 * t * t - 2))
        case .sigmoid:
            let p = logistic(h)
            let q = logistic(-h)
            let d1 = p * q
            return (p, d1, d1 * (q - p), d1 * (1 - 6 * p * q))
        case .softplus:
            let p = logistic(h)
            let q = logistic(-h)
            let d2 = p * q
            let value = h > 0 ? h + log1p(exp(-h)) : log1p(exp(h))
            return (value, p, d2, d2 * (q - p))
        case .sin:
            let s = Foundation.sin(h)
            let c = Foundation.cos(h)
            return (s, c, -s, -c)
        case .cos:
            let s = Foundation.sin(h)
            let c = Foundation.cos(h)
            return (c, -s, -c, s)
        }
    }

    /// The default hidden-bias law: uniform phases for the periodic features, Gaussian otherwise.
    public var defaultHiddenBias: DiscriminatorSpec.HiddenBias {
        self == .sin || self == .cos ? .uniform2pi : .normal
    }
}

/// Which discriminator parameters are trained (spec §1).
public enum Training: String, CaseIterable, Codable, Sendable {
    /// Only the readout (a, c); W and b stay at their random initial values (a random-feature discriminator).
    case outer
    /// Everything: a, W, b, c.
    case all
}
