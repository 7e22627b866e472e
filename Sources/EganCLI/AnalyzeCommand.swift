import ArgumentParser
import EffectiveGAN
import ResultForms

struct AnalyzeCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Linear stability at the matched equilibrium: every mode, the regime and the rate.",
        discussion: """
            Builds the exact Jacobian of the generator–discriminator flow at the equilibrium, computes its \
            eigenvalues with LAPACK dgeev and classifies them (spec §6): neutral (symmetries), oscillatory or real. \
            The regime is marginal (undamped ringing), underdamped, overdamped or unstable; the convergence rate is \
            r = −max Re λ over active modes.
              egan analyze dirac --gamma 1        # the Dirac GAN with R1 strength 1
              egan analyze ring8 --gamma 0.5 --format json
              egan analyze digits100 --modes 10   # the 10 slowest of 506 active modes
            The table lists every active mode up to 100 of them, else the 20 slowest (--modes sets the number, 0 for \
            all; --format json always has all).
            """)

    @OptionGroup var model: ModelArgument
    @OptionGroup var strength: GammaOption
    @OptionGroup var output: FormatOption
    @Option(
        help: "Active modes listed in the table, slowest first (0: all; default: all up to 100, else 20).",
        transform: { try Checked.count($0, in: 0...1_000_000) })
    var modes: Int?

    func execute() throws -> String {
        let format = try output.chosen(csvRows: false, command: "analyze")
        let json = format == .json
        let source = try model.load()
        try source.requireLinearTheory()
        let effective = EffectiveModel(source.resolved, gamma: strength.gamma)
        let analysis = try StabilityAnalysis(model: effective)
        if json { return analysis.json(model: effective, name: source.name).commandOutput(model: effective) }
        return AnalysisForms.render(analysis, model: effective, name: source.name, modes: modes)
    }
}
