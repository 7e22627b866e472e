import EffectiveGAN
import Foundation
import Numerics
import Testing

@Suite("egan sweep, optimize, steps (end to end)")
struct SweepCommandTests {
    static func number(_ value: JSONValue?) -> Double? {
        if case let .number(x)? = value { return x }
        return nil
    }

    @Test("sweep --format json has points, the critical point γ = 2 and branches")
    func sweepJSON() throws {
        let result = try CLI.run([
            "sweep", "dirac", "--from", "0.5", "--to", "4", "--points", "8", "--scale", "linear", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONValue.parse(Data(result.stdout.utf8), source: "stdout")
        #expect(json["schema"] == .string("egan.sweep/1"))
        guard case let .array(points)? = json["points"], case let .array(critical)? = json["criticalPoints"],
            case let .array(branches)? = json["branches"]
        else {
            Issue.record("missing arrays")
            return
        }
        #expect(points.count == 8 && branches.count == 2 && critical.count == 1)
        #expect((Self.number(critical.first?["value"]) ?? 0).isApproximatelyEqual(to: 2, absoluteTolerance: 2e-6))
    }

    @Test("sweep --format csv: a header and one line per point")
    func sweepCSV() throws {
        let result = try CLI.run(["sweep", "ring8", "--steps", "5", "--format", "csv"])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 6 && lines[0].hasPrefix("value,regime,rate"))
    }

    @Test("optimize dirac --json: γ* = 2, r = 1")
    func optimizeJSON() throws {
        let result = try CLI.run(["optimize", "dirac", "--json"])
        let json = try JSONValue.parse(Data(result.stdout.utf8), source: "stdout")
        #expect((Self.number(json["gamma"]) ?? 0).isApproximatelyEqual(to: 2, absoluteTolerance: 2e-6))
        #expect((Self.number(json["rate"]) ?? 0).isApproximatelyEqual(to: 1, absoluteTolerance: 2e-6))
        #expect(json["relation"] == .string("exceptionalPoint"))
    }

    @Test("steps dirac --gamma 1 --json: h_max = 1")
    func stepsJSON() throws {
        let result = try CLI.run(["steps", "dirac", "--gamma", "1", "--json"])
        let json = try JSONValue.parse(Data(result.stdout.utf8), source: "stdout")
        guard case let .array(points)? = json["points"] else {
            Issue.record("no points")
            return
        }
        #expect((Self.number(points.first?["hMax"]) ?? 0).isApproximatelyEqual(to: 1, absoluteTolerance: 1e-6))
    }

    @Test(
        "bad sweep input: one stderr line, exit 2",
        arguments: [
            (["sweep", "dirac", "--from", "1", "--to", "1"], "--from"),
            (["sweep", "dirac", "--from", "2", "--to", "1"], "--from"),
            (["sweep", "dirac", "--points", "1"], "--points"),
            (["sweep", "dirac", "--scale", "log", "--from", "0"], "log"),
            (["sweep", "dirac", "--scale", "log", "--from=-1", "--to", "1"], "log"),
            (["sweep", "ring8", "--param", "generator.kernel.ratoi"], "ratoi"),
            (["sweep", "ring8", "--param", "loss"], "loss"),
            (["optimize", "dirac", "--from", "0"], "--from"),
            (["steps", "dirac", "--scheme", "simultaneous", "--critic-steps", "2"], "alternating"),
            (["steps", "dirac", "--lr", "-1"], "--lr"),
            (["collapse", "ring8-collapse", "--ratios", "0:1.5:4", "--t-end", "10"], "outside"),
            (["collapse", "ring8-collapse", "--ratios", "0:1", "--t-end", "10"], "FROM:TO:STEPS"),
            (["collapse", "ring8-collapse", "--ratios", "0:1:3", "--seeds", "0", "--t-end", "10"], "--seeds"),
            (
                [
                    "collapse", "ring8-collapse", "--ratios", "0:1:3", "--vs", "discriminator.colour=1,2", "--t-end",
                    "10",
                ], "colour"
            ),
            (
                [
                    "collapse", "ring8-collapse", "--ratios", "0:1:3", "--vs", "discriminator.width=wide", "--t-end",
                    "10",
                ], "discriminator.width"
            ),
        ])
    func badInput(arguments: [String], mention: String) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(mention), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }
}
