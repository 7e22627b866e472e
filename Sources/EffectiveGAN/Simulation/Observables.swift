import Foundation
import LinearAlgebra

/// What a simulation records at each sample time.
public struct Observables: Sendable, Equatable {
    /// Distance of the particles to the nearest matched equilibrium: min over matchings σ of particles to targets
    /// (each target taken N/M times) of ‖X − Y_σ‖_F. Near z* this is ‖X − X*‖; far from it, it does not care which
    /// particle ended on which target (any such permutation is an equilibrium too). Equals √(N·W₂²).
    public let distance: Double
    /// ‖θ − θ*‖: how far the discriminator's parameters are from their equilibrium values.
    public let thetaNorm: Double
    /// Root-mean-square ‖∇_x D‖ over the particles (over the fake packs with packing): the force the generator
    /// still feels.
    public let gradientNorm: Double
    /// ln K + Σ_k p_k ln p_k, with K distinct target points as modes and p_k the share of particles whose nearest
    /// mode is k: 0 for full coverage, ln K for total collapse onto one mode.
    public let collapse: Double
    /// Squared 2-Wasserstein distance between the particles (weights 1/N) and the targets (weights 1/M), by exact
    /// optimal assignment.
    public let wasserstein2: Double
    /// Modes that hold at least one particle.
    public let coveredModes: Int
    /// The collapse metric with each particle assigned to the mode of largest cosine similarity (smallest cosine
    /// distance 1 − cos), angles taken about the origin of the config's coordinates: what image experiments use,
    /// where brightness scales a picture without changing what it shows.
    public let cosineCollapse: Double
    /// Modes that hold at least one particle under the cosine assignment.
    public let cosineCoveredModes: Int
    /// Mean |cos| between the particles, over all pairs i ≠ j: 1 when they all point one way (a collapsed cloud
    /// away from the origin), near the targets' own mean |cos| when the particles cover them.
    public let meanAbsoluteCosine: Double
}

extension EffectiveModel {
    /// The modes the collapse metric and coverage count, one per row: the centre (mean) of each mode's samples
    /// when targets are grouped (`ResolvedModel.targetModes`), else the distinct target points.
    public var modes: Matrix {
        if let groups = resolved.targetModes {
            let count = (groups.last ?? -1) + 1
            var centres = Matrix(rows: count, columns: dimension)
            var members = [Double](repeating: 0, count: count)
            for (m, k) in groups.enumerated() {
                members[k] += 1
                for α in 0..<dimension { centres[k, α] += targets[m, α] }
            }
            for k in 0..<count { for α in 0..<dimension { centres[k, α] /= members[k] } }
            return centres
        }
        var distinct: [[Double]] = []
        for row in resolved.targets where !distinct.contains(row) { distinct.append(row) }
        return Matrix(distinct)
    }

    /// The observables of a state. A simulation passes its `FieldWorkspace` so that ∇_x D at the particles is
    /// evaluated by the same buffered code as the flow, without allocating.
    public func observables(at z: [Double], workspace: FieldWorkspace? = nil) -> Observables {
        let x = particles(in: z)
        let θ = parameters(in: z)
        let thetaNorm = euclideanDistance(θ, discriminator.equilibriumParameters)
        let evaluator = (workspace ?? makeFieldWorkspace()).discriminator
        let fake = fakePoints(in: z).transposed.storage  // row-major: the particles, or the fake packs
        fake.withUnsafeBufferPointer { points in
            θ.withUnsafeBufferPointer { evaluator.load(particles: points.baseAddress!, parameters: $0.baseAddress!) }
        }
        let gradients = evaluator.gradients(.particles)
        let squares = (0..<fake.count).reduce(0.0) { $0 + gradients[$1] * gradients[$1] }
        let gradientNorm = (squares / Double(fakeCount)).squareRoot()
        let toTargets = ParticleGeometry.squaredDistances(x, targets)
        let w2 = squaredWasserstein(toTargets)
        let modes = self.modes
        // The modes are the distinct targets in target order: when no target repeats (the usual case) they are the
        // targets themselves, and the distances W₂ needed serve the nearest-mode assignment too.
        let nearest: [Int]
        let aligned: [Int]
        if let groups = resolved.targetModes {
            // Grouped samples: a particle belongs to the mode of its nearest (most aligned) sample.
            nearest = ParticleGeometry.nearestColumns(in: toTargets).map { groups[$0] }
            aligned = ParticleGeometry.mostAlignedRows(of: x, among: targets).map { groups[$0] }
        } else {
            let toModes = modes.rows == targetCount ? toTargets : ParticleGeometry.squaredDistances(x, modes)
            nearest = ParticleGeometry.nearestColumns(in: toModes)
            aligned = ParticleGeometry.mostAlignedRows(of: x, among: modes)
        }
        let (collapse, covered) = Self.collapseMetric(nearest: nearest, modeCount: modes.rows)
        let (cosineCollapse, cosineCovered) = Self.collapseMetric(nearest: aligned, modeCount: modes.rows)
        return Observables(
            distance: (w2 * Double(particleCount)).squareRoot(), thetaNorm: thetaNorm, gradientNorm: gradientNorm,
            collapse: collapse, wasserstein2: w2, coveredModes: covered, cosineCollapse: cosineCollapse,
            cosineCoveredModes: cosineCovered, meanAbsoluteCosine: ParticleGeometry.meanAbsoluteCosine(x))
    }

    /// W₂² between particles and targets with N a multiple of M: an N × N assignment with each target repeated.
    /// Distances are formed from coordinate differences, not from ‖x‖² + ‖y‖² − 2x·y, which cancels to rounding
    /// noise near the equilibrium (where the relaxation figure reads distances of 1e-8).
    ///
    /// - Parameter toTargets: ‖x_i − y_k‖² for every particle i and target k (`ParticleGeometry.squaredDistances`).
    func squaredWasserstein(_ toTargets: Matrix) -> Double {
        let n = particleCount
        let m = targetCount
        let cost = (0..<n).map { i in (0..<n).map { j in toTargets[i, j % m] } }
        guard cost.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { return .infinity }
        let assignment = minimumCostAssignment(cost)
        return assignment.enumerated().reduce(0) { $0 + cost[$1.offset][$1.element] } / Double(n)
    }

    /// (ln K + Σ p_k ln p_k, number of covered modes) for particles assigned to the modes `nearest`.
    static func collapseMetric(nearest: [Int], modeCount: Int) -> (Double, Int) {
        var counts = [Int](repeating: 0, count: modeCount)
        for k in nearest { counts[k] += 1 }
        let n = Double(nearest.count)
        let entropyTerm = counts.reduce(0.0) { sum, c in c == 0 ? sum : sum + Double(c) / n * log(Double(c) / n) }
        return (log(Double(modeCount)) + entropyTerm, counts.filter { $0 > 0 }.count)
    }
}
