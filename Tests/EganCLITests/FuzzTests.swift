import EffectiveGAN
import Foundation
import Testing

/// Issue #18: a seeded fuzz campaign over configs and flags. Every run must end with exit 0 (output free of
/// nan/inf) or exit 2 (one stderr line), never a signal, a hang or a crash; each egan process runs under a memory
/// cap (ulimit -v) and a time limit. The generator is seeded, so a failure reproduces from its printed case.
@Suite("Fuzzing configs and flags")
struct FuzzTests {
    /// SplitMix64: small, seeded, the same on every machine.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    }

    /// Replacement values: wrong types, signs, extremes, sizes.
    static let hostile: [JSONValue] = [
        .null, .bool(true), .string("x"), .array([]), .object([]), .number(0), .number(-1), .number(-1e308),
        .number(1e308), .number(1e-308), .number(1e15), .number(1e16), .number(0.5), .integer(0), .integer(-7),
        .integer(1_000_000_000), .integer(Int.max), .integer(3), .array([.number(1), .number(2)]),
    ]

    /// Every key path of a JSON object (objects only; arrays are replaced whole).
    static func paths(_ value: JSONValue, prefix: [String] = []) -> [[String]] {
        guard case let .object(pairs) = value else { return [] }
        return pairs.flatMap { key, child in [prefix + [key]] + paths(child, prefix: prefix + [key]) }
    }

    /// The config with one mutation: a value replaced, a key removed, or a foreign key added.
    static func mutate(_ config: JSONValue, _ rng: inout Generator) -> (JSONValue, String) {
        let path = rng.pick(paths(config))
        switch rng.next() % 4 {
        case 0:
            return (removing(path, from: config), "remove \(path.joined(separator: "."))")
        case 1:
            let foreign = path.dropLast() + ["foreign"]
            return (setting(Array(foreign), .number(1), in: config), "add \(foreign.joined(separator: "."))")
        default:
            let value = rng.pick(hostile)
            return (setting(path, value, in: config), "\(path.joined(separator: ".")) = \(value.compactText)")
        }
    }

    static func setting(_ path: [String], _ value: JSONValue, in json: JSONValue) -> JSONValue {
        guard let key = path.first, case var .object(pairs) = json else { return value }
        if let index = pairs.firstIndex(where: { $0.0 == key }) {
            pairs[index].1 = setting(Array(path.dropFirst()), value, in: pairs[index].1)
        } else {
            pairs.append((key, setting(Array(path.dropFirst()), value, in: .object([]))))
        }
        return .object(pairs)
    }

    static func removing(_ path: [String], from json: JSONValue) -> JSONValue {
        guard let key = path.first, case var .object(pairs) = json else { return json }
        if path.count == 1 {
            pairs.removeAll { $0.0 == key }
        } else if let index = pairs.firstIndex(where: { $0.0 == key }) {
            pairs[index].1 = removing(Array(path.dropFirst()), from: pairs[index].1)
        }
        return .object(pairs)
    }

    /// Runs egan under a 4 GB address-space cap and a 30 s limit.
    static func run(_ arguments: [String]) throws -> (status: Int32, signalled: Bool, stdout: String, stderr: String) {
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(
            separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v 4000000; exec timeout -s KILL 30 '\(CLI.executable.path)' \(quoted)"]
        // A crash must show as a signal at once: Swift's backtracer would hold the pipes open while it works.
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // sh exec's the command: a signal shows as 128 + n, timeout's kill as 137.
        return (process.terminationStatus, process.terminationStatus > 128, stdout, stderr)
    }

    /// Whether `text` prints a non-finite number as a word of its own (not the "nan" inside "dominant").
    static func hasNonFinite(_ text: String) -> Bool {
        text.range(of: #"(^|[^a-z])-?(nan|inf)([^a-z]|$)"#, options: [.regularExpression, .caseInsensitive]) != nil
    }

    static func check(_ arguments: [String], case label: String) throws {
        let start = Date()
        let result = try run(arguments)
        let seconds = Date().timeIntervalSince(start)
        let clean =
            !result.signalled && [0, 2].contains(result.status)
            && (result.status != 2 || result.stderr.split(separator: "\n").count == 1)
            && (result.status != 0 || !hasNonFinite(result.stdout))
        if !clean || seconds > 10 {
            print("fuzz case \(label): exit \(result.status), \(Int(seconds)) s, stderr \(result.stderr.prefix(200))")
        }
        #expect(seconds < 25, "\(label): \(seconds) s")
        #expect(
            !result.signalled && [0, 2].contains(result.status),
            "\(label): exit \(result.status) \(result.stderr.prefix(300))")
        if result.status == 2 {
            #expect(result.stderr.split(separator: "\n").count == 1, "\(label): \(result.stderr.prefix(300))")
        }
        if result.status == 0 {
            #expect(!hasNonFinite(result.stdout), "\(label): non-finite output")
        }
    }

    @Test("mutated configs: analyze and a short simulation end cleanly", arguments: [Preset.ring8, .dirac, .line2])
    func configs(preset: Preset) throws {
        var rng = Generator(state: UInt64(preset.rawValue.utf8.reduce(17) { $0 &* 31 &+ Int($1) }))
        let base = try ModelSource(preset: preset).document
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("egan-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for index in 0..<40 {
            var (config, label) = Self.mutate(base, &rng)
            if rng.next() % 3 == 0 {
                let (twice, second) = Self.mutate(config, &rng)
                (config, label) = (twice, label + "; " + second)
            }
            let path = folder.appendingPathComponent("case\(index).json").path
            try config.prettyText.write(toFile: path, atomically: true, encoding: .utf8)
            // The library on the same input: a typed error or a model, never a trap.
            _ = try? ModelSource(path)
            try Self.check(["analyze", path, "--gamma", "1"], case: "\(preset) #\(index) analyze: \(label)")
            if index % 4 == 0 {
                try Self.check(
                    ["simulate", path, "--t-end", "5", "--samples", "6", "--format", "table"],
                    case: "\(preset) #\(index) simulate: \(label)")
            }
        }
    }

    @Test("hostile flag values on every numeric option end cleanly")
    func flags() throws {
        var rng = Generator(state: 2026)
        let values = [
            "-1", "0", "1e308", "-1e308", "1e-308", "nan", "inf", "0x10", "", "1,,2", "9223372036854775807", "abc",
        ]
        let commands: [([String], [String])] = [
            (["analyze", "ring8"], ["--gamma"]),
            (["sweep", "ring8"], ["--from", "--to", "--points", "--gamma", "--threads"]),
            (["optimize", "dirac"], ["--from", "--to", "--points"]),
            (
                ["simulate", "dirac", "--t-end", "2"],
                ["--samples", "--seed", "--perturb", "--rtol", "--atol", "--divergence-bound", "--gamma"]
            ),
            (["steps", "dirac", "--gamma", "1"], ["--lr", "--critic-steps", "--generator-steps"]),
            (
                ["kernel"],
                [
                    "--depth", "--width", "--latent-dim", "--samples", "--seed", "--networks", "--weight-var",
                    "--bias-var",
                ]
            ),
            (["crosscheck", "dirac"], ["--gamma", "--perturb", "--epsilon", "--seed", "--tolerance"]),
        ]
        for index in 0..<60 {
            let (command, options) = rng.pick(commands)
            let option = rng.pick(options)
            let value = rng.pick(values)
            try Self.check(
                command + ["\(option)=\(value)"],
                case: "#\(index): \((command + ["\(option)=\(value)"]).joined(separator: " "))")
        }
    }

    @Test("output flags onto devices, FIFOs, symlinks to devices, the config and each other are refused, nothing changed")
    func outputTargets() throws {
        var rng = Generator(state: 27)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("egan-fuzz-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("c.json").path
        try ModelSource(preset: .ring8Collapse).document.prettyText.write(toFile: config, atomically: true, encoding: .utf8)
        let fifo = folder.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let link = folder.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "fifo")
        var targets = [fifo, link, config, "\(folder.path)/./c.json"]
        let node = folder.appendingPathComponent("null").path
        if mknod(node, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 { targets.append(node) }  // root only
        let before = try Data(contentsOf: URL(fileURLWithPath: config))
        let study = ["collapse", config, "--ratios", "0:0.5:2", "--seeds", "1", "--t-end", "5"]
        let commands: [([String], [String])] = [
            (study, ["--heatmap", "--resume", "--boundary"]),
            (["simulate", config, "--t-end", "1"], ["--trajectories"]), (["report", config], ["-o"]),
        ]
        for index in 0..<24 {
            let (command, flags) = rng.pick(commands)
            let flag = rng.pick(flags)
            var target = rng.pick(targets)
            var arguments = command + [flag, target]
            if flags.count > 1, index % 3 == 0 {
                // Two outputs of one command onto one new path.
                target = "\(folder.path)/same-\(index).out"
                let other = rng.pick(flags.filter { $0 != flag })
                arguments = command + [flag, target, other, target]
            }
            let label = "#\(index): \(arguments.dropFirst(2).joined(separator: " "))"
            let result = try Self.run(arguments)
            #expect(result.status == 2 && !result.signalled, "\(label): exit \(result.status) \(result.stderr.prefix(200))")
            #expect(result.stderr.split(separator: "\n").count == 1 && result.stdout.isEmpty, "\(label)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: config)) == before)
        var status = stat()
        #expect(stat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == "fifo")
    }

    @Test("hostile values in a resume file are refused or accepted as plausible, never taken as impossible numbers")
    func resumeValues() throws {
        var rng = Generator(state: 28)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("egan-fuzz-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let study = ["collapse", "ring8-collapse", "--ratios", "0,0.5", "--seeds", "2", "--t-end", "5", "--format", "json"]
        let path = folder.appendingPathComponent("r.jsonl").path
        let first = try Self.run(study + ["--resume", path])
        #expect(first.status == 0)
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let keys = ["row", "ratio", "seed", "metric", "covered", "meanAbsCosine"]
        let values = ["-1", "1e308", "-1e-300", "0.5", "99", "1e5", "2", "null", "\"x\"", "3.7"]
        let lnK = log(8.0)
        for index in 0..<20 {
            let key = rng.pick(keys)
            let value = rng.pick(values)
            let edited = original.replacingOccurrences(
                of: "\"\(key)\":[^,}]*", with: "\"\(key)\":\(value)", options: .regularExpression)
            try edited.write(toFile: path, atomically: true, encoding: .utf8)
            let result = try Self.run(study + ["--resume", path])
            let label = "#\(index): \(key) = \(value)"
            #expect([0, 2].contains(result.status) && !result.signalled, "\(label): \(result.stderr.prefix(200))")
            if result.status == 2 {
                #expect(result.stderr.contains("--resume"), "\(label): \(result.stderr)")
            } else if let json = try? JSONValue.parse(Data(result.stdout.utf8), source: "fuzz"),
                case let .array(rows)? = json["rows"]
            {
                for row in rows {
                    guard case let .array(means)? = row["meanMetric"] else { continue }
                    for case let .number(mean) in means { #expect(mean >= -1e-12 && mean <= lnK + 1e-9, "\(label)") }
                }
            }
        }
    }

    @Test("extreme scales on every flag that takes a time, a size or a strength end cleanly and quickly")
    func extremeScales() throws {
        let values = ["5e-324", "1e-300", "1e-15", "1e15", "1e16", "1e300"]
        let lines: [([String], String)] = [
            (["simulate", "ring8", "--gamma", "1"], "--t-end"), (["simulate", "ring8", "--gamma", "1", "--t-end", "10"], "--perturb"),
            (["simulate", "dirac", "--gamma", "1", "--t-end", "10", "--integrator", "gd"], "--lr"),
            (["optimize", "ring8"], "--from"), (["optimize", "ring8"], "--to"), (["report", "dirac", "-o", "/tmp/egan-fuzz-x.md"], "--to"),
            (["collapse", "ring8-collapse", "--ratios", "0,0.5", "--seeds", "1"], "--t-end"),
            (["crosscheck", "dirac", "--gamma", "1"], "--perturb"), (["analyze", "dirac"], "--gamma"),
        ]
        for (command, flag) in lines {
            for value in values {
                try Self.check(command + ["\(flag)=\(value)"], case: "\(command.joined(separator: " ")) \(flag)=\(value)")
            }
        }
    }
}
