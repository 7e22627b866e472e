import LinearAlgebra

/// Which distance a convergence study watches.
public enum ConvergenceMeasure: String, CaseIterable, Sendable {
    /// The distance to the nearest matched equilibrium (every particle on its target): `Observables.distance`.
    case distance
    /// The distance of the mode centres: particles are matched to targets optimally, and only the mean
    /// displacement of the particles matched to each mode counts, √(Σ_k n_k ‖mean_k(x_i − y_σ(i))‖²). It ignores
    /// how particles are arranged inside a mode — directions a discriminator sees barely or not at all when
    /// targets are spread around their mode centre (`analyze` counts them as unseen particle directions), so a
    /// run that found every mode is not held back by their very slow (or absent) relaxation.
    case modeCentres = "centres"
}

extension ModelSource {
    /// The mode of every target: the resolved model's `targetModes` (from the config's `samplesPerMode`: targets
    /// are drawn mode-major), or each target its own mode.
    public var targetModes: [Int] { resolved.targetModes ?? Array(0..<resolved.targets.count) }
}

extension EffectiveModel {
    /// The distance of the mode centres (`ConvergenceMeasure.modeCentres`) of the particles in state `z`;
    /// `modes[m]` is the mode of target m.
    public func modeCentreDistance(at z: [Double], modes: [Int]) -> Double {
        let x = particles(in: z)
        let n = particleCount
        let m = targetCount
        let cost = (0..<n).map { i in
            (0..<n).map { j in
                (0..<dimension).reduce(0.0) { $0 + (x[i, $1] - targets[j % m, $1]) * (x[i, $1] - targets[j % m, $1]) }
            }
        }
        guard cost.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { return .infinity }
        let assignment = minimumCostAssignment(cost)
        let modeCount = (modes.max() ?? -1) + 1
        var shift = Matrix(rows: modeCount, columns: dimension)
        var members = [Int](repeating: 0, count: modeCount)
        for i in 0..<n {
            let target = assignment[i] % m
            members[modes[target]] += 1
            for α in 0..<dimension { shift[modes[target], α] += x[i, α] - targets[target, α] }
        }
        var total = 0.0
        for k in 0..<modeCount where members[k] > 0 {
            for α in 0..<dimension { total += shift[k, α] * shift[k, α] / Double(members[k]) }
        }
        return total.squareRoot()
    }
}
