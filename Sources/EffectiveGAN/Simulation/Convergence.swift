import GSLBridge

/// Time to converge from `generator.init` at one γ.
public struct ConvergenceRun: Sendable, Codable {
    public let gamma: Double
    /// First sample time after which the measured distance stays below the threshold; nil if it never does.
    public let time: Double?
    /// The measured distance at the last sample.
    public let finalDistance: Double
    public let status: SimulationResult.Status
    /// What the run cost.
    public let statistics: IntegratorStatistics
}

extension ModelSource {
    /// Simulates from `generator.init` at each γ (in parallel: `CellExecution.current`) and reports when each run converged, judged on
    /// `measure` (the distance to the nearest matched equilibrium, or that of the mode centres).
    public func convergenceTimes(
        gammas: [Double], threshold: Double, settings: SimulationSettings, measure: ConvergenceMeasure = .distance,
        progress: ProgressHandler? = nil
    ) throws -> [ConvergenceRun] {
        guard threshold > 0 else {
            throw InvalidSetting(.threshold, "must be positive (got \(threshold))")
        }
        if let bad = gammas.first(where: { !($0 >= 0 && $0 <= JSONReader.largestScale) }) {
            throw InvalidSetting(
                .strengths, "must be ≥ 0 and at most 1e15, where the flow's products still fit a double (got \(bad))")
        }
        var settings = settings
        settings.keepStates = measure == .modeCentres
        let modes = targetModes
        return try CellExecution.current.map(
            gammas.count, done: [:], describe: { "the run at γ = \(Format.number(gammas[$0]))" }, progress: progress,
            onResult: nil
        ) { [settings, resolved, self] k in
            let model = EffectiveModel(resolved, gamma: gammas[k])
            // A generator network trains its own weights from w₀ (`NetworkFlow`); its states are those of its
            // outputs, so both measures read them as a particle model's.
            let result =
                trainsNetwork
                ? try NetworkFlow(self, gamma: gammas[k]).simulate(settings) : try model.simulate(settings)
            let distances =
                measure == .distance
                ? result.observables.map(\.distance)
                : result.states.map { model.modeCentreDistance(at: $0, modes: modes) }
            var time: Double?
            if result.status == .completed, let lastAbove = distances.lastIndex(where: { $0 >= threshold }) {
                time = lastAbove + 1 < distances.count ? result.times[lastAbove + 1] : nil
            } else if result.status == .completed {
                time = 0
            }
            return ConvergenceRun(
                gamma: gammas[k], time: time, finalDistance: distances.last ?? .nan, status: result.status,
                statistics: result.statistics)
        }
    }
}
