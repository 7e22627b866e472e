import ArgumentParser
import EffectiveGAN
import Foundation
import ResultForms

struct BenchCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Time fixed workloads: median wall time over repeats (build with -c release).",
        discussion: """
            Speed goals live here, never in unit tests. Run in release mode:
              swift run -c release egan bench
              swift run -c release egan bench sweep-ring8 --repeats 20
              swift run -c release egan bench simulate-256 --resolved > bench-256.json   # the workload's model
            The peer comparison (benchmarks/compare.py) reads the models from --resolved and the times from
            --format json.
            """)

    @Argument(
        help:
            "Workloads to run (default: all). One of: \(BenchWorkload.allCases.map(\.rawValue).joined(separator: ", "))."
    )
    var workloads: [BenchWorkload] = []
    @Option(
        help: "Timed repeats per workload (after one warm-up run; 1 to 1000).",
        transform: { try Checked.count($0, in: 1...1000) })
    var repeats: Int = 5
    @OptionGroup var output: FormatOption
    @OptionGroup var parallel: ThreadsOption
    @Flag(help: "Print the resolved model of the one workload named instead of timing it.")
    var resolved = false

    func validate() throws {
        if repeats < 1 { throw ValidationError("--repeats must be at least 1") }
        if resolved && workloads.count != 1 { throw ValidationError("--resolved needs exactly one workload") }
    }

    func execute() throws -> String { try parallel.running(timings) }

    private func timings() throws -> String {
        let format = try output.chosen(csvRows: true, command: "bench")
        if resolved {
            let source = try workloads[0].source()
            guard source.trainsNetwork else { return source.resolved.json.prettyText + "\n" }
            return try ModelForms.networkStart(NetworkFlow(source), source: source).prettyText + "\n"
        }
        let selected = workloads.isEmpty ? BenchWorkload.allCases : workloads
        var timings: [BenchTiming] = []
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
            timings.append(
                BenchTiming(
                    workload: workload.rawValue, dimension: dimension, median: median, minimum: times[0],
                    repeats: repeats))
        }
        switch format {
        case .csv: return BenchForms.csv(timings)
        case .json: return BenchForms.json(timings, vectorMathBits: vectorMathBits).commandOutput(source: nil)
        case .table: return BenchForms.table(timings, vectorMathBits: vectorMathBits)
        }
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
    /// Jacobian assembly at z* of a 64-particle, 256-unit all-trained tanh model (1 153 dimensions).
    case jacobian1153 = "jacobian-1153"
    /// One full analysis (equilibrium check, Jacobian, dgeev, classification) of the same model.
    case analyze1153 = "analyze-1153"
    /// A 101-point γ sweep of the same model.
    case sweep1153 = "sweep-1153"
    /// A 21 × 4-seed collapse study on ring8-collapse (t = 300).
    case collapse21x4 = "collapse-21x4"
    /// 16 cells of digits100 (φ ∈ {0, 0.3, 0.6, 0.9} × 4 seeds), 10 gradient steps each: the per-cell set-up cost.
    case collapseDigits100Cells = "collapse-digits100-cells"
    /// One analysis at the paper's scale in d = 64: N = M = 100, relu width 256, all trained.
    case analyze64 = "analyze-64"
    /// One analysis in d = 784 (the MNIST dimension): N = M = 100, relu width 512, all trained.
    case analyze784 = "analyze-784"
    /// A 101-point γ sweep of the d = 784 model.
    case sweep784 = "sweep-784"
    /// 100 simultaneous gradient steps (h = 0.01) of the d = 784 model from its initial state: the batched field.
    case steps784 = "steps-784"
    /// `simulate-256` with tanh features instead of cos (the JAX comparison of issue #14).
    case simulate256Tanh = "simulate-256-tanh"
    /// 100 simultaneous gradient steps (h = 0.01) of a generator network and its critic from (w₀, θ*): N = 100
    /// latents (d_z = 64, Gaussian), layers [512, 512] relu, standard (nn.Linear) parameterisation, d = 784 outputs
    /// against mnist100, a relu critic of width 512 trained `all`, wgan + R1 (issue #24; `benchmarks/compare.py`
    /// times PyTorch and JAX on the same steps).
    case networkSteps784 = "network-steps-784"
    /// Reading the d = 784 model's resolved JSON (13 MB, as `--resolved` prints it) into a model: the JSON reader.
    case load784 = "load-784"

    /// The model of the 1 153-dimensional workloads: 8 ring modes × 8 samples (M = N = 64), tanh width 256, all trained.
    static let largeAllModel = """
        {"name": "bench-1153", "dimension": 2,
         "target": {"kind": "ring", "modes": 8, "radius": 2.0, "samplesPerMode": 8, "spread": 0.1, "seed": 1},
         "generator": {"particles": 64, "kernel": {"kind": "universal", "ratio": 0.1}},
         "discriminator": {"kind": "mlp", "width": 256, "activation": "tanh", "train": "all", "seed": 3},
         "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
        """

    /// The high-dimensional analysis models: 100 Gaussian targets (10 ring modes × 10 samples of std 1 in every
    /// coordinate), 100 particles, a relu MLP trained `all`, wgan + r1 (issue #13).
    static func highDimensionalModel(dimension: Int, width: Int) -> String {
        """
        {"name": "bench-\(dimension)", "dimension": \(dimension),
         "target": {"kind": "ring", "modes": 10, "radius": 2.0, "samplesPerMode": 10, "spread": 1.0, "seed": 1},
         "generator": {"particles": 100, "kernel": {"kind": "universal", "ratio": 0.1}},
         "discriminator": {"kind": "mlp", "width": \(width), "activation": "relu", "train": "all", "seed": 3,
                           "weightStd": \(1 / Double(dimension).squareRoot())},
         "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
        """
    }

    static func source(_ text: String) throws -> ModelSource {
        try ModelSource(json: JSONValue.parse(Data(text.utf8), source: "bench"), defaultName: "bench")
    }

    /// The model of `simulate-256`: 8 ring modes with 32 samples each (M = N = 256).
    static func largeOuterModel(activation: String) -> String {
        """
        {"name": "bench-256\(activation == "cos" ? "" : "-" + activation)", "dimension": 2,
         "target": {"kind": "ring", "modes": 8, "radius": 2.0, "samplesPerMode": 32, "spread": 0.1, "seed": 1},
         "generator": {"particles": 256, "kernel": {"kind": "universal", "ratio": 0.1},
                       "init": {"kind": "targets", "std": 0.1, "seed": 2}},
         "discriminator": {"kind": "mlp", "width": 512, "activation": "\(activation)", "train": "outer", "seed": 3},
         "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
        """
    }

    /// The model of `network-steps-784`. `fit: false`: the steps start from w₀, and fitting w* would need the
    /// (N·d) × P = 78 400 × 697 488 Jacobian (437 GB).
    static let networkModel784 = """
        {"name": "bench-network-784", "dimension": 784,
         "target": {"kind": "dataset", "name": "mnist100", "standardize": true},
         "generator": {"particles": 100,
                       "network": {"layers": [512, 512], "activation": "relu", "parameterization": "standard",
                                   "latentDimension": 64, "seed": 4, "fit": false}},
         "discriminator": {"kind": "mlp", "width": 512, "activation": "relu", "train": "all", "seed": 3,
                           "weightStd": \(1 / Double(784).squareRoot())},
         "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
        """

    /// The model the workload runs on.
    func source() throws -> ModelSource {
        switch self {
        case .sweepRing8, .optimizeRing8: return try ModelSource(preset: .ring8)
        case .simulate256: return try Self.source(Self.largeOuterModel(activation: "cos"))
        case .simulate256Tanh: return try Self.source(Self.largeOuterModel(activation: "tanh"))
        case .jacobian1153, .analyze1153, .sweep1153: return try Self.source(Self.largeAllModel)
        case .collapse21x4: return try ModelSource(preset: .ring8Collapse)
        case .collapseDigits100Cells: return try ModelSource(preset: .digits100)
        case .analyze64: return try Self.source(Self.highDimensionalModel(dimension: 64, width: 256))
        case .analyze784, .sweep784, .steps784, .load784:
            return try Self.source(Self.highDimensionalModel(dimension: 784, width: 512))
        case .networkSteps784: return try Self.source(Self.networkModel784)
        }
    }

    /// The d = 784 resolved model as text, made once per process (`load-784` times reading it back).
    static let resolvedText784: Data = {
        let source = try! BenchWorkload.analyze784.source()
        return Data(source.resolved.json.prettyText.utf8)
    }()

    /// The network of `network-steps-784`, built on the untimed warm-up run: the timed runs are the steps alone,
    /// as the peers' warm runs are (PyTorch after one run, JAX after compilation).
    static let networkFlow784: Result<NetworkFlow, any Error> = Result {
        try NetworkFlow(BenchWorkload.networkSteps784.source())
    }

    func run() throws -> Int {
        if self == .networkSteps784 {
            let flow = try Self.networkFlow784.get()
            var state = flow.initialState
            let workspace = flow.makeWorkspace()
            for _ in 0..<100 { flow.gradientStep(&state, size: 0.01, workspace: workspace) }
            return flow.stateDimension
        }
        if self == .load784 {
            let model = try ModelSource(
                json: JSONValue.parse(Self.resolvedText784, source: "load-784"), defaultName: "load-784")
            return EffectiveModel(model.resolved).stateDimension
        }
        let source = try source()
        let model = EffectiveModel(source.resolved)
        switch self {
        case .sweepRing8:
            _ = try Sweep.run(source, values: try SweepGrid(from: 1e-2, to: 1e3, steps: 201, scale: .log).values)
        case .optimizeRing8:
            _ = try OptimalStrength.find(source, from: 1e-3, to: 1e3)
        case .simulate256, .simulate256Tanh:
            _ = try model.simulate(SimulationSettings(integrator: .ode(.rk8pd), tEnd: 200, samples: 11))
        case .jacobian1153:
            _ = model.jacobian(at: model.equilibriumState)
        case .analyze1153, .analyze64, .analyze784:
            _ = try StabilityAnalysis(model: model)
        case .sweep1153, .sweep784:
            _ = try Sweep.run(source, values: try SweepGrid(from: 1e-2, to: 1e2, steps: 101, scale: .log).values)
        case .steps784:
            var state = model.initialState
            model.gradientRounds(&state, rounds: 100, step: 0.01)
        case .networkSteps784, .load784:
            break
        case .collapseDigits100Cells:
            let study = try CollapseStudy(
                source: source, ratios: [0, 0.3, 0.6, 0.9], seeds: 4,
                settings: SimulationSettings(
                    integrator: .gradientSteps(step: 0.01, scheme: .simultaneous, criticSteps: 1), tEnd: 0.1,
                    samples: 2))
            _ = try study.run(done: [])
        case .collapse21x4:
            let study = try CollapseStudy(
                source: source, ratios: try SweepGrid(from: 0, to: 1, steps: 21, scale: .linear).values, seeds: 4,
                settings: SimulationSettings(tEnd: 300, samples: 31))
            _ = try study.run(done: [])
        }
        return model.stateDimension
    }
}
