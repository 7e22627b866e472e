import Foundation
import Testing

@testable import EganCLI

/// Issue #17: the command line keeps its promises — every README Usage line and every `--help` example runs as
/// written, and every command prints JSON whose keys `docs/json-schema.md` documents.
@Suite("Command-line contract", .serialized)
struct CommandLineContractTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A scratch folder holding a copy of `notebooks-text/` (examples read its configs; `notebook run` rewrites a
    /// notebook), where examples may write reports and files.
    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("egan-contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: repository.appendingPathComponent("notebooks-text"), to: folder.appendingPathComponent("notebooks-text")
        )
        return folder
    }

    /// Runs one shell line with `egan` on the PATH.
    static func shell(_ line: String, in folder: URL) throws -> CLIResult {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = CLI.executable.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "")
        return try CLI.run(
            ["-c", line], in: folder, program: URL(fileURLWithPath: "/bin/sh"), environment: environment)
    }

    /// The `egan …` lines of the README's Usage block.
    static func readmeLines() throws -> [String] {
        let readme = try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "## Usage\n\n```sh\n"),
            let end = readme.range(of: "```", range: start.upperBound..<readme.endIndex)
        else { return [] }
        return readme[start.upperBound..<end.lowerBound].split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("egan ") }
    }

    /// The `egan …` examples in every subcommand's discussion (continuation lines joined).
    static func helpExamples() -> [String] {
        var examples: [String] = []
        for command in Egan.configuration.subcommands {
            var pending = ""
            for raw in command.configuration.discussion.split(separator: "\n") {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if !pending.isEmpty {
                    pending += " " + line
                } else if line.hasPrefix("egan ") {
                    pending = line
                } else {
                    continue
                }
                if pending.hasSuffix("\\") {
                    pending.removeLast()
                } else {
                    examples.append(pending)
                    pending = ""
                }
            }
        }
        return examples
    }

    @Test("every README Usage line and every --help example runs as written (exit 0)")
    func examplesRun() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = try Self.readmeLines() + Self.helpExamples()
        #expect(lines.count >= 40, "found only \(lines.count) examples")
        for line in lines {
            let result = try Self.shell(line, in: folder)
            #expect(result.status == 0, "\(line)\n\(result.stderr)")
        }
    }

    /// One invocation per command that prints results.
    static let jsonInvocations: [[String]] = [
        ["analyze", "dirac", "--gamma", "1"], ["optimize", "dirac"], ["steps", "dirac", "--gamma", "1"],
        ["sweep", "dirac", "--points", "5"], ["crosscheck", "dirac", "--gamma", "1"],
        ["simulate", "dirac", "--gamma", "1", "--perturb", "0.1", "--samples", "3"],
        ["convergence", "ring8-near", "--gammas", "19", "--samples", "11"],
        ["collapse", "ring8-collapse", "--ratios", "0:0.2:2", "--seeds", "1", "--t-end", "20"],
        ["kernel", "--latent-samples", "4", "--networks", "0"], ["model", "ring8"], ["presets"],
        ["bench", "sweep-ring8", "--repeats", "1"], ["report", "dirac", "-o", "out/dirac.md"],
    ]

    @Test("every command prints --format json with a schema documented in docs/json-schema.md, every key named there")
    func jsonMatchesSchemaDocument() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try String(
            contentsOf: Self.repository.appendingPathComponent("docs/json-schema.md"), encoding: .utf8)
        for invocation in Self.jsonInvocations {
            let result = try CLI.run(invocation + ["--format", "json"], in: folder)
            #expect(result.status == 0, "\(invocation): \(result.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let schema = try #require(object?["schema"] as? String, "\(invocation): no schema key")
            guard let heading = document.range(of: "## `\(schema)`") else {
                Issue.record("\(invocation): schema \(schema) is not documented")
                continue
            }
            let rest = document[heading.upperBound...]
            let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
            let everySchema = try #require(document.range(of: "## Every schema"))
            let general = document[everySchema.upperBound...].prefix { $0 != "#" }
            #expect(object?["provenance"] != nil, "\(schema): no provenance")
            for key in object!.keys where key != "schema" && !general.contains("`\(key)`") {
                #expect(section.contains("`\(key)`"), "\(schema): key \(key) is not documented")
            }
        }
    }
}
