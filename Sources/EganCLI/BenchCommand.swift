import ArgumentParser
import EffectiveGAN
import Foundation

struct BenchCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Time fixed workloads: median wall time over repeats (build with -c release).",
        discussion: """
            Speed goals live here, never in unit tests. Run in release mode:
              swift run -c release egan bench
              swift run -c release egan bench sweep-ring8 --repeats 20
            """)

    @Argument(
        help:
            "Workloads to run (default: all). One of: \(BenchWorkload.allCases.map(\.rawValue).joined(separator: ", "))."
    )
    var workloads: [BenchWorkload] = []
    @Option(help: "Timed repeats per workload (after one warm-up run).")
    var repeats: Int = 5

    func validate() throws {
        if repeats < 1 { throw ValidationError("--repeats must be at least 1") }
    }

    func execute() throws -> String {
        let selected = workloads.isEmpty ? BenchWorkload.allCases : workloads
        var rows: [[String]] = []
        for workload in selected {
            let dimension = try workload.run()
            var times: [Double] = []
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try workload.run()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            times.sort()
            let median =
                times.count % 2 == 1
                ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
            rows.append([
                workload.rawValue, "\(dimension)", String(format: "%.4f", median), String(format: "%.4f", times[0]),
                "\(repeats)",
            ])
        }
        return TextTable.render(header: ["workload", "dimension", "median s", "min s", "repeats"], rows: rows)
    }
}

/// The benchmark workloads. Each returns the state dimension it worked on.
enum BenchWorkload: String, CaseIterable, ExpressibleByArgument {
    /// A 201-point log γ sweep of ring8 (issue: "well within a second").
    case sweepRing8 = "sweep-ring8"
    /// γ* of ring8: a 121-point scan plus Brent refinement and critical points.
    case optimizeRing8 = "optimize-ring8"
    /// 256 particles, 512 cos features (outer), t = 200 with rk8pd (rtol 1e-8), 11 samples.
    case simulate256 = "simulate-256"

    /// The model of `simulate-256`: 8 ring modes with 32 samples each (M = N = 256).
    static let largeOuterModel = """
        {"name": "bench-256", "dimension": 2,
         "target": {"kind": "ring", "modes": 8, "radius": 2.0, "samplesPerMode": 32, "spread": 0.1, "seed": 1},
         "generator": {"particles": 256, "kernel": {"kind": "universal", "ratio": 0.1},
                       "init": {"kind": "targets", "std": 0.1, "seed": 2}},
         "discriminator": {"kind": "mlp", "width": 512, "activation": "cos", "train": "outer", "seed": 3},
         "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
        """

    func run() throws -> Int {
        if self == .simulate256 {
            let source = try ModelSource(
                json: JSONValue.parse(Data(Self.largeOuterModel.utf8), source: "bench"), defaultName: "bench")
            let model = EffectiveModel(source.resolved)
            _ = try model.simulate(SimulationSettings(integrator: .ode(.rk8pd), tEnd: 200, samples: 11))
            return model.stateDimension
        }
        let source = try ModelSource(preset: .ring8)
        switch self {
        case .sweepRing8:
            let grid = try SweepGrid(from: 1e-2, to: 1e3, steps: 201, scale: .log)
            _ = try Sweep.run(source, values: grid.values)
        case .optimizeRing8:
            _ = try OptimalStrength.find(source, from: 1e-3, to: 1e3)
        case .simulate256:
            break
        }
        return EffectiveModel(source.resolved).stateDimension
    }
}
