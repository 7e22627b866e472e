import EffectiveGAN
import Foundation
import Numerics
import Testing

@Suite("egan analyze, model, presets (end to end)")
struct AnalyzeCommandTests {
    @Test("analyze dirac --gamma 1 --json: the oracle numbers")
    func diracJSON() throws {
        let result = try CLI.run(["analyze", "dirac", "--gamma", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONValue.parse(Data(result.stdout.utf8), source: "stdout")
        #expect(json["schema"] == .string("egan.analyze/2"))
        #expect(json["regime"] == .string("underdamped"))
        #expect(json["rate"] == .number(0.5))
        #expect(json["stateDimension"] == .number(2))
        guard case let .number(im)? = json["dominant"]?["im"] else {
            Issue.record("no dominant mode")
            return
        }
        #expect(im.isApproximatelyEqual(to: 3.0.squareRoot() / 2, absoluteTolerance: 1e-12))
    }

    @Test("analyze prints the regime and the active eigenvalues as a table")
    func table() throws {
        let result = try CLI.run(["analyze", "ring8", "--gamma", "0.5"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("regime"))
        #expect(result.stdout.contains("active eigenvalues, slowest first"))
    }

    @Test("model --resolved output is accepted back and reproduces analyze byte for byte")
    func resolvedRoundTrip() throws {
        let resolved = try CLI.run(["model", "line2", "--resolved"])
        #expect(resolved.status == 0)
        let file = try CLI.temporaryFile(resolved.stdout, name: "line2.json")
        let fromFile = try CLI.run(["analyze", file.path, "--gamma", "0.3", "--json"])
        let fromPreset = try CLI.run(["analyze", "line2", "--gamma", "0.3", "--json"])
        #expect(fromFile.status == 0)
        // Everything but the provenance's command line is the same, byte for byte (the file's base name is also
        // "line2"), and the provenance names the same resolved model by its hash.
        func split(_ text: String) throws -> (result: String, provenance: String) {
            let marker = try #require(text.range(of: ",\n  \"provenance\""))
            return (String(text[..<marker.lowerBound]), String(text[marker.lowerBound...]))
        }
        let (a, b) = (try split(fromFile.stdout), try split(fromPreset.stdout))
        #expect(a.result == b.result)
        let hash = try #require(b.provenance.firstMatch(of: /"modelHash": "([0-9a-f]+)"/)?.1)
        #expect(a.provenance.contains("\"modelHash\": \"\(hash)\""))
        #expect(a.provenance.contains(file.path) && b.provenance.contains("\"egan analyze line2 --gamma 0.3 --json\""))
    }

    @Test("presets lists every preset, one line each")
    func presets() throws {
        let result = try CLI.run(["presets"])
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == Preset.allCases.count)
        for preset in Preset.allCases { #expect(lines.contains { $0.hasPrefix(preset.rawValue) }) }
    }

    @Test(
        "bad input: one stderr line naming the field, exit code 2, nothing on stdout",
        arguments: [
            (
                "{\"dimension\": 1, \"target\": {\"kind\": \"points\", \"points\": [[0]]}, \"generator\": {\"particles\": 1}, \"discriminator\": {\"kind\": \"linear\"}, \"colour\": 1}",
                "colour"
            ),
            (
                "{\"dimension\": 1, \"target\": {\"kind\": \"points\", \"points\": [[0]]}, \"generator\": {\"particles\": \"one\"}, \"discriminator\": {\"kind\": \"linear\"}}",
                "generator.particles"
            ),
            (
                "{\"dimension\": 1, \"target\": {\"kind\": \"line\", \"modes\": 2}, \"generator\": {\"particles\": 3}, \"discriminator\": {\"kind\": \"linear\"}}",
                "generator.particles"
            ),
            (
                "{\"dimension\": 1, \"target\": {\"kind\": \"points\", \"points\": []}, \"generator\": {\"particles\": 1}, \"discriminator\": {\"kind\": \"linear\"}}",
                "target.points"
            ),
            (
                "{\"dimension\": 1, \"target\": {\"kind\": \"points\", \"points\": [[0]]}, \"generator\": {\"particles\": 1}, \"discriminator\": {\"kind\": \"linear\", \"learningRate\": -2}}",
                "discriminator.learningRate"
            ),
            (
                "{\"dimension\": 1, \"target\": {\"kind\": \"points\", \"points\": [[0]]}, \"generator\": {\"particles\": 2, \"kernel\": {\"kind\": \"universal\", \"ratio\": -3}}, \"discriminator\": {\"kind\": \"linear\"}}",
                "generator.kernel.ratio"
            ),
            (
                "{\"dimension\": 1, \"target\": {\"kind\": \"points\", \"points\": [[0]]}, \"generator\": {\"particles\": 1}, \"discriminator\": {\"kind\": \"mlp\", \"width\": 0, \"activation\": \"relu\"}}",
                "discriminator.width"
            ),
            (
                "{\"dimension\": 1, \"target\": {\"kind\": \"points\", \"points\": [[0]]}, \"generator\": {\"particles\": 1}, \"discriminator\": {\"kind\": \"linear\"}, \"regularizer\": {\"kind\": \"r1\", \"strength\": -1}}",
                "regularizer.strength"
            ),
            (
                "{\"dimension\": 1, \"target\": {\"kind\": \"points\", \"points\": [[1e999]]}, \"generator\": {\"particles\": 1}, \"discriminator\": {\"kind\": \"linear\"}}",
                "target.points[0][0]"
            ),
        ])
    func badInput(config: String, field: String) throws {
        let file = try CLI.temporaryFile(config)
        let result = try CLI.run(["analyze", file.path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("egan: error: "))
        #expect(result.stderr.contains(field), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test("unknown preset or file, and a negative --gamma: exit 2 with advice")
    func badArguments() throws {
        let missing = try CLI.run(["analyze", "no-such-model"])
        #expect(missing.status == 2 && missing.stderr.contains("egan presets"))
        let negative = try CLI.run(["analyze", "dirac", "--gamma", "-1"])
        #expect(negative.status == 2 && negative.stderr.contains("--gamma"))
        #expect(negative.stdout.isEmpty)
    }

    @Test("a non-equilibrium is refused with the reason")
    func nonEquilibrium() throws {
        let config = """
            {"dimension": 1, "target": {"kind": "points", "points": [[0]]}, "generator": {"particles": 1},
             "discriminator": {"kind": "mlp", "width": 3, "activation": "tanh", "train": "all", "weightDecay": 0.1}}
            """
        let result = try CLI.run(["analyze", try CLI.temporaryFile(config).path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("not an equilibrium") && result.stderr.contains("weight decay"))
    }
}
