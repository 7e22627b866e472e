import Foundation
import Testing

/// Issue #27: every reproduction of the third hostile-input campaign, end to end against the release binary.
/// Each must exit 2 (130 for SIGINT) with one stderr line naming the field or flag, print nothing on stdout,
/// change or leave no file, and finish in a few seconds.
@Suite("Hostile input, round three (end to end)")
struct HardeningRound3Tests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("egan-r3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func refused(_ arguments: [String], mentioning mention: String, in directory: URL? = nil) throws {
        try HardeningTests.refused(arguments, mentioning: mention, in: directory)
    }

    /// The files of a folder, with their contents, to show that a refused command changed none of them.
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) ?? Data()
        }
        return files
    }

    /// Runs egan with standard output on /dev/full.
    static func runIntoFullDevice(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.standardOutput = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }

    @Test(
        "crash: a result written to a full device is an error, not a trap",
        arguments: [
            ["analyze", "ring8", "--gamma", "1"], ["sweep", "ring8", "--points", "5", "--format", "json"],
            ["model", "digits100", "--resolved"],
        ])
    func fullStandardOutput(arguments: [String]) throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let (status, stderr) = try Self.runIntoFullDevice(arguments)
        #expect(status == 2, "\(arguments): \(stderr)")
        #expect(stderr.split(separator: "\n").count == 1, "\(stderr)")
        #expect(stderr.contains("standard output") && stderr.contains("No space left"), "\(stderr)")
    }

    @Test("crash: an end time of 5e-324 is refused by flag")
    func denormalEndTime() throws {
        try Self.refused(["simulate", "ring8", "--gamma", "1", "--t-end", "5e-324"], mentioning: "--t-end")
    }

    @Test("crash: a .npy header claiming 2⁶² × 2⁶² elements is refused without overflow")
    func overflowingNumPyShape() throws {
        let folder = try Self.folder()
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4611686018427387904), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let length = header.utf8.count
        let bytes: [UInt8] =
            [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8)
            + [UInt8](repeating: 0, count: 16)
        try Data(bytes).write(to: folder.appendingPathComponent("huge.npy"))
        let config = """
            {"dimension": 2, "target": {"kind": "file", "path": "huge.npy"}, "generator": {"particles": 2},
             "discriminator": {"kind": "linear"}, "loss": "wgan"}
            """
        try config.write(to: folder.appendingPathComponent("c.json"), atomically: true, encoding: .utf8)
        try Self.refused(["model", "c.json"], mentioning: "target.path", in: folder)
    }

    @Test("files: an output onto a device node is refused and the node stays a device")
    func deviceOutputs() throws {
        let folder = try Self.folder()
        let node = folder.appendingPathComponent("null").path
        guard mknod(node, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 else { return }  // 1:3 (null); needs root, as CI is
        let cells = ["collapse", "ring8-collapse", "--ratios", "0:1:3", "--seeds", "1", "--t-end", "10"]
        for arguments in [
            ["simulate", "dirac", "--gamma", "1", "--t-end", "1", "--trajectories", "null"],
            cells + ["--heatmap", "null"], cells + ["--resume", "null"], ["report", "dirac", "-o", "null"],
        ] {
            try Self.refused(arguments, mentioning: "not a regular file", in: folder)
            var status = stat()
            #expect(stat(node, &status) == 0 && status.st_mode & S_IFMT == S_IFCHR, "\(arguments)")
        }
    }

    @Test("files: an output onto the command's own config or data, or onto another output, is refused")
    func selfOverwritingOutputs() throws {
        let folder = try Self.folder()
        let points = "0,0\r\n1,1\r\n"
        try points.write(to: folder.appendingPathComponent("targets.csv"), atomically: true, encoding: .utf8)
        let config = """
            {"dimension": 2, "target": {"kind": "file", "path": "targets.csv"},
             "generator": {"particles": 2, "kernel": {"kind": "universal", "ratio": 0.1}},
             "discriminator": {"kind": "mlp", "width": 8, "activation": "tanh", "train": "outer"},
             "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
            """
        try config.write(to: folder.appendingPathComponent("c.json"), atomically: true, encoding: .utf8)
        let before = try Self.snapshot(folder)
        let study = ["collapse", "c.json", "--ratios", "0:0.5:2", "--seeds", "1", "--t-end", "5"]
        try Self.refused(study + ["--heatmap", "c.json"], mentioning: "same file", in: folder)
        try Self.refused(study + ["--heatmap", "./targets.csv"], mentioning: "same file", in: folder)
        try Self.refused(study + ["--heatmap", "same.svg", "--resume", "same.svg"], mentioning: "same file", in: folder)
        try Self.refused(study + ["--boundary", "b.csv", "--heatmap", "b.csv"], mentioning: "same file", in: folder)
        try Self.refused(
            ["simulate", "c.json", "--t-end", "1", "--trajectories", "c.json"], mentioning: "same file", in: folder)
        #expect(try Self.snapshot(folder) == before)
    }

    @Test("silent wrong answers: resume lines with impossible values are refused naming the line")
    func impossibleResumeValues() throws {
        let folder = try Self.folder()
        let study = ["collapse", "ring8-collapse", "--ratios", "0,0.5", "--seeds", "1", "--t-end", "5"]
        let first = try CLI.run(study + ["--resume", "r.jsonl"], in: folder)
        #expect(first.status == 0, "\(first.stderr)")
        let path = folder.appendingPathComponent("r.jsonl")
        let text = try String(contentsOf: path, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").dropFirst().first.map(String.init))
        let edits: [(String, String)] = [
            (#""metric":[^,]*"#, #""metric":100000"#), (#""metric":[^,]*"#, #""metric":-1"#),
            (#""covered":[^,]*"#, #""covered":99"#), (#""seed":[^,]*"#, #""seed":7"#),
        ]
        for (pattern, replacement) in edits {
            let edited = line.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
            #expect(edited != line)
            try text.replacingOccurrences(of: line, with: edited).write(to: path, atomically: true, encoding: .utf8)
            try Self.refused(study + ["--resume", "r.jsonl"], mentioning: "--resume", in: folder)
        }
    }

    @Test("silent wrong answers: a kernel that underflows to zero is refused, not printed as φ = nan")
    func vanishingKernel() throws {
        try Self.refused(
            ["kernel", "--activation", "erf", "--weight-var", "1e-300", "--latent-samples", "3"],
            mentioning: "vanishes")
    }

    @Test(
        "unbounded work and impossible settings are refused up front",
        arguments: [
            (
                [
                    "collapse", "ring8-collapse", "--ratios", "0:1:1000", "--seeds", "1000", "--t-end", "1e6",
                    "--integrator", "gd", "--lr", "1e-3",
                ], "--"
            ),
            (["collapse", "ring8-collapse", "--ratios", "0:1:10", "--seeds", "20000", "--t-end", "1"], "--seeds"),
            (["optimize", "ring8", "--from", "5e-324", "--to", "1e-300"], "--from"),
            (["report", "dirac", "--to", "1e16"], "--to"),
            (["simulate", "ring8", "--gamma", "1", "--t-end", "10", "--perturb", "1e308"], "--perturb"),
        ])
    func unboundedOrImpossible(arguments: [String], mention: String) throws {
        try Self.refused(arguments, mentioning: mention)
    }

    @Test("SIGINT stops report and sweep with exit 130 even when the shell ignored SIGINT, leaving no file")
    func interrupt() throws {
        let folder = try Self.folder()
        for command in [
            "report digits100 -o out/r.md", "sweep digits100 --points 400 --format json",
        ] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            // A shell that starts a job in the background ignores SIGINT for it: the job inherits that.
            process.arguments = ["-c", "trap '' INT; exec '\(CLI.executable.path)' \(command)"]
            process.currentDirectoryURL = folder
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            Thread.sleep(forTimeInterval: 1.5)
            kill(process.processIdentifier, SIGINT)
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 130, "\(command): \(stderr)")
            #expect(stdout.isEmpty, "\(command)")
            #expect(stderr.contains("SIGINT"), "\(command): \(stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/r.md").path))
        let left = (try? FileManager.default.subpathsOfDirectory(atPath: folder.path)) ?? []
        #expect(!left.contains { $0.hasSuffix(".tmp") }, "\(left)")
    }

    @Test("stray files: a path longer than PATH_MAX is refused in one short line, creating no folder")
    func pathTooLong() throws {
        let folder = try Self.folder()
        let deep = Array(repeating: "d", count: 2100).joined(separator: "/") + "/r.md"
        let result = try CLI.run(["report", "dirac", "-o", deep], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.count < 300, "\(result.stderr.count) characters")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("stray files: a 255-byte file name is written (its temporary fits); a long model name is shortened")
    func longNames() throws {
        let folder = try Self.folder()
        let name = String(repeating: "n", count: 252) + ".md"
        let result = try CLI.run(["report", "dirac", "-o", name], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path))
        let long = String(repeating: "x", count: 5000)
        let config = """
            {"name": "\(long)", "dimension": 1, "target": {"kind": "points", "points": [[0]]},
             "generator": {"particles": 1}, "discriminator": {"kind": "linear"}, "loss": "wgan",
             "regularizer": {"kind": "r1", "strength": 1.0}}
            """
        try config.write(to: folder.appendingPathComponent("long.json"), atomically: true, encoding: .utf8)
        let report = try CLI.run(["report", "long.json", "--from", "0.1", "--to", "10"], in: folder)
        #expect(report.status == 0, "\(report.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("reports").path)
        #expect(written.contains(String(repeating: "x", count: 100) + ".md"), "\(written)")
    }

    @Test(
        "accepted but wrong: tiny scales, CSV oddities and non-integer labels are refused naming the key",
        arguments: [
            (#""memory": 5e-324"#, "discriminator.memory"), (#""learningRate": 1e-300"#, "discriminator.learningRate"),
        ])
    func tinyScales(replacement: String, mention: String) throws {
        let config = """
            {"dimension": 2, "target": {"kind": "ring", "modes": 2}, "generator": {"particles": 2},
             "discriminator": {"kind": "linear", \(replacement)}, "loss": "wgan",
             "regularizer": {"kind": "r1", "strength": 1.0}}
            """
        try Self.refused(["simulate", try CLI.temporaryFile(config).path, "--t-end", "1"], mentioning: mention)
    }

    @Test("data files: CRLF CSV is read; 0x10, .parquet and labels of NaN or 0.5 are refused")
    func dataFiles() throws {
        let folder = try Self.folder()
        func write(_ name: String, _ text: String) throws {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        func config(_ target: String) throws -> String {
            let text = """
                {"dimension": 2, "target": \(target), "generator": {"particles": 2},
                 "discriminator": {"kind": "linear"}, "loss": "wgan"}
                """
            try write("c.json", text)
            return "c.json"
        }
        try write("crlf.csv", "x,y\r\n0.5,1\r\n2,-3\r\n")
        let read = try CLI.run(["model", try config(#"{"kind": "file", "path": "crlf.csv"}"#), "--resolved"], in: folder)
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout.contains("[0.5, 1.0],\n    [2.0, -3.0]"), "\(read.stdout.prefix(200))")

        try write("hex.csv", "0x10,1\n2,3\n")
        try Self.refused(["model", try config(#"{"kind": "file", "path": "hex.csv"}"#)], mentioning: "0x10", in: folder)
        try write("data.parquet", "PAR1")
        try Self.refused(
            ["model", try config(#"{"kind": "file", "path": "data.parquet"}"#)], mentioning: "parquet", in: folder)
        try write("points.csv", "0,0\n1,1\n2,2\n3,3\n")
        for labels in ["nan\n0\n1\n1\n", "0.5\n0\n1\n1\n"] {
            try write("labels.csv", labels)
            try Self.refused(
                [
                    "model",
                    try config(
                        #"{"kind": "file", "path": "points.csv", "subset": {"perClass": 1, "labels": "labels.csv"}}"#),
                ], mentioning: "target.subset.labels", in: folder)
        }
    }

    @Test("messages: a non-finite flow names the real cause and fix, never ‖F‖ = nan")
    func nonFiniteMessages() throws {
        let optimal = """
            {"dimension": 2, "target": {"kind": "ring", "modes": 2}, "generator": {"particles": 2},
             "discriminator": {"kind": "mlp", "width": 4, "activation": "tanh", "train": "outer",
                               "learningRate": "optimal"},
             "loss": "wgan", "regularizer": {"kind": "l2", "strength": 0}}
            """
        let result = try CLI.run(["analyze", try CLI.temporaryFile(optimal).path])
        #expect(result.status == 2)
        #expect(!result.stderr.contains("nan"), "\(result.stderr)")
        #expect(result.stderr.contains("regularizer.strength") || result.stderr.contains("weightDecay"), "\(result.stderr)")
        let bandwidth = """
            {"dimension": 2, "target": {"kind": "ring", "modes": 2},
             "generator": {"particles": 2, "likelihood": {"weight": 1, "bandwidth": 1e-300}},
             "discriminator": {"kind": "linear", "weightDecay": 0.1}, "loss": "wgan",
             "regularizer": {"kind": "r1", "strength": 1.0}}
            """
        try Self.refused(["analyze", try CLI.temporaryFile(bandwidth).path], mentioning: "bandwidth")
    }

    @Test("notebooks: a cell cannot write outside the notebook's folder; run through a symlink keeps the link")
    func notebooks() throws {
        let folder = try Self.folder()
        let inner = folder.appendingPathComponent("book")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        let text = "# n\n\n```egan\nreport dirac -o ../outside.md\nsimulate dirac --gamma 1 --t-end 1 --trajectories \(folder.path)/abs.csv\n```\n"
        try text.write(to: inner.appendingPathComponent("n.md"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["notebook", "run", "book/n.md"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("outside.md").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("abs.csv").path))
        let ran = try String(contentsOf: inner.appendingPathComponent("n.md"), encoding: .utf8)
        #expect(ran.components(separatedBy: "writes only inside the notebook's folder").count == 3, "\(ran)")

        let real = inner.appendingPathComponent("real.md")
        try "# r\n\n```egan\nanalyze dirac --gamma 1\n```\n".write(to: real, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: inner.appendingPathComponent("link.md").path, withDestinationPath: "real.md")
        let linked = try CLI.run(["notebook", "run", "book/link.md"], in: folder)
        #expect(linked.status == 0, "\(linked.stderr)")
        let destination = try? FileManager.default.destinationOfSymbolicLink(
            atPath: inner.appendingPathComponent("link.md").path)
        #expect(destination == "real.md")
        #expect(try String(contentsOf: real, encoding: .utf8).contains("```output"))
    }

    @Test("stray files: on a full file system a report and a resume file fail in one line naming the cause, leaving nothing")
    func fullFileSystem() throws {
        let folder = try Self.folder()
        // A 64 kB tmpfs filled to the brim (needs root, as CI is; elsewhere the test has nothing to mount).
        guard
            (try? CLI.run(["-c", "mount -t tmpfs -o size=64k tmpfs '\(folder.path)' && head -c 1000000 /dev/zero > '\(folder.path)/fill'"],
                program: URL(fileURLWithPath: "/bin/sh")))?.status != nil,
            (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("fill").path))?[.size]
                as? Int ?? 0 > 0
        else { return }
        defer { _ = try? CLI.run(["-c", "umount '\(folder.path)'"], program: URL(fileURLWithPath: "/bin/sh")) }
        let free = (try? FileManager.default.attributesOfFileSystem(forPath: folder.path))?[.systemFreeSize] as? Int
        guard free == 0 else { return }
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        try Self.refused(["report", "dirac", "-o", "r.md"], mentioning: "No space left on device", in: folder)
        try Self.refused(
            ["collapse", "ring8-collapse", "--ratios", "0:0.5:2", "--seeds", "1", "--t-end", "5", "--resume", "r.jsonl"],
            mentioning: "No space left on device", in: folder)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == before)
    }
}
