import ArgumentParser
import EffectiveGAN
import ResultForms

struct CrossCheckCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "crosscheck",
        abstract: "Check the linear prediction (rate, frequency) against the nonlinear simulation.",
        discussion: """
            For each γ: perturb the equilibrium along the dominant eigenmode (size ε, seeded phase), integrate the full \
            nonlinear flow with rk8pd, fit the decay rate and oscillation frequency of the response on the late \
            window, and compare with r(γ) and |Im λ| of the dominant mode. With generator.network the network \
            itself is trained — its weights w and θ, from w* + δw with G moved along the mode — against the effective \
            model with its kernel Θ(w*). Exits with status 1 if any check fails.
              egan crosscheck dirac --gamma 0.5 --gamma 2 --gamma 5
              egan crosscheck ring8 --gamma 1 --gamma 19 --gamma 100 --format json
            """)

    @OptionGroup var model: ModelArgument
    @OptionGroup var progressOption: ProgressOption
    @Option(
        help: "Regulariser strengths to check (repeat the option; default: the config's).", transform: Checked.strength)
    var gamma: [Double] = []
    @Option(
        help: "More strengths, as on every command: a list 2,5,10 or a grid FROM:TO:STEPS[:log|linear].",
        transform: GammaList.parse)
    var gammas: [Double]?
    @Option(
        help: "Size ε of the perturbation, in [1e-12, 0.1] (linear yet above rounding); the same flag as simulate's.",
        transform: Checked.positive)
    var perturb: Double = 1e-5
    /// `--epsilon` was this option's name; simulate calls the same size `--perturb`, so it stays as a hidden alias.
    @Option(name: .customLong("epsilon"), help: .hidden, transform: Checked.positive)
    var legacyEpsilon: Double?
    var epsilon: Double { legacyEpsilon ?? perturb }
    @Option(help: "Seed of the perturbation's phase (a whole number ≥ 0).", transform: Checked.seed)
    var seed: Int = 1
    @Option(help: "Relative tolerance for PASS (> 0).", transform: Checked.positive)
    var tolerance: Double = 0.02
    @OptionGroup var output: FormatOption
    @OptionGroup var parallel: ThreadsOption

    func validate() throws {
        if let bad = gamma.first(where: { !($0 > 0 && $0.isFinite) }) {
            throw ValidationError("--gamma must be positive and finite (got \(bad))")
        }
        if !(epsilon > 0 && epsilon.isFinite) { throw ValidationError("--perturb must be positive (got \(epsilon))") }
        if !(tolerance > 0) { throw ValidationError("--tolerance must be positive (got \(tolerance))") }
    }

    func run() throws {
        let (text, passed) = try parallel.running(check)
        try StandardOutput.write(text)
        if !passed { throw ExitCode(1) }
    }

    func execute() throws -> String { try parallel.running(check).text }

    private func check() throws -> (text: String, passed: Bool) {
        let format = try output.chosen(csvRows: true, command: "crosscheck")
        let source = try model.load()
        let listed = gamma + (self.gammas ?? [])
        let gammas = listed.isEmpty ? [source.resolved.gamma] : listed
        let (epsilon, seed, tolerance) = (self.epsilon, self.seed, self.tolerance)
        let trainsNetwork = source.trainsNetwork
        let checks = try CellExecution.current.map(
            gammas.count, done: [:], describe: { "the check at γ = \(Format.number(gammas[$0]))" },
            progress: progressOption.bar("crosscheck"), onResult: nil
        ) { k in
            trainsNetwork
                ? try NetworkFlow(source, gamma: gammas[k]).crossCheck(
                    epsilon: epsilon, seed: seed, tolerance: tolerance)
                : try EffectiveModel(source.resolved, gamma: gammas[k]).crossCheck(
                    epsilon: epsilon, seed: seed, tolerance: tolerance, structure: source.oscillatorStructure())
        }
        let passed = checks.allSatisfy(\.passed)
        switch format {
        case .csv: return (CrossCheckForms.csv(checks), passed)
        case .json:
            return (
                CrossCheckForms.json(checks, name: source.name, simulated: trainsNetwork ? "network" : "particles")
                    .commandOutput(source: source), passed
            )
        case .table: break
        }
        return (CrossCheckForms.table(checks, name: source.name, network: trainsNetwork), passed)
    }
}
