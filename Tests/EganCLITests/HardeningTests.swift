import Foundation
import Testing

/// Issue #18: every reproduction of the hostile-input campaign, end to end. Each must exit 2 with one stderr line
/// naming what is wrong, print nothing on stdout and write no file, and finish quickly.
@Suite("Hostile input (end to end)")
struct HardeningTests {
    static let ring8 = """
        {"name": "h", "dimension": 2, "target": {"kind": "ring", "modes": 8, "radius": 2.0},
         "generator": {"particles": 8}, "discriminator": {"kind": "mlp", "width": 64, "activation": "cos",
         "train": "outer"}, "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
        """

    static func config(replacing old: String, with new: String) throws -> String {
        let text = ring8.replacingOccurrences(of: old, with: new)
        #expect(text != ring8, "the replacement must change the config")
        return try CLI.temporaryFile(text).path
    }

    static func refused(_ arguments: [String], mentioning mention: String, in directory: URL? = nil) throws {
        let start = Date()
        let result = try CLI.run(arguments, in: directory)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty, "\(arguments)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(mention), "\(arguments): \(result.stderr)")
        #expect(Date().timeIntervalSince(start) < 10, "\(arguments) took too long")
    }

    @Test(
        "flags: negative seeds, overflowing counts, hexadecimal and non-finite numbers",
        arguments: [
            (["simulate", "dirac", "--t-end", "10", "--perturb", "0.1", "--seed=-1"], "--seed"),
            (["crosscheck", "dirac", "--gamma", "1", "--seed=-1"], "--seed"),
            (["kernel", "--seed=-1"], "--seed"),
            (["sweep", "ring8", "--points", "9223372036854775807"], "--points"),
            (["simulate", "dirac", "--t-end", "10", "--samples", "9223372036854775807"], "--samples"),
            (["collapse", "ring8-collapse", "--ratios", "0:1:3", "--t-end", "10", "--seeds", "1000000000"], "--seeds"),
            (["kernel", "--latent-samples", "9223372036854775807"], "--latent-samples"),
            (["kernel", "--networks", "1000000000"], "--networks"),
            (["steps", "dirac", "--scheme", "alternating", "--critic-steps", "1000000000"], "--critic-steps"),
            (["analyze", "dirac", "--gamma", "0x10"], "--gamma"),
            (["analyze", "dirac", "--gamma", "nan"], "--gamma"),
            (["simulate", "dirac", "--t-end", "10", "--divergence-bound", "0"], "--divergence-bound"),
            (["simulate", "dirac", "--t-end", "10", "--rtol", "-1"], "--rtol"),
            (["optimize", "dirac", "--from", "0"], "--from"),
        ])
    func flags(arguments: [String], mention: String) throws {
        try Self.refused(arguments, mentioning: mention)
    }

    @Test("budgets: a gradient-step run of 10¹⁰ steps is refused before it starts, with the count")
    func stepBudget() throws {
        try Self.refused(
            ["simulate", "dirac", "--gamma", "1", "--t-end", "10", "--integrator", "gd", "--lr", "1e-300"],
            mentioning: "budget")
        try Self.refused(
            ["simulate", "dirac", "--gamma", "1", "--t-end", "10", "--integrator", "gd", "--lr", "1e-9"],
            mentioning: "budget")
    }

    @Test(
        "sizes: the working set is estimated before anything is allocated, naming the key",
        arguments: [
            (#""width": 64"#, #""width": 1000000000000"#, "discriminator.width"),
            (#""width": 64"#, #""width": 100000"#, "discriminator.width"),
            (#""particles": 8}"#, #""particles": 1000000000}"#, "generator.particles"),
            (
                #""particles": 8}"#, #""particles": 8, "kernel": {"kind": "ntk", "latentDimension": 1000000000}}"#,
                "latentDimension"
            ),
            (#""radius": 2.0"#, #""radius": 1e308"#, "radius"),
            (#""strength": 1.0"#, #""strength": 1e308"#, "strength"),
        ])
    func sizes(old: String, new: String, mention: String) throws {
        let path = try Self.config(replacing: old, with: new)
        try Self.refused(["model", path], mentioning: mention)
        try Self.refused(["analyze", path], mentioning: mention)
    }

    @Test("kernel sizes and overflow are refused, not computed")
    func kernel() throws {
        try Self.refused(["kernel", "--width", "1000000"], mentioning: "memory budget")
        try Self.refused(["kernel", "--latent-samples", "1000000"], mentioning: "memory budget")
        try Self.refused(["kernel", "--weight-var", "1e308"], mentioning: "overflows")
    }

    @Test("an initial cloud of std 1e200 is refused by name; one of 1e14 stops as diverged at once")
    func hugeInitialCloud() throws {
        let huge = try Self.config(
            replacing: #""particles": 8}"#,
            with: #""particles": 8, "init": {"kind": "gaussian", "center": [0, 0], "std": 1e200}}"#)
        try Self.refused(["simulate", huge, "--t-end", "10"], mentioning: "generator.init.std")
        let large = try Self.config(
            replacing: #""particles": 8}"#,
            with: #""particles": 8, "init": {"kind": "gaussian", "center": [0, 0], "std": 1e14}}"#)
        let start = Date()
        let result = try CLI.run(["simulate", large, "--t-end", "10"])
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(result.stderr.contains("diverged"), "\(result.stderr)")
    }

    @Test("a notebook that runs itself reports an error in its cell instead of recursing")
    func selfRunningNotebook() throws {
        let url = try CLI.temporaryFile("# loop\n\n```egan\nnotebook run SELF\n```\n", name: "self.md")
        try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "SELF", with: url.path)
            .write(to: url, atomically: true, encoding: .utf8)
        let result = try CLI.run(["notebook", "run", url.path])
        #expect(result.status == 0)
        #expect(try String(contentsOf: url, encoding: .utf8).contains("cannot run inside a notebook"))
    }

    @Test("files: a name cannot escape reports/, and a folder or empty output path is refused before any work")
    func files() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("egan-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let escaping = try Self.config(replacing: #""name": "h""#, with: #""name": "../../escaped""#)
        let result = try CLI.run(["report", escaping, "--from", "0.1", "--to", "10"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("reports/escaped.md").path))
        #expect(
            !FileManager.default.fileExists(
                atPath: folder.deletingLastPathComponent().appendingPathComponent("escaped.md").path))

        try Self.refused(["report", "dirac", "-o", folder.path], mentioning: "is a directory", in: folder)
        try Self.refused(["report", "dirac", "-o", ""], mentioning: "empty", in: folder)
        let cells = ["collapse", "ring8-collapse", "--ratios", "0:1:3", "--seeds", "1", "--t-end", "10"]
        try Self.refused(cells + ["--heatmap", folder.path], mentioning: "is a directory", in: folder)
        try Self.refused(cells + ["--resume", folder.path], mentioning: "is a directory", in: folder)
        try Self.refused(
            ["simulate", "dirac", "--t-end", "1", "--trajectories", folder.path], mentioning: "is a directory",
            in: folder)
    }

    @Test(
        "ignored input is refused: stray flags, foreign keys, empty list entries, one-point grids, overriding --vs",
        arguments: [
            (["simulate", "dirac", "--t-end", "1", "--lr", "0.1"], "--integrator gd"),
            (["simulate", "dirac", "--t-end", "1", "--scheme", "alternating"], "--integrator gd"),
            (["simulate", "dirac", "--t-end", "1", "--rtol", "10"], "--rtol"),
            (["convergence", "ring8", "--gammas", "", "--t-end", "10"], "--gammas"),
            (["convergence", "ring8", "--gammas", "1,,2", "--t-end", "10"], "--gammas"),
            (["collapse", "ring8-collapse", "--ratios", "0:0.4:1", "--t-end", "10"], "STEPS"),
            (["collapse", "ring8-collapse", "--ratios", "0.5:0.1:3", "--t-end", "10"], "--ratios"),
            (
                [
                    "collapse", "ring8-collapse", "--ratios", "0:1:3", "--t-end", "10", "--vs",
                    "generator.kernel.ratio=0.1",
                ], "swept column"
            ),
            (
                [
                    "collapse", "ring8-collapse", "--ratios", "0:1:3", "--t-end", "10", "--vs",
                    "generator.init.seed=1,2",
                ], "seeds"
            ),
            (
                [
                    "collapse", "ring8-collapse", "--ratios", "0:1:3", "--t-end", "10", "--vs",
                    "discriminator.weightStd=1,,2",
                ], "empty value"
            ),
            (["bench", "bogus"], "analyze-784"),
        ])
    func ignoredInput(arguments: [String], mention: String) throws {
        try Self.refused(arguments, mentioning: mention)
    }

    @Test("config keys that would be ignored are refused by name")
    func foreignKeys() throws {
        let ring = try Self.config(replacing: #""radius": 2.0"#, with: #""radius": 2.0, "points": [[0, 0]]"#)
        try Self.refused(["model", ring], mentioning: "target.points")
        let phases = try Self.config(replacing: #""train": "outer""#, with: #""train": "outer", "hiddenBiasStd": 2"#)
        try Self.refused(["model", phases], mentioning: "hiddenBiasStd")
    }

    @Test("a resolved model with a row missing from particles names particles, not initialParticles")
    func missingParticleRow() throws {
        let resolved = try CLI.run(["model", "dirac", "--resolved"]).stdout
        let broken = resolved.replacingOccurrences(of: "\"particles\": [\n    [0.0]\n  ]", with: "\"particles\": []")
        #expect(broken != resolved)
        try Self.refused(["analyze", try CLI.temporaryFile(broken).path], mentioning: "'particles'")
    }

    @Test("damaged resume files are refused; a torn last line is ignored; a bad notebook tolerance is refused")
    func damagedFiles() throws {
        let cells = [
            "collapse", "ring8-collapse", "--ratios", "0:1:2", "--seeds", "1", "--t-end", "5", "--samples", "11",
        ]
        let resume = FileManager.default.temporaryDirectory.appendingPathComponent(
            "egan-resume-\(UUID().uuidString).jsonl")
        #expect(try CLI.run(cells + ["--resume", resume.path]).status == 0)
        let good = try String(contentsOf: resume, encoding: .utf8)
        try (good + "{\"row\": 0, \"rat").write(to: resume, atomically: true, encoding: .utf8)
        #expect(try CLI.run(cells + ["--resume", resume.path]).status == 0)
        let lines = good.split(separator: "\n")
        try ([String(lines[0]), "garbage", String(lines[1])].joined(separator: "\n") + "\n")
            .write(to: resume, atomically: true, encoding: .utf8)
        try Self.refused(cells + ["--resume", resume.path], mentioning: "line 2")

        let notebook = try CLI.temporaryFile("<!-- egan-notebook: tolerance abc -->\n# n\n", name: "n.md")
        try Self.refused(["notebook", "check", notebook.path], mentioning: "tolerance")
    }
}
