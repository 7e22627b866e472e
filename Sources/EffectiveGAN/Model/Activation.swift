import Foundation

/// Hidden activations φ of the MLP discriminator, with derivatives up to third order.
///
/// The third derivative is needed because the R1/R2 penalty contains ∇_x D, whose parameter Hessian (in the
/// Jacobian of the discriminator flow) differentiates φ′ twice more. relu″ ≡ 0 and relu′(0) ≡ 0 (spec §1).
/// `leaky_relu` with negative slope α (PyTorch's `negative_slope`, default 0.2 as most GAN critics use — PyTorch's
/// own default is 0.01): φ(h) = h for h > 0, αh otherwise, so φ′(0) = α (PyTorch's gradient at 0), φ″ ≡ 0.
/// `elu` is PyTorch's `nn.ELU()` (α = 1): φ(h) = h for h > 0, eʰ − 1 otherwise; φ′ is continuous (1 at 0, as
/// PyTorch's gradient there) and φ″ jumps from 1 to 0 at h = 0, where the value for h ≤ 0 is taken.
public struct Activation: Hashable, Sendable, CustomStringConvertible {
    /// The activation's family, as named in configs.
    public enum Kind: String, CaseIterable, Sendable {
        case relu
        case leakyRelu = "leaky_relu"
        case tanh, sigmoid, softplus, elu, sin, cos
    }

    public let kind: Kind
    /// α of `leaky_relu` (0 for every other kind).
    public let negativeSlope: Double

    /// The slope of `leaky_relu` when a config does not give `negativeSlope`.
    public static let defaultNegativeSlope = 0.2

    public init(_ kind: Kind, negativeSlope: Double = Activation.defaultNegativeSlope) {
        self.kind = kind
        self.negativeSlope = kind == .leakyRelu ? negativeSlope : 0
    }

    public static let relu = Activation(.relu)
    public static let tanh = Activation(.tanh)
    public static let sigmoid = Activation(.sigmoid)
    public static let softplus = Activation(.softplus)
    public static let elu = Activation(.elu)
    public static let sin = Activation(.sin)
    public static let cos = Activation(.cos)
    /// `leaky_relu` with slope α.
    public static func leakyRelu(negativeSlope α: Double = defaultNegativeSlope) -> Activation {
        Activation(.leakyRelu, negativeSlope: α)
    }

    /// One of each kind (leaky_relu at its default slope): what tests run over.
    public static let allCases = Kind.allCases.map { Activation($0) }

    /// The config name (`relu`, `leaky_relu`, …).
    public var rawValue: String { kind.rawValue }
    public var description: String { kind == .leakyRelu ? "leaky_relu(\(negativeSlope))" : kind.rawValue }

    /// Piecewise linear (relu, leaky_relu): φ″ ≡ 0, and φ′ jumps at 0, so the flow is discontinuous there.
    public var isPiecewiseLinear: Bool { kind == .relu || kind == .leakyRelu }

    /// (φ, φ′, φ″, φ‴) at `h`.
    @inlinable
    public func derivatives(_ h: Double) -> (Double, Double, Double, Double) {
        switch kind {
        case .relu:
            return h > 0 ? (h, 1, 0, 0) : (0, 0, 0, 0)
        case .leakyRelu:
            return h > 0 ? (h, 1, 0, 0) : (negativeSlope * h, negativeSlope, 0, 0)
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
        case .elu:
            guard h <= 0 else { return (h, 1, 0, 0) }
            let e = exp(h)
            return (expm1(h), e, e, e)
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
        kind == .sin || kind == .cos ? .uniform2pi : .normal
    }
}

extension Activation {
    /// Reads `activation` and, for `leaky_relu`, `negativeSlope` (0 ≤ α < 1; refused for other kinds) from a
    /// discriminator object.
    static func read(_ reader: JSONReader) throws -> Activation {
        let kind = try reader.choice("activation", as: Kind.self)
        guard kind == .leakyRelu else {
            if reader.has("negativeSlope") {
                throw ConfigError.invalidValue(
                    path: reader.child("negativeSlope"), reason: "applies to activation \"leaky_relu\" only; remove it")
            }
            return Activation(kind)
        }
        return .leakyRelu(negativeSlope: try reader.leakySlope("negativeSlope", default: defaultNegativeSlope))
    }

    /// The keys it writes into a discriminator object.
    var jsonPairs: [(String, JSONValue)] {
        [("activation", .string(rawValue))] + (kind == .leakyRelu ? [("negativeSlope", .number(negativeSlope))] : [])
    }
}

/// Which discriminator parameters are trained (spec §1).
public enum Training: String, CaseIterable, Codable, Sendable {
    /// Only the readout (a, c); W and b stay at their random initial values (a random-feature discriminator).
    case outer
    /// Everything: a, W, b, c.
    case all
}
