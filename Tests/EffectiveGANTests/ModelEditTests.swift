import Foundation
import Testing

@testable import EffectiveGAN

/// A typed edit of the config against the independent route it replaces: the key written into the JSON document,
/// which is decoded and validated again. The two must give the same resolved model bit for bit, and the same
/// refusal for a value the decoder refuses.
@Suite("Typed config edits (ModelEdit)")
struct ModelEditTests {
    static let grid = """
        {"dimension": 2, "target": {"kind": "grid", "side": 3, "spacing": 2, "samplesPerMode": 2, "spread": 0.05},
         "generator": {"particles": 18, "learningRate": 2, "kernel": {"kind": "universal", "ratio": 0.2},
                       "init": {"kind": "targets", "std": 0.1, "seed": 5}},
         "discriminator": {"kind": "mlp", "layers": [8, 6], "activation": "leaky_relu", "negativeSlope": 0.1,
                           "weightStd": 0.7, "seed": 9},
         "loss": "nonsaturating", "regularizer": {"kind": "r1", "strength": 1.5}}
        """
    static let ntk = """
        {"dimension": 2, "target": {"kind": "ring", "modes": 4, "radius": 2.0},
         "generator": {"particles": 8,
                       "kernel": {"kind": "ntk", "depth": 1, "activation": "erf", "latentDimension": 16, "seed": 4}},
         "discriminator": {"kind": "mlp", "width": 12, "activation": "cos", "train": "outer", "seed": 3},
         "regularizer": {"kind": "r2", "strength": 1.0}}
        """
    static let network = """
        {"dimension": 2, "target": {"kind": "line", "modes": 2, "spacing": 2},
         "generator": {"particles": 4, "network": {"layers": [16], "activation": "tanh", "latentDimension": 4, "seed": 2}},
         "discriminator": {"kind": "mlp", "width": 8, "activation": "tanh", "seed": 3},
         "regularizer": {"kind": "r1", "strength": 1}}
        """

    /// (config, key, value) combinations covering every section and value type.
    static let cases: [(String, String, JSONValue)] = [
        (grid, "regularizer.strength", .number(7)),
        (grid, "discriminator.learningRate", .number(0.3)),
        (grid, "discriminator.weightDecay", .number(0.01)),
        (grid, "discriminator.layers", .array([.integer(5), .integer(5), .integer(3)])),
        (grid, "discriminator.negativeSlope", .number(0.3)),
        (grid, "discriminator.train", .string("outer")),
        (grid, "discriminator.weightStd", .number(1.3)),
        (grid, "discriminator.seed", .integer(11)),
        (grid, "generator.particles", .integer(36)),
        (grid, "generator.learningRate", .number(0.5)),
        (grid, "generator.kernel.ratio", .number(0.6)),
        (grid, "generator.kernel.self", .number(3)),
        (grid, "generator.init.std", .number(0.4)),
        (grid, "generator.init.seed", .integer(8)),
        (grid, "target.samplesPerMode", .integer(1)),
        (grid, "target.spread", .number(0.2)),
        (grid, "target.seed", .integer(3)),
        (grid, "target.spacing", .number(3)),
        (ntk, "generator.kernel.depth", .integer(2)),
        (ntk, "generator.kernel.activation", .string("relu")),
        (ntk, "generator.kernel.biasVariance", .number(0.3)),
        (ntk, "generator.kernel.weightVariance", .number(2)),
        (ntk, "generator.kernel.latentDimension", .integer(32)),
        (ntk, "generator.kernel.seed", .integer(7)),
        (ntk, "discriminator.width", .integer(20)),
        (ntk, "discriminator.activation", .string("relu")),
        (ntk, "target.modes", .integer(8)),
        (ntk, "target.radius", .number(1)),
        (network, "generator.network.layers", .array([.integer(24)])),
        (network, "generator.network.seed", .integer(5)),
        (network, "generator.network.latentDimension", .integer(6)),
        (network, "generator.network.activation", .string("relu")),
        (network, "target.spacing", .number(3)),
        (network, "generator.particles", .integer(8)),
    ]

    @Test("every typed edit resolves to the document edit's model, bit for bit (34 keys × values)")
    func typedEqualsDocument() throws {
        for (json, key, value) in Self.cases {
            let source = try TestModels.source(json)
            let edit = try ModelEdit(key, for: source)
            let typed = try source.config!.applying([edit.setting(value)]).resolve()
            let document = try source.reading(
                source.document.setting(path: key.split(separator: ".").map(String.init), to: value)
            ).resolved
            #expect(typed == document, "\(key) = \(value.compactText)")
            #expect(typed != source.resolved, "\(key) = \(value.compactText) must change the model")
        }
    }

    @Test("an activation axis over a leaky critic: its slope is kept for leaky_relu and dropped for the others")
    func activationAxisKeepsTheSlope() throws {
        // Decoding refuses negativeSlope beside another activation; an axis of activations means the slope only
        // where it applies, so the edit drops it there (and sin brings its own hidden-bias default).
        let source = try TestModels.source(Self.grid)
        let edit = try ModelEdit("discriminator.activation", for: source)
        let sin = try source.config!.applying([edit.setting(.string("sin"))]).discriminator
        #expect(sin.activation == Activation(.sin) && sin.hiddenBias == .uniform2pi)
        let back = try source.config!.applying([edit.setting(.string("sin")), edit.setting(.string("leaky_relu"))])
        #expect(back.discriminator.activation == .leakyRelu(negativeSlope: 0.1))
    }

    @Test("a value the decoder refuses is refused with the decoder's message, naming the key")
    func refusedLikeTheDecoder() throws {
        let source = try TestModels.source(Self.grid)
        for (key, value) in [
            ("regularizer.strength", JSONValue.number(-1)), ("discriminator.layers", .array([])),
            ("generator.particles", .integer(17)), ("generator.kernel.ratio", .number(1.5)),
            ("discriminator.activation", .string("swish")), ("target.spread", .string("wide")),
        ] {
            var expected = ""
            do {
                let document = try source.document.setting(
                    path: key.split(separator: ".").map(String.init), to: value)
                _ = try source.reading(document)
            } catch { expected = "\(error)" }
            var got = ""
            do {
                _ = try source.config!.applying([ModelEdit(key, for: source).setting(value)])
            } catch { got = "\(error)" }
            #expect(!got.isEmpty && got == expected, "\(key): \(got) vs \(expected)")
        }
    }

    @Test("a key the config lacks or no study can set is refused at parse time with the reason")
    func keysRefusedAtParse() throws {
        let grid = try TestModels.source(Self.grid)
        func reason(_ key: String, _ source: ModelSource) -> String {
            do { _ = try ModelEdit(key, for: source) } catch { return "\(error)" }
            return ""
        }
        #expect(reason("discriminator.colour", grid).contains("regularizer.strength, discriminator.learningRate"))
        #expect(reason("generator.kernel.depth", grid).contains("ntk kernel only"))
        #expect(reason("discriminator.width", grid).contains("2 hidden layers; set discriminator.layers"))
        #expect(reason("target.radius", grid).contains("ring targets only"))
        let network = try TestModels.source(Self.network)
        #expect(reason("generator.kernel.ratio", network).contains("Θ(w*) of generator.network"))
        #expect(try ParameterPath("regularizer.strength", for: grid) == .strength)
    }
}
