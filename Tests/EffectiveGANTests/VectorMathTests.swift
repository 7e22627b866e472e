import Numerics
import Testing

@testable import EffectiveGAN

/// The field's vectorised activations (libmvec sin/cos, tanh through expm1) against the scalar `derivatives(_:)`.
@Suite("Vectorised activations")
struct VectorMathTests {
    /// Tiny, moderate, saturating and huge arguments, exact zeros and signs; 1 003 values so every vector width
    /// leaves a scalar tail.
    static let arguments: [Double] =
        [0, -0.0, 1e-300, -1e-300, 1e-12, -3e-9, 19.5, -19.5, 20, -20.000001, 25, -700, 710, 1e6]
        + (0..<989).map { k in (Double(k) - 494) * 0.051 }

    @Test(
        "φ to 4 ulp, φ′ and φ″ to 4e-15 absolute (a few ulp of O(1) products of φ), for every activation",
        arguments: Activation.allCases)
    func matchesScalar(activation: Activation) {
        var values = Self.arguments
        var first = [Double](repeating: .nan, count: values.count)
        var second = [Double](repeating: .nan, count: values.count)
        values.withUnsafeMutableBufferPointer { v in
            first.withUnsafeMutableBufferPointer { f in
                second.withUnsafeMutableBufferPointer { s in
                    activation.evaluate(
                        inPlace: v.baseAddress!, first: f.baseAddress!, second: s.baseAddress!, count: v.count)
                }
            }
        }
        for (k, x) in Self.arguments.enumerated() {
            let (f0, f1, f2, _) = activation.derivatives(x)
            let ulps = abs(values[k] - f0) / max(f0.magnitude.ulp, Double.leastNormalMagnitude)
            #expect(ulps <= 4 || values[k].isApproximatelyEqual(to: f0, absoluteTolerance: 1e-300), "\(activation) φ(\(x)) = \(values[k]) vs \(f0)")
            #expect(first[k].isApproximatelyEqual(to: f1, absoluteTolerance: 4e-15 * max(1, abs(f1))), "\(activation) φ′(\(x)) = \(first[k]) vs \(f1)")
            #expect(second[k].isApproximatelyEqual(to: f2, absoluteTolerance: 4e-15 * max(1, abs(f2))), "\(activation) φ″(\(x)) = \(second[k]) vs \(f2)")
        }
    }
}
