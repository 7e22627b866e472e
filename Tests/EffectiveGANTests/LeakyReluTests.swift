import Foundation
import Testing

@testable import EffectiveGAN

/// Issue #23: the leaky-relu critics real GANs use. The Jacobian, batched-field, discrete-map and structure-vs-
/// dense suites run over `Activation.allCases`, which includes `leaky_relu` at its default slope; here its own
/// definition and config keys.
@Suite("Leaky relu critics")
struct LeakyReluTests {
    @Test("φ(h) = h for h > 0 and αh otherwise, φ′(0) = α as PyTorch's gradient, φ″ ≡ 0", arguments: [0.0, 0.01, 0.2])
    func definition(alpha: Double) {
        let φ = Activation.leakyRelu(negativeSlope: alpha)
        #expect(φ.derivatives(1.5) == (1.5, 1, 0, 0))
        #expect(φ.derivatives(-2) == (-2 * alpha, alpha, 0, 0))
        #expect(φ.derivatives(0).1 == alpha)
        #expect(φ.isPiecewiseLinear)
        // Slope 0 is relu everywhere but at 0, where relu′(0) ≡ 0 (spec §1) and leaky's is α = 0 too.
        if alpha == 0 { #expect(φ.derivatives(-3) == Activation.relu.derivatives(-3)) }
    }

    static func config(_ discriminator: String) -> String {
        """
        {"dimension": 2, "target": {"kind": "ring", "modes": 2}, "generator": {"particles": 2},
         "discriminator": {"kind": "mlp", "width": 4, "train": "all", \(discriminator)},
         "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
        """
    }

    @Test("negativeSlope is read, written into the resolved model and read back; refused off leaky_relu or ≥ 1")
    func configKeys() throws {
        let source = try TestModels.source(Self.config(#""activation": "leaky_relu", "negativeSlope": 0.1"#))
        guard let critic = source.resolved.discriminator.mlp else {
            Issue.record("an mlp critic")
            return
        }
        #expect(critic.activation == .leakyRelu(negativeSlope: 0.1))
        let reread = try ResolvedModel(json: JSONValue.parse(Data(source.resolved.json.compactText.utf8), source: "r"))
        #expect(reread == source.resolved)
        let defaulted = try TestModels.source(Self.config(#""activation": "leaky_relu""#)).resolved
        #expect(defaulted.discriminator.mlp?.activation.negativeSlope == 0.2)
        #expect(defaulted.hasDiscontinuousField)
        for bad in [#""activation": "relu", "negativeSlope": 0.1"#, #""activation": "leaky_relu", "negativeSlope": 1"#] {
            #expect {
                try TestModels.source(Self.config(bad))
            } throws: { "\($0)".contains("discriminator.negativeSlope") }
        }
    }
}
