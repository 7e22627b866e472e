import ArgumentParser
import EffectiveGAN
import Foundation
import ResultForms

struct SimulateCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Integrate the full nonlinear particle dynamics and record observables.",
        discussion: """
            Integrates ż = F(z) with a GSL stepper (implicit ones get the analytic Jacobian) or takes plain gradient \
            steps, from generator.init or from the equilibrium plus a seeded perturbation. Columns: t, distance (to \
            the nearest matched equilibrium), theta_norm (‖θ − θ*‖), grad_norm (RMS ‖∇D‖ at the particles), collapse \
            (ln K + Σ p ln p), w2 (squared 2-Wasserstein to the targets), covered (modes holding a particle), \
            collapse_cos and covered_cos (the same with each particle on the mode of largest cosine similarity), \
            mean_abs_cos (mean |cos| between particles; 1 when all point one way).
              egan simulate ring8 --gamma 19 --t-end 2000
              egan simulate dirac --gamma 1 --perturb 0.1 --integrator msbdf --format table
              egan simulate dirac --gamma 1 --perturb 0.1 --integrator gd --lr 0.5 --scheme alternating
            A progress bar goes to stderr when it is a terminal (or with --progress). Ctrl-C stops the run at the next \
            sample: the samples so far are printed (and --trajectories written), status "interrupted", exit code 130.
            """)

    @OptionGroup var model: ModelArgument
    @OptionGroup var strength: GammaOption
    @Option(
        help: "End time (default: 10/r, ten relaxation times of the linearised flow at this γ).",
        transform: Checked.positive)
    var tEnd: Double?
    @Option(help: "Number of sample times on [0, t-end].", transform: Checked.count(atLeast: 2))
    var samples: Int = 101
    @OptionGroup var integration: IntegratorOptions
    @Option(
        help: "Start from the equilibrium plus a seeded perturbation of this Euclidean size (default: generator.init).")
    var perturb: Double?
    @Option(help: "Seed of the perturbation (a whole number ≥ 0).", transform: Checked.seed)
    var seed: Int = 1
    @Option(help: "Stop as diverged when the particle distance exceeds this (> 0).", transform: Checked.positive)
    var divergenceBound: Double = 1e6
    @Option(help: "Output: table (default), json or csv.")
    var format: OutputFormat = .table
    @Option(help: "Also write every particle's position at every sample to this CSV file (t, particle, x1…xd).")
    var trajectories: String?
    @OptionGroup var progressOption: ProgressOption

    /// Prints what was computed, then exits with 130 (the shell's code for SIGINT) when the run was interrupted.
    func run() throws {
        let (text, interrupted) = try InterruptFlag.watch { stop in try output(shouldStop: stop) }
        try StandardOutput.write(text)
        if interrupted { throw ExitCode(130) }
    }

    func execute() throws -> String { try output(shouldStop: nil) }

    private func output(shouldStop: (@Sendable () -> Bool)?) throws -> String {
        let source = try model.load()
        try OutputFiles.check([("--trajectories", trajectories)], reading: source)
        let effective = EffectiveModel(source.resolved, gamma: strength.gamma)
        if !source.hasLinearTheory, tEnd == nil {
            throw ValidationError(
                "--t-end is needed: a network with generator.network.fit false has no linear theory to choose the end time (or a step size); give --t-end T (and --integrator gd --lr H for relu)"
            )
        }
        // No --integrator: a method that finishes (gradient steps at h_max/2 for a relu critic, whose kinks make
        // adaptive steppers reject almost every step), and a default end time within its step budget.
        let chosen =
            integration.integrator == nil && source.hasDiscontinuousField
            ? try? DefaultIntegrator(
                model: effective, structure: source.oscillatorStructure(), discontinuous: true) : nil
        var end = try tEnd ?? RelaxationTime.default(effective, multiple: 10, structure: source.oscillatorStructure())
        if let chosen, case .gradientSteps = chosen.integrator {
            var note = "integrating with \(chosen.description)"
            // The length from a fixed work budget (the same on every machine); the measured cost of one step
            // only words the estimate.
            let perStep = DefaultIntegrator.secondsPerEvaluation(effective)
            let rounds = DefaultIntegrator.plannedRounds(for: effective)
            if tEnd == nil, chosen.endTime(end, rounds: rounds) < end {
                let shortened = chosen.endTime(end, rounds: rounds)
                note +=
                    "; t_end = 10/r = \(Format.number(end)) would take \(Format.number(end / (shortened / rounds), digits: 3)) steps (about \(Format.number(end / (shortened / rounds) * perStep, digits: 2)) s), so this run ends at t = \(Format.number(shortened)) after \(Format.number(rounds, digits: 3)) steps (about \(Format.number(rounds * perStep, digits: 2)) s); give --t-end for longer"
                end = shortened
            }
            FileHandle.standardError.write(Data("egan: note: \(note)\n".utf8))
        } else if source.hasDiscontinuousField, integration.integrator != .gradientSteps {
            FileHandle.standardError.write(
                Data(
                    "egan: note: relu makes the flow discontinuous (φ′ jumps), so an adaptive stepper rejects a step at every kink; --integrator gd --lr h (below 'egan steps' h_max) is usually far faster\n"
                        .utf8))
        }
        let settings = SimulationSettings(
            integrator: try chosen?.integrator ?? integration.resolve(),
            start: perturb.map { .perturbedEquilibrium(epsilon: $0, seed: seed) } ?? .initial,
            tEnd: end, samples: samples, relativeTolerance: integration.rtol, absoluteTolerance: integration.atol,
            divergenceBound: divergenceBound, keepStates: trajectories != nil)
        if source.hasLinearTheory {
            try settings.checkExplicitSteps(for: effective, structure: source.oscillatorStructure())
        }
        let result: SimulationResult
        if source.trainsNetwork {
            // A generator network trains its own weights (w, θ); the observables are of its outputs G(Z; w).
            let flow = try NetworkFlow(source, gamma: strength.gamma)
            try flow.checkIntegrator(settings)
            FileHandle.standardError.write(
                Data(
                    "egan: note: training the generator network's weights and the critic (w, θ) from \(perturb == nil ? "its initialisation w₀" : "w* + a weight perturbation")\n"
                        .utf8))
            result = try flow.simulate(
                settings, progress: progressOption.bar("simulate"), shouldStop: shouldStop)
        } else {
            result = try effective.simulate(settings, progress: progressOption.bar("simulate"), shouldStop: shouldStop)
        }
        if let trajectories {
            try AtomicFile.write(SimulationForms.trajectories(result, model: effective), to: trajectories)
        }
        if let note = SimulationForms.stopNote(result) {
            FileHandle.standardError.write(Data("egan: warning: \(note)".utf8))
        }
        switch format {
        case .csv: return SimulationForms.csv(result)
        case .table: return SimulationForms.summary(result)
        case .json:
            return SimulationForms.json(result, name: source.name, gamma: effective.gamma).commandOutput(
                model: effective)
        }
    }
}
