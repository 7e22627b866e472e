/// A hyper-dual number v + e₁ε₁ + e₂ε₂ + e₁₂ε₁ε₂ with ε₁² = ε₂² = 0: carried through a computation it gives the
/// value, two directional derivatives and their mixed second derivative, exactly (no truncation error; the only
/// error is the rounding of the arithmetic itself, as in a hand-written derivative).
///
/// The deep critic (`DeepMLPDiscriminator`) runs its forward and backward pass in this type: the backward pass
/// gives ∂_θ D, and its ε parts give the mixed and second derivatives the exact Jacobian of spec §6 needs
/// (∂_θ∂_x D, ∇²_x D, ∂²_θ D, ∂²_θ ψ_r and ∂_x∇_θ ψ_r), each by choosing which inputs carry ε₁ and ε₂.
struct HyperDual: Sendable {
    var v: Double
    var e1: Double
    var e2: Double
    var e12: Double

    @inline(__always) init(_ v: Double, _ e1: Double = 0, _ e2: Double = 0, _ e12: Double = 0) {
        self.v = v
        self.e1 = e1
        self.e2 = e2
        self.e12 = e12
    }

    static let zero = HyperDual(0)

    @inline(__always) static func + (a: HyperDual, b: HyperDual) -> HyperDual {
        HyperDual(a.v + b.v, a.e1 + b.e1, a.e2 + b.e2, a.e12 + b.e12)
    }

    @inline(__always) static func += (a: inout HyperDual, b: HyperDual) { a = a + b }

    @inline(__always) static func * (a: HyperDual, b: HyperDual) -> HyperDual {
        HyperDual(
            a.v * b.v, a.e1 * b.v + a.v * b.e1, a.e2 * b.v + a.v * b.e2,
            a.e12 * b.v + a.e1 * b.e2 + a.e2 * b.e1 + a.v * b.e12)
    }

    @inline(__always) static func * (s: Double, a: HyperDual) -> HyperDual {
        HyperDual(s * a.v, s * a.e1, s * a.e2, s * a.e12)
    }

    /// f(self) for a function with f(v) = f0, f′(v) = f1, f″(v) = f2 (the chain rule to second order).
    @inline(__always) func mapped(_ f0: Double, _ f1: Double, _ f2: Double) -> HyperDual {
        HyperDual(f0, f1 * e1, f1 * e2, f1 * e12 + f2 * e1 * e2)
    }
}
