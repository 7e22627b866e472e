import ArgumentParser
import EffectiveGAN

/// `--from --to --steps --scale`: the grid of a sweep.
struct GridOptions: ParsableArguments {
    @Option(help: "First value of the swept parameter.", transform: Checked.finite)
    var from: Double = 0.01
    @Option(help: "Last value of the swept parameter.", transform: Checked.finite)
    var to: Double = 10
    @Option(help: "Number of grid points (at least 2), endpoints included.", transform: Checked.count(atLeast: 2))
    var steps: Int = 61
    @Option(help: "Grid spacing: log (default) or linear.")
    var scale: SweepGrid.Scale = .log

    func grid() throws -> SweepGrid { try SweepGrid(from: from, to: to, steps: steps, scale: scale) }
}

extension SweepGrid.Scale: ExpressibleByArgument {}
extension SteppingScheme: ExpressibleByArgument {}

/// Output format of tabular commands.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case table, csv, json
}

/// `--gamma`: the regulariser strength, validated once for every command that takes it.
struct GammaOption: ParsableArguments {
    @Option(
        help: "Regulariser strength γ ≥ 0 (default: the config's regularizer.strength).", transform: Checked.strength)
    var gamma: Double?

    func validate() throws {
        if let gamma, !(gamma >= 0 && gamma.isFinite) {
            throw ValidationError("--gamma must be a finite number ≥ 0 (got \(gamma))")
        }
    }
}
