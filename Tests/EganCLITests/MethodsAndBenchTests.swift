import EffectiveGAN
import Foundation
import Testing

@Suite("egan with training methods, and egan bench options (end to end)")
struct MethodsAndBenchTests {
    static let likelihoodConfig = """
        {"dimension": 2, "target": {"kind": "ring", "modes": 4, "radius": 1.5},
         "generator": {"particles": 4, "kernel": {"kind": "universal", "ratio": 0.1},
                       "likelihood": {"weight": 0.05, "bandwidth": 0.6}},
         "discriminator": {"kind": "mlp", "width": 16, "activation": "cos", "train": "outer", "weightDecay": 0.02},
         "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
        """

    @Test("analyze --json reports the moved equilibrium of likelihood guidance; model names the method")
    func likelihoodShift() throws {
        let file = try CLI.temporaryFile(Self.likelihoodConfig, name: "guided.json")
        let result = try CLI.run(["analyze", file.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONValue.parse(Data(result.stdout.utf8), source: "stdout")
        guard case let .number(shift)? = json["equilibriumShift"]?["particles"] else {
            Issue.record("no equilibriumShift")
            return
        }
        #expect(shift > 1e-4)
        let summary = try CLI.run(["model", file.path])
        #expect(summary.stdout.contains("likelihood guidance β = 0.05, h = 0.6"))
    }

    @Test("an optimal discriminator without strict concavity: one stderr line naming the field, exit 2")
    func optimalRefused() throws {
        let config = Self.likelihoodConfig.replacingOccurrences(
            of: "\"weightDecay\": 0.02", with: "\"learningRate\": \"optimal\"")
        let file = try CLI.temporaryFile(config, name: "optimal.json")
        let result = try CLI.run(["analyze", file.path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("discriminator.learningRate") && result.stderr.split(separator: "\n").count == 1)
    }

    @Test("bench --resolved prints the workload's resolved model; bad options exit 2")
    func benchOptions() throws {
        let resolved = try CLI.run(["bench", "sweep-ring8", "--resolved"])
        #expect(resolved.status == 0)
        let model = try ResolvedModel(json: JSONValue.parse(Data(resolved.stdout.utf8), source: "stdout"))
        #expect(model == (try ModelSource(preset: .ring8)).resolved)
        #expect(try CLI.run(["bench", "--resolved"]).status == 2)
        #expect(try CLI.run(["bench", "sweep-ring8", "--repeats", "0"]).status == 2)
    }
}
