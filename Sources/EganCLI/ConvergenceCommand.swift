import ArgumentParser
import EffectiveGAN
import Foundation
import ResultForms

extension ConvergenceMeasure: ExpressibleByArgument {}

struct ConvergenceCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "convergence",
        abstract: "Time to converge from generator.init for several γ, against the linear γ*.",
        discussion: """
            Simulates from generator.init at each γ (in parallel) and reports the first time after which the particle \
            distance to the nearest matched equilibrium stays below --threshold. Marks the fastest γ and the linear γ* \
            (from 'egan optimize'). Without --gammas it runs γ*/8, γ*/4, γ*/2, γ*, 2γ*, 4γ*, 8γ* around the linear γ*.
              egan convergence ring8 --gammas 2,5,10,19,40,100 --t-end 4000
            """)

    @OptionGroup var model: ModelArgument
    @OptionGroup var progressOption: ProgressOption
    @Option(
        help:
            "Regulariser strengths: a list 2,5,10 or a grid FROM:TO:STEPS[:log|linear] (log by default); default: 7 values from γ*/8 to 8γ*.",
        transform: GammaList.parse)
    var gammas: [Double]?
    @Option(help: "Distance below which the run counts as converged (> 0).", transform: Checked.positive)
    var threshold: Double = 1e-3
    @Option(
        help: "End time of each simulation (default: 10/r at the smallest rate of the listed γ).",
        transform: Checked.positive)
    var tEnd: Double?
    @Option(
        help: "Sample times on [0, t-end] (the convergence time is resolved to t-end/samples).",
        transform: Checked.count(atLeast: 2))
    var samples: Int = 1001
    @OptionGroup var integration: IntegratorOptions
    @OptionGroup var parallel: ThreadsOption
    @Option(
        help:
            "What must fall below --threshold: distance (to the nearest matched equilibrium, default) or centres (of the modes: ignores how particles sit inside a mode, which a discriminator barely sees when targets are spread)."
    )
    var measure: ConvergenceMeasure = .distance
    @Option(help: "Output: table (default), csv or json (schema egan.convergence/1).")
    var format: OutputFormat = .table

    func execute() throws -> String { try parallel.running(study) }

    private func study() throws -> String {
        let source = try model.load()
        let optimum = try OptimalStrength.find(source, from: 1e-3, to: 1e3)
        let values: [Double]
        if let gammas {
            values = gammas
        } else {
            values = (-3...3).map { optimum.gamma * pow(2, Double($0)) }
        }
        let tEnd =
            try self.tEnd ?? values.map {
                try RelaxationTime.default(
                    EffectiveModel(source.resolved, gamma: $0), multiple: 10, structure: source.oscillatorStructure())
            }.max()!
        let settings = SimulationSettings(
            integrator: try integration.resolve(), tEnd: tEnd, samples: samples,
            relativeTolerance: integration.rtol, absoluteTolerance: integration.atol)
        let runs = try source.convergenceTimes(
            gammas: values, threshold: threshold, settings: settings, measure: measure,
            progress: progressOption.bar("convergence"))
        switch format {
        case .json:
            return ConvergenceForms.json(
                runs, name: source.name, measure: measure, threshold: threshold, endTime: tEnd, optimum: optimum,
                network: source.trainsNetwork
            ).commandOutput(source: source)
        case .csv:
            return ConvergenceForms.csv(runs)
        case .table:
            return ConvergenceForms.table(
                runs, measure: measure, threshold: threshold, endTime: tEnd, optimum: optimum,
                network: source.trainsNetwork)
        }
    }
}
