import EffectiveGAN
import Foundation
import Testing

/// A generator network read with `fit: false`, end to end: trained by `simulate`, refused by every linear command
/// with one line naming the key, exported with `model --network-start`; and a fit above the memory budget refused
/// with the way out.
@Suite("egan on a generator network that is only trained")
struct NetworkCommandTests {
    static func config(fit: Bool) -> String {
        """
        {"dimension": 2, "target": {"kind": "ring", "modes": 3, "radius": 1.2},
         "generator": {"particles": 3, "network": {"layers": [16], "activation": "relu", "latentDimension": 4,
                                                   "fit": \(fit)}},
         "discriminator": {"kind": "mlp", "width": 8, "activation": "tanh", "seed": 4},
         "loss": "wgan", "regularizer": {"kind": "r1", "strength": 2}}
        """
    }

    static func isOneLine(_ result: CLIResult, naming key: String) -> Bool {
        result.status == 2 && result.stdout.isEmpty && result.stderr.contains(key)
            && result.stderr.split(separator: "\n").count == 1
    }

    @Test(
        "simulate trains it with gradient steps; analyze, sweep, optimize, steps, report, transfer refuse naming generator.network.fit"
    )
    func trainingOnly() throws {
        let file = try CLI.temporaryFile(Self.config(fit: false), name: "network.json")
        let trained = try CLI.run(
            [
                "simulate", file.path, "--integrator", "gd", "--lr", "0.05", "--t-end", "1", "--samples", "3",
                "--format", "json",
            ])
        #expect(trained.status == 0, "\(trained.stderr)")
        let json = try JSONValue.parse(Data(trained.stdout.utf8), source: "stdout")
        #expect(json["status"]?["completed"] == .bool(true))
        // The same run on the fitted config: the training flow does not depend on the fit.
        let fitted = try CLI.temporaryFile(Self.config(fit: true), name: "fitted.json")
        let same = try CLI.run(
            [
                "simulate", fitted.path, "--integrator", "gd", "--lr", "0.05", "--t-end", "1", "--samples", "3",
                "--format", "json",
            ])
        let other = try JSONValue.parse(Data(same.stdout.utf8), source: "stdout")
        #expect(json["finalState"] != nil && json["finalState"] == other["finalState"])

        for command in [
            ["analyze", file.path], ["sweep", file.path], ["optimize", file.path], ["steps", file.path],
            ["report", file.path, "--output", file.deletingLastPathComponent().appendingPathComponent("r.md").path],
            ["transfer", file.path], ["crosscheck", file.path],
        ] {
            let result = try CLI.run(command)
            #expect(Self.isOneLine(result, naming: "generator.network.fit"), "\(command[0]): \(result.stderr)")
        }
        let memory = try CLI.temporaryFile(
            Self.config(fit: false).replacingOccurrences(of: "\"seed\": 4}", with: "\"seed\": 4, \"memory\": 5}"),
            name: "memory.json")
        #expect(Self.isOneLine(try CLI.run(["simulate", memory.path, "--t-end", "1"]), naming: "discriminator.memory"))
        let noEnd = try CLI.run(["simulate", file.path, "--integrator", "gd", "--lr", "0.05"])
        #expect(Self.isOneLine(noEnd, naming: "--t-end"), "\(noEnd.stderr)")
        let summary = try CLI.run(["model", file.path])
        #expect(summary.stdout.contains("fit false: trained only"), "\(summary.stdout)")
    }

    @Test("model --network-start exports Z, w₀ (P numbers) and the config; a particle model is refused")
    func networkStart() throws {
        let file = try CLI.temporaryFile(Self.config(fit: false), name: "network.json")
        let result = try CLI.run(["model", file.path, "--network-start"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONValue.parse(Data(result.stdout.utf8), source: "stdout")
        #expect(json["schema"] == .string("egan.network-start/1"))
        guard case let .array(weights)? = json["weights"], case let .array(latents)? = json["latents"] else {
            Issue.record("no weights or latents")
            return
        }
        #expect(weights.count == 16 * (4 + 1) + 2 * (16 + 1))
        #expect(latents.count == 3)
        #expect(json["config"]?["generator"]?["network"]?["fit"] == .bool(false))
        #expect(Self.isOneLine(try CLI.run(["model", "ring8", "--network-start"]), naming: "generator.network"))
    }

    @Test("an implicit stepper trains a tanh network; above the memory budget it is refused with the size")
    func implicitStepper() throws {
        let file = try CLI.temporaryFile(
            Self.config(fit: false).replacingOccurrences(of: "\"relu\"", with: "\"tanh\""), name: "tanh.json")
        let trained = try CLI.run(["simulate", file.path, "--integrator", "msbdf", "--t-end", "1", "--samples", "2"])
        #expect(trained.status == 0, "\(trained.stderr)")
        var environment = ProcessInfo.processInfo.environment
        environment["EGAN_MEMORY_BUDGET"] = "100K"
        let refused = try CLI.run(
            ["simulate", file.path, "--integrator", "msbdf", "--t-end", "1"], environment: environment)
        #expect(Self.isOneLine(refused, naming: "--integrator"), "\(refused.stderr)")
        #expect(refused.stderr.contains("864 kB at state dimension 147"), "\(refused.stderr)")
    }

    @Test("a fit above the memory budget: one line naming generator.network, with fit false as the way out")
    func fitAboveBudget() throws {
        let file = try CLI.temporaryFile(Self.config(fit: true), name: "network.json")
        var environment = ProcessInfo.processInfo.environment
        environment["EGAN_MEMORY_BUDGET"] = "5K"
        let result = try CLI.run(["analyze", file.path], environment: environment)
        #expect(Self.isOneLine(result, naming: "generator.network"), "\(result.stderr)")
        #expect(result.stderr.contains("set generator.network.fit to false"), "\(result.stderr)")
    }
}
