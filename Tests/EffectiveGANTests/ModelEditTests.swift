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

    /// No `init`, no `kernel`, a normal-bias critic, a grid: defaults the edits must reproduce.
    static let bare = """
        {"dimension": 2, "target": {"kind": "grid", "side": 2, "spacing": 2},
         "generator": {"particles": 4},
         "discriminator": {"kind": "mlp", "width": 6, "activation": "tanh", "hiddenBiasStd": 0.5},
         "regularizer": {"kind": "r1", "strength": 1}}
        """
    static let leakyNetwork = """
        {"dimension": 1, "target": {"kind": "line", "modes": 2, "spacing": 2},
         "generator": {"particles": 2, "network": {"layers": [8], "activation": "leaky_relu", "latentDimension": 3}},
         "discriminator": {"kind": "linear", "weightDecay": 0.1},
         "regularizer": {"kind": "r2", "strength": 1}}
        """
    static let optimal = """
        {"dimension": 1, "target": {"kind": "points", "points": [[0]]}, "generator": {"particles": 1},
         "discriminator": {"kind": "linear", "learningRate": "optimal", "weightDecay": 0.1}, "loss": "wgan",
         "regularizer": {"kind": "r1", "strength": 1}}
        """

    static let trained = optimal.replacingOccurrences(of: "\"optimal\"", with: "0.5")

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
        (bare, "generator.init.seed", .integer(9)),
        (bare, "generator.init.std", .number(0.3)),
        (bare, "discriminator.hiddenBiasStd", .number(2)),
        (bare, "discriminator.pack", .integer(2)),
        (bare, "target.side", .integer(1)),
        (leakyNetwork, "generator.network.negativeSlope", .number(0.3)),
        (leakyNetwork, "generator.network.weightVariance", .number(2)),
        (leakyNetwork, "generator.network.biasVariance", .number(0.5)),
        (optimal, "discriminator.learningRate", .number(0.7)),
        (trained, "discriminator.learningRate", .string("optimal")),
    ]

    @Test("every typed edit resolves to the document edit's model, bit for bit (44 keys × values)")
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

    @Test("widths on an axis: a number is one layer, \"AxB\" a layer per factor, a list as written")
    func widthShorthands() throws {
        let source = try TestModels.source(Self.network)
        let edit = try ModelEdit("generator.network.layers", for: source)
        for (value, widths) in [
            (JSONValue.number(24), [24]), (.string("24x12"), [24, 12]), (.array([.integer(6), .integer(5)]), [6, 5]),
        ] {
            let config = try source.config!.applying([edit.setting(value)])
            #expect(config.generator.network?.layers == widths, "\(value.compactText)")
            // The network was fitted again: w* interpolates the targets for the new widths.
            #expect(try #require(config.generator.networkEquilibrium).residual <= 1e-12)
        }
        #expect(throws: ConfigError.self) { try edit.setting(.string("24xwide")) }
    }

    @Test("a value the decoder refuses is refused with the decoder's message, naming the key")
    func refusedLikeTheDecoder() throws {
        let source = try TestModels.source(Self.grid)
        for (key, value) in [
            ("regularizer.strength", JSONValue.number(-1)), ("discriminator.layers", .array([])),
            ("generator.particles", .integer(17)), ("generator.kernel.ratio", .number(1.5)),
            ("discriminator.activation", .string("swish")), ("target.spread", .string("wide")),
            ("discriminator.negativeSlope", .number(1)),
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

    @Test("methods that exclude each other and oversized networks are refused after an edit as when decoded")
    func crossSectionChecks() throws {
        let memory = try TestModels.source(
            """
            {"dimension": 1, "target": {"kind": "points", "points": [[0]]}, "generator": {"particles": 1},
             "discriminator": {"kind": "linear", "weightDecay": 0.1, "memory": 2}, "regularizer": {"kind": "r1", "strength": 1}}
            """)
        let network = try TestModels.source(Self.leakyNetwork)
        for (source, key, value) in [
            (memory, "discriminator.pack", JSONValue.integer(2)),
            (memory, "discriminator.learningRate", .string("optimal")),
            (network, "generator.network.layers", .array([.integer(200_000), .integer(200_000)])),
        ] {
            var expected = ""
            do {
                _ = try source.reading(
                    source.document.setting(path: key.split(separator: ".").map(String.init), to: value))
            } catch { expected = "\(error)" }
            var got = ""
            do { _ = try source.config!.applying([ModelEdit(key, for: source).setting(value)]) } catch {
                got = "\(error)"
            }
            #expect(!got.isEmpty && got == expected, "\(key): \(got) vs \(expected)")
        }
    }

    @Test("whole-number keys: grid round-off is the whole number, and a sweep refines critical points on whole numbers")
    func wholeNumbers() throws {
        let source = try TestModels.source(Self.bare)
        let seed = try ModelEdit("discriminator.seed", for: source)
        #expect(try source.config!.applying([seed.setting(.number(9.999999999999998))]).discriminator.seed == 10)
        #expect(throws: ConfigError.self) { try seed.setting(.number(9.5)) }
        // ring8 with critic widths 1…100 (overdamped at 1, underdamped at 34): the refined critical point is a width.
        let particles = try TestModels.source(
            """
            {"dimension": 2, "target": {"kind": "ring", "modes": 8, "radius": 2},
             "generator": {"particles": 8, "kernel": {"kind": "universal", "ratio": 0.15, "self": 1.3}},
             "discriminator": {"kind": "mlp", "width": 64, "activation": "cos", "train": "outer", "seed": 3},
             "regularizer": {"kind": "r1", "strength": 10}}
            """)
        let path = try ParameterPath("discriminator.width", for: particles)
        #expect(path.takesWholeNumbers)
        let sweep = try Sweep.run(particles, parameter: path, values: [1, 34, 67, 100])
        let critical = try sweep.criticalPoints(particles)
        #expect(!critical.isEmpty)
        for point in critical {
            #expect(point.value == point.value.rounded() && point.value >= 1 && point.value <= 100, "\(point.value)")
            // The far whole number is on the other side: one below it still has the regime below.
            let before = try Sweep.spectrum(particles, parameter: path, value: point.value - 1).regime
            let at = try Sweep.spectrum(particles, parameter: path, value: point.value).regime
            #expect(before == point.below && at == point.above, "\(point.value): \(before) → \(at)")
        }
        // γ is checked as a config's strength is.
        #expect(throws: ConfigError.self) { try ParameterPath.strength.model(particles, value: -1) }
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
        let linear = try TestModels.source(Self.leakyNetwork)
        #expect(reason("discriminator.negativeSlope", linear).contains("kind 'mlp' only"))
        #expect(reason("generator.network.negativeSlope", grid).contains("generator.network only"))
        #expect(reason("generator.init.seed", try TestModels.source(Self.network)).contains("generator.network.seed"))
        let network = try TestModels.source(Self.network)
        #expect(reason("generator.kernel.ratio", network).contains("Θ(w*) of generator.network"))
        #expect(try ParameterPath("regularizer.strength", for: grid) == .strength)
    }
}
