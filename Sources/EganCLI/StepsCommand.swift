import ArgumentParser
import EffectiveGAN
import ResultForms

struct StepsCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "steps",
        abstract: "Discrete training: the largest stable learning rate h and the per-step contraction.",
        discussion: """
            Linearises one round of gradient steps at the equilibrium (spec §7): simultaneous T = I + hJ, or \
            alternating (the discriminator steps --critic-steps times, then the generator --generator-steps times). \
            Training is stable when the spectral radius of T on the active directions is below 1; h_max is found by \
            bisection to relative 1e-6.
              egan steps dirac --gamma 1
              egan steps ring8 --gamma 0.5 --scheme alternating --critic-steps 5 --lr 0.1
              egan steps ring8 --sweep --from 0.01 --to 10 --points 41
            """)

    @OptionGroup var model: ModelArgument
    @OptionGroup var progressOption: ProgressOption
    @OptionGroup var strength: GammaOption
    @Option(help: "simultaneous or alternating.")
    var scheme: SteppingScheme = .simultaneous
    @Option(
        help: "Discriminator steps per round (alternating; 1 to 10000).",
        transform: { try Checked.count($0, in: 1...10_000) })
    var criticSteps: Int = 1
    @Option(
        help: "Generator steps per round (alternating; 1 to 10000).",
        transform: { try Checked.count($0, in: 1...10_000) })
    var generatorSteps: Int = 1
    @Option(
        help: "Also report the contraction factor per round at this step size h (> 0).", transform: Checked.positive)
    var lr: Double?
    @Flag(help: "Map h_max over a γ grid (--from --to --points --scale).")
    var sweep = false
    @OptionGroup var grid: GridOptions
    @OptionGroup var output: FormatOption

    func validate() throws {
        if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive step size (got \(lr))") }
        if criticSteps < 1 || generatorSteps < 1 {
            throw ValidationError("--critic-steps and --generator-steps must be at least 1")
        }
    }

    func execute() throws -> String {
        let format = try output.chosen(csvRows: true, command: "steps")
        let source = try model.load()
        let gammas = sweep ? try grid.grid().values : [strength.gamma ?? source.resolved.gamma]
        let results = try parallelMap(gammas.count, progress: sweep ? progressOption.bar("steps") : nil) { k in
            let training = try DiscreteTraining(
                model: EffectiveModel(source.resolved, gamma: gammas[k]), scheme: scheme, criticSteps: criticSteps,
                generatorSteps: generatorSteps, structure: source.oscillatorStructure())
            return StepSizeLimit(
                gamma: gammas[k], largestStableStep: try training.largestStableStep(),
                contraction: try lr.map { try training.contraction(step: $0) })
        }
        switch format {
        case .json:
            return StepsForms.json(
                results, name: source.name, scheme: scheme, criticSteps: criticSteps, generatorSteps: generatorSteps,
                step: lr
            ).commandOutput(source: source)
        case .csv:
            return StepsForms.csv(results)
        case .table:
            return StepsForms.table(
                results, name: source.name, scheme: scheme, criticSteps: criticSteps, generatorSteps: generatorSteps,
                step: lr)
        }
    }
}
