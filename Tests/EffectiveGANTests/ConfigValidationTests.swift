import Foundation
import Testing

@testable import EffectiveGAN

/// Bad input is refused with a message that names the field.
@Suite("Config validation")
struct ConfigValidationTests {
    static let base = """
        {"dimension": 2, "target": {"kind": "ring", "modes": 4, "radius": 1},
         "generator": {"particles": 8, "learningRate": 1, "kernel": {"kind": "universal", "ratio": 0.1}},
         "discriminator": {"kind": "mlp", "width": 8, "activation": "tanh", "train": "outer"},
         "loss": "wgan", "regularizer": {"kind": "r1", "strength": 0.5}}
        """

    static func message(_ json: String) -> String? {
        do {
            _ = try TestModels.source(json)
            return nil
        } catch {
            return "\(error)"
        }
    }

    static func replacing(_ old: String, _ new: String) -> String {
        precondition(base.contains(old), "test fixture lacks \(old)")
        return base.replacingOccurrences(of: old, with: new)
    }

    @Test("the base config is valid")
    func baseIsValid() { #expect(Self.message(Self.base) == nil) }

    @Test("the config reference (docs/config.md) names every key a config may hold")
    func referenceListsEveryKey() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let section = try String(contentsOf: root.appendingPathComponent("docs/config.md"), encoding: .utf8)
        let keys: [(String, [String])] = [
            ("", ModelConfig.topLevelKeys), ("target", TargetSpec.keys), ("generator", GeneratorSpec.keys),
            ("discriminator", DiscriminatorSpec.keys), ("regularizer", ["kind", "strength"]),
        ]
        for (prefix, names) in keys {
            for key in names {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                // The key itself, or its sub-keys (`generator.kernel.kind`).
                #expect(
                    section.contains("`\(path)`") || section.contains("`\(path)."), "config reference lacks `\(path)`")
            }
        }
    }

    @Test("problems in independent sections are all named in one pass, numbered, on one line")
    func allProblemsAtOnce() throws {
        let bad = Self.base.replacingOccurrences(of: "\"loss\": \"wgan\"", with: "\"loss\": \"lose\", \"colour\": 1")
            .replacingOccurrences(of: "\"width\": 8", with: "\"width\": 0")
            .replacingOccurrences(of: "\"radius\": 1", with: "\"radius\": -1")
        let message = try #require(Self.message(bad))
        #expect(message.hasPrefix("4 problems: (1) unknown key 'colour'"))
        for field in ["'target.radius'", "'discriminator.width'", "'loss'"] { #expect(message.contains(field)) }
        #expect(!message.contains("\n"))
        // One problem is reported as itself, without the count.
        let single = try #require(Self.message(Self.replacing("\"width\": 8", "\"width\": 0")))
        #expect(single.hasPrefix("'discriminator.width'"))
    }

    @Test(
        "each bad value names its field",
        arguments: [
            (replacing("\"loss\"", "\"lose\""), "lose"),
            (replacing("\"radius\": 1", "\"radius\": \"one\""), "target.radius"),
            (replacing("\"particles\": 8", "\"particles\": 6"), "generator.particles"),
            (replacing("\"ratio\": 0.1", "\"ratio\": 1.5"), "generator.kernel.ratio"),
            (replacing("\"ratio\": 0.1", "\"ratio\": -0.5"), "generator.kernel.ratio"),
            (replacing("\"learningRate\": 1,", "\"learningRate\": -1,"), "generator.learningRate"),
            (replacing("\"strength\": 0.5", "\"strength\": -0.5"), "regularizer.strength"),
            (replacing("\"strength\": 0.5", "\"strength\": 1e999"), "regularizer.strength"),
            (replacing("\"width\": 8", "\"width\": 0"), "discriminator.width"),
            (replacing("\"activation\": \"tanh\"", "\"activation\": \"gelu\""), "discriminator.activation"),
            (replacing("\"modes\": 4", "\"modes\": 2.5"), "target.modes"),
            (
                replacing(
                    "{\"kind\": \"ring\", \"modes\": 4, \"radius\": 1}", "{\"kind\": \"points\", \"points\": []}"),
                "target.points"
            ),
            (
                replacing(
                    "{\"kind\": \"universal\", \"ratio\": 0.1}",
                    "{\"kind\": \"explicit\", \"matrix\": [[1, 2], [0, 1]]}"),
                "generator.kernel.matrix"
            ),
        ])
    func namesTheField(json: String, field: String) throws {
        let message = try #require(Self.message(json))
        #expect(message.contains(field), "\(message)")
        #expect(!message.contains("\n"))
    }

    @Test("explicit kernels must be symmetric and positive semi-definite")
    func explicitKernel() throws {
        let indefinite = try #require(
            Self.message(
                Self.replacing("\"particles\": 8", "\"particles\": 4").replacingOccurrences(
                    of: "{\"kind\": \"universal\", \"ratio\": 0.1}",
                    with: "{\"kind\": \"explicit\", \"matrix\": [[1,2,0,0],[2,1,0,0],[0,0,1,0],[0,0,0,1]]}")))
        #expect(indefinite.contains("positive semi-definite"))
        let asymmetric = try #require(
            Self.message(
                Self.replacing("\"particles\": 8", "\"particles\": 4").replacingOccurrences(
                    of: "{\"kind\": \"universal\", \"ratio\": 0.1}",
                    with: "{\"kind\": \"explicit\", \"matrix\": [[1,0.5,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]]}")))
        #expect(asymmetric.contains("symmetric"))
    }

    @Test("not JSON, or NaN: one line saying so")
    func invalidJSON() throws {
        let message = try #require(Self.message(Self.replacing("\"strength\": 0.5", "\"strength\": NaN")))
        #expect(message.contains("not valid JSON"))
    }

    @Test("weight decay with all weights trained has no matched equilibrium, and says why")
    func notAnEquilibrium() throws {
        let json = Self.replacing("\"train\": \"outer\"", "\"train\": \"all\", \"weightDecay\": 0.1")
        let model = EffectiveModel(try TestModels.source(json).resolved)
        let error = try #require(throws: ModelError.self) { try StabilityAnalysis(model: model) }
        #expect("\(error)".contains("weight decay"))
    }
}
