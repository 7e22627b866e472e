import EffectiveGAN
import Foundation
import LinearAlgebra

/// Every number a stability report shows, computed once with the same library calls the commands use
/// (`analyze`, `optimize`, `steps`, `crosscheck`, `simulate`), so the report and the commands agree.
public struct ReportAnalysis: Sendable {
    public let source: ModelSource
    public let model: EffectiveModel
    public let optimum: OptimalStrength
    /// Analyses at γ = 0, γ* and a strongly overdamped γ.
    public let spectra: [(label: String, analysis: StabilityAnalysis)]
    public let overdampedGamma: Double
    /// Tracked eigenvalue branches along the scan.
    public let branches: [Branch]
    /// (scheme description, h_max) at γ*.
    public let stepLimits: [(String, Double)]
    public let crossChecks: [CrossCheck]
    /// Checks that could not run (γ and why: too stiff for an explicit stepper at this size, too slow).
    public let skippedChecks: [(gamma: Double, reason: String)]
    /// Simulation from a small perturbation of z* at γ*.
    public let relaxation: SimulationResult
    /// Simulation from `generator.init` at γ* (for the positions figure).
    public let fromInit: SimulationResult
    /// How the two simulations were integrated (`DefaultIntegrator`: rk8pd, or gradient steps at h_max/2 of the
    /// simultaneous limit in `stepLimits` for a relu discriminator).
    public let integrator: DefaultIntegrator
    /// The end time planned for the run from the initial cloud, 10/r(γ*) capped at 10⁵, before the step budget.
    public let plannedGlobalEnd: Double

    /// Runs everything; `from`/`to` bound the γ search.
    public init(source: ModelSource, from: Double = 1e-3, to: Double = 1e3, progress: ProgressHandler? = nil) throws {
        self.source = source
        let model = EffectiveModel(source.resolved)
        self.model = model
        let optimum = try OptimalStrength.find(source, from: from, to: to, steps: 121, progress: progress)
        self.optimum = optimum
        let γStar = optimum.gamma
        let overdamped = optimum.scan.points.first { $0.value >= 10 * γStar && $0.spectrum.regime == .overdamped }
        let overdampedGamma = overdamped?.value ?? optimum.scan.points.last!.value
        self.overdampedGamma = overdampedGamma
        spectra = try [
            ("γ = 0", 0.0), ("γ* = \(Format.number(γStar))", γStar),
            ("γ = \(Format.number(overdampedGamma)) (overdamped side)", overdampedGamma),
        ]
        .map { ($0.0, try StabilityAnalysis(model: model.with(gamma: $0.1), structure: source.oscillatorStructure())) }
        branches = optimum.scan.branches()
        let atOptimum = model.with(gamma: γStar)
        stepLimits = try [
            ("simultaneous", SteppingScheme.simultaneous, 1), ("alternating, 1 critic step", .alternating, 1),
            ("alternating, 5 critic steps", .alternating, 5),
        ].map {
            let training = try DiscreteTraining(
                model: atOptimum, scheme: $0.1, criticSteps: $0.2, structure: source.oscillatorStructure())
            return ($0.0, try training.largestStableStep())
        }
        // Under-, near-critical and overdamped. Not exactly γ*: at a critical merge the two eigenvectors coincide
        // (a Jordan block), and a single-mode fit of the response is ill-posed there.
        let checkGammas = [γStar / 4, 0.9 * γStar, overdampedGamma]
        let outcomes = try parallelMap(checkGammas.count) { k -> Result<CrossCheck, SimulationError> in
            do {
                return .success(
                    try atOptimum.with(gamma: checkGammas[k]).crossCheck(structure: source.oscillatorStructure()))
            } catch let error as SimulationError {
                return .failure(error)
            }
        }
        crossChecks = outcomes.compactMap { try? $0.get() }
        skippedChecks = zip(checkGammas, outcomes).compactMap { gamma, outcome in
            if case let .failure(error) = outcome { return (gamma, error.description) }
            return nil
        }
        let rate = max(optimum.rate, 1e-12)
        // The step comes from the simultaneous h_max at γ* (the table's first row), the end times from 1/r(γ*);
        // a run longer than the step budget is shortened, never given a larger step.
        let choice = DefaultIntegrator(model: atOptimum, simultaneousLimit: stepLimits[0].1)
        integrator = choice
        plannedGlobalEnd = min(10 / rate, 1e5)
        relaxation = try atOptimum.simulate(
            SimulationSettings(
                integrator: choice.integrator, start: .perturbedEquilibrium(epsilon: 1e-3, seed: 1),
                tEnd: choice.endTime(5 / rate), samples: 201))
        fromInit = try atOptimum.simulate(
            SimulationSettings(
                integrator: choice.integrator, tEnd: choice.endTime(plannedGlobalEnd), samples: 101,
                keepStates: true))
    }

    /// "underdamped for γ < …, overdamped above …": the regime map of the scan in one sentence.
    public var regimeSentence: String {
        let points = optimum.scan.points
        var pieces: [String] = []
        var lower = points[0].value
        for k in 1...points.count {
            guard k == points.count || points[k].spectrum.regime != points[k - 1].spectrum.regime else { continue }
            let upper =
                k == points.count
                ? points[k - 1].value
                : (optimum.criticalPoints.first { $0.value > points[k - 1].value && $0.value <= points[k].value }?.value
                    ?? points[k].value)
            let relation = k == points.count ? "≤" : "<"
            pieces.append(
                "\(points[k - 1].spectrum.regime.rawValue) for \(Format.number(lower)) ≤ γ \(relation) \(Format.number(upper))"
            )
            lower = upper
        }
        return pieces.joined(separator: "; ") + " (at γ = 0: \(spectra[0].analysis.spectrum.regime.rawValue))."
    }

    /// A short hash of the resolved model (FNV-1a, 64 bit, of its compact JSON): identical models, identical hash.
    public var modelHash: String { fingerprint(source.resolved.json.compactText) }
}

