import Foundation
import Testing

/// Issue #26: long commands choose a method that finishes, estimate their cost up front, and show progress.
@Suite("Long runs: default methods, cost estimates, progress")
struct LongRunTests {
    /// The user's model: 5 × 5 modes, spacing 2, 4 samples per mode (spread 0.05), N = 100, relu critic of width
    /// 128 trained `all`, wgan + r1.
    static let grid25 = """
        {"name": "grid25", "dimension": 2,
         "target": {"kind": "grid", "side": 5, "spacing": 2.0, "samplesPerMode": 4, "spread": 0.05, "seed": 1},
         "generator": {"particles": 100, "kernel": {"kind": "universal", "ratio": 0.1},
                       "init": {"kind": "gaussian", "center": [0, 0], "std": 1.0, "seed": 2}},
         "discriminator": {"kind": "mlp", "width": 128, "activation": "relu", "train": "all", "seed": 3},
         "loss": "wgan", "regularizer": {"kind": "r1", "strength": 10.0}}
        """

    @Test("simulate with default settings on a relu grid model takes gradient steps below h_max and finishes")
    func defaultSimulationFinishes() throws {
        let config = try CLI.temporaryFile(Self.grid25)
        let result = try CLI.run(["simulate", config.path, "--gamma", "10", "--samples", "5", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("simultaneous gradient steps h = "), "\(result.stderr)")
        #expect(result.stderr.contains("half the largest stable step h_max"), "\(result.stderr)")
        // The cost estimate is stated before the run: 10/r would take hours, so the run is planned for ~30 s.
        #expect(result.stderr.contains("so this run ends at t = ") && result.stderr.contains("give --t-end for longer"), "\(result.stderr)")
        // The run is bounded and, below h_max, the cloud finds every one of the 25 modes (not 100 samples).
        let rows = result.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let header = try #require(rows.first)
        let covered = try #require(header.firstIndex(of: "covered"))
        #expect(rows.last?[covered] == "25", "\(rows.last ?? [])")
    }

    @Test(
        "every long command draws a progress bar on stderr with --progress",
        arguments: [
            ["report", "dirac", "-o", "PROGRESS/r.md"], ["optimize", "dirac"], ["sweep", "dirac", "--points", "9"],
            ["steps", "dirac", "--sweep", "--points", "5"], ["crosscheck", "dirac", "--gamma", "1"],
            ["convergence", "ring8-near", "--gammas", "19", "--samples", "11"],
            ["collapse", "ring8-collapse", "--ratios", "0:0.2:2", "--seeds", "1", "--t-end", "5"],
            ["simulate", "dirac", "--gamma", "1", "--t-end", "5"],
        ])
    func progress(arguments: [String]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("egan-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let line = arguments.map { $0.replacingOccurrences(of: "PROGRESS", with: folder.path) } + ["--progress"]
        let result = try CLI.run(line)
        #expect(result.status == 0, "\(line): \(result.stderr)")
        #expect(result.stderr.contains("█") || result.stderr.contains("·"), "\(line): no progress bar")
        #expect(!result.stdout.contains("█"), "the bar stays off stdout")
    }
}
