import ArgumentParser
import EffectiveGAN
import ResultForms

struct OptimizeCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "The regulariser strength γ* with the fastest convergence, and why it is optimal.",
        discussion: """
            Scans r(γ) = −max Re λ on a log grid over [--from, --to], then refines the best bracket with GSL's Brent \
            minimiser to relative 1e-6 in γ. Reports r(γ*), the dominant eigenvalue, the regime on each side, and \
            whether γ* sits at a critical point (critical damping), at a crossing of two branches' rates, or at the \
            interval's boundary (then widen it).
              egan optimize dirac            # γ* = 2, r = 1 (wgan)
              egan optimize ring8 --from 0.001 --to 100 --format json
            """)

    @OptionGroup var model: ModelArgument
    @OptionGroup var progressOption: ProgressOption
    @OptionGroup var interval: StrengthInterval
    @Option(help: "Points of the initial log scan (at least 3).", transform: Checked.count(atLeast: 3))
    var points: Int = 121
    /// `--steps` was this option's name (it clashed with gradient steps); kept as a hidden alias.
    @Option(name: .customLong("steps"), help: .hidden, transform: Checked.count(atLeast: 3))
    var legacyPoints: Int?
    var steps: Int { legacyPoints ?? points }
    @OptionGroup var output: FormatOption

    func execute() throws -> String {
        let format = try output.chosen(csvRows: false, command: "optimize")
        let json = format == .json
        let source = try model.load()
        let optimum = try OptimalStrength.find(source, from: interval.from, to: interval.to, steps: steps, progress: progressOption.bar("scan"))
        // Each oscillator's own critical damping, refined by bisection: affordable for up to 64 oscillators.
        let oscillators = optimum.scan.points.first.map { $0.spectrum.count(of: .oscillatory) / 2 } ?? 0
        let exceptional =
            oscillators <= Self.exceptionalPointLimit
            ? (
                all: try optimum.scan.exceptionalPoints(source),
                dominant: try source.exceptionalPoint(followingDominantFrom: optimum.gamma * (1 - 1e-3))
            ) : nil
        if json { return optimum.json(name: source.name, exceptional: exceptional).commandOutput(source: source) }
        return optimum.table(name: source.name, exceptional: exceptional, oscillatorLimit: Self.exceptionalPointLimit)
    }
}

extension OptimizeCommand {
    /// Each oscillator's own critical damping is refined by bisection for up to this many oscillators.
    static let exceptionalPointLimit = 64
}
