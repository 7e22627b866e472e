import ArgumentParser
import EffectiveGAN
import ResultForms

struct SweepCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Regime, rate and dominant mode along a grid of γ or of any numeric config path.",
        discussion: """
            Each grid point is analysed at the matched equilibrium (as 'egan analyze'), on all cores. Between grid \
            points where the dominant mode switches between oscillatory and real, the critical point is refined by \
            bisection to relative 1e-6. Eigenvalue branches are tracked by optimal assignment and written with --format json.
              egan sweep ring8 --from 0.01 --to 10 --points 201
              egan sweep ring8 --param generator.kernel.ratio --scale linear --from 0 --to 0.9 --points 10 --gamma 0.5
              egan sweep dirac --format json > dirac-sweep.json
            """)

    @OptionGroup var model: ModelArgument
    @OptionGroup var progressOption: ProgressOption
    @OptionGroup var grid: GridOptions
    @Option(
        help:
            "Config path to sweep: regularizer.strength (default), generator.kernel.ratio, generator.learningRate, discriminator.learningRate, or another numeric key a study can set (docs/config.md, \"Keys a study can set\")."
    )
    var param: String = ParameterPath.strength.path
    @OptionGroup var strength: GammaOption
    @OptionGroup var parallel: ThreadsOption
    @Option(help: "Output: table (default), csv, or json (schema egan.sweep/1, with branches).")
    var format: OutputFormat = .table

    func execute() throws -> String { try parallel.running(sweep) }

    private func sweep() throws -> String {
        var source = try model.load()
        if let gamma = strength.gamma, param != ParameterPath.strength.path { source = try source.with(gamma: gamma) }
        let path = try ParameterPath(param, for: source)
        let sweep = try Sweep.run(
            source, parameter: path, values: try grid.grid().values, progress: progressOption.bar("sweep"))
        let critical = try sweep.criticalPoints(source)
        switch format {
        case .json:
            let branches = sweep.branches()
            let merges = try sweep.branchMerges(source, branches: branches)
            return SweepForms.json(sweep, name: source.name, critical: critical, branches: branches, merges: merges)
                .commandOutput(source: source)
        case .csv:
            return SweepForms.csv(sweep)
        case .table:
            return SweepForms.table(sweep, critical: critical)
        }
    }
}
