import Numerics

/// A value of the swept parameter where the dominant mode switches between oscillatory and real (spec §6).
public struct CriticalPoint: Sendable, Equatable {
    /// How the switch happens.
    public enum Mechanism: String, Sendable {
        /// The dominant oscillating pair merges onto the real axis (true critical damping, ζ → 1).
        case merge
        /// The dominant identity changes: an oscillatory and a real branch exchange the slowest rate.
        case crossing
    }

    /// The parameter value, refined to relative 1e-6.
    public let value: Double
    /// Regime just below and just above.
    public let below: Regime
    public let above: Regime
    public let mechanism: Mechanism
}

/// Where one tracked oscillator branch meets the real axis (its own critical damping).
public struct BranchMerge: Sendable, Equatable {
    /// The parameter value, refined to relative 1e-6.
    public let value: Double
    /// The (real) eigenvalue where the pair meets.
    public let eigenvalue: Double
    /// The index of the branch (in `Sweep.branches()`) that merges.
    public let branch: Int

}

extension Sweep {
    /// Whether a bracket [lower, upper] is refined: to relative 1e-6, or to adjacent whole numbers.
    private func refined(_ lower: Double, _ upper: Double) -> Bool {
        parameter.takesWholeNumbers
            ? upper - lower <= 1 : upper - lower <= Tolerance.refinement * max(abs(lower), abs(upper))
    }

    /// The next value to try inside a bracket (a whole number for such keys).
    private func midpoint(_ lower: Double, _ upper: Double) -> Double {
        parameter.takesWholeNumbers ? ((lower + upper) / 2).rounded(.down) : (lower + upper) / 2
    }

    /// The refined value of a bracket: its middle, or its far whole number.
    private func estimate(_ lower: Double, _ upper: Double) -> Double {
        parameter.takesWholeNumbers ? upper : (lower + upper) / 2
    }

    /// Every critical point between grid points, refined by bisection to relative 1e-6 (for a key that takes
    /// whole numbers, to neighbouring whole numbers: the value is then the first on the far side).
    ///
    /// The dominant kind is a yes/no function of the parameter, so the bracketing root-finder is bisection on
    /// "underdamped" between the last grid point on one side and the first on the other.
    public func criticalPoints(_ source: ModelSource) throws -> [CriticalPoint] {
        var found: [CriticalPoint] = []
        for k in 1..<points.count {
            let left = points[k - 1].spectrum.regime
            let right = points[k].spectrum.regime
            let converging: Set<Regime> = [.underdamped, .overdamped]
            guard left != right, converging.contains(left), converging.contains(right) else { continue }
            var lower = points[k - 1].value
            var upper = points[k].value
            var oscillatorySide = left == .underdamped ? points[k - 1].spectrum : points[k].spectrum
            while !refined(lower, upper) {
                let middle = midpoint(lower, upper)
                let spectrum = try Sweep.spectrum(source, parameter: parameter, value: middle)
                if spectrum.regime == .underdamped { oscillatorySide = spectrum }
                if (spectrum.regime == .underdamped) == (left == .underdamped) {
                    lower = middle
                } else {
                    upper = middle
                }
            }
            let ζ = oscillatorySide.dominantMode?.dampingRatio ?? 1
            found.append(
                CriticalPoint(
                    value: estimate(lower, upper), below: left, above: right, mechanism: ζ > 0.999 ? .merge : .crossing)
            )
        }
        return found
    }

    /// For every tracked branch that leaves (or reaches) the real axis between two grid points, the refined value
    /// where it does so. Each conjugate pair is reported once.
    public func branchMerges(_ source: ModelSource, branches: [Branch]) throws -> [BranchMerge] {
        var merges: [BranchMerge] = []
        for (index, k, oscillatoryA) in branchSwitches(branches) {
            let a = branches[index].eigenvalues[k - 1]
            let b = branches[index].eigenvalues[k]
            var lower = points[k - 1].value
            var upper = points[k].value
            var meeting = oscillatoryA ? b.real : a.real
            while !refined(lower, upper) {
                let middle = midpoint(lower, upper)
                let t = (middle - points[k - 1].value) / (points[k].value - points[k - 1].value)
                let guess = a * Complex(1 - t, 0) + b * Complex(t, 0)
                let spectrum = try Sweep.spectrum(source, parameter: parameter, value: middle)
                guard
                    let nearest = spectrum.modes.min(by: {
                        ($0.eigenvalue - guess).length < ($1.eigenvalue - guess).length
                    })
                else { break }
                meeting = nearest.eigenvalue.real
                if (nearest.kind == .oscillatory) == oscillatoryA { lower = middle } else { upper = middle }
            }
            merges.append(BranchMerge(value: estimate(lower, upper), eigenvalue: meeting, branch: index))
        }
        return merges.sorted { $0.value < $1.value }
    }
}

extension Sweep {
    /// Every tracked oscillator's exceptional point on this grid (its own critical damping; pairs that re-form
    /// after merging count again). Identities through near-crossings follow the grid, so a coarse grid can pair
    /// branches differently; `exceptionalPoint(following:)` follows one oscillator reliably.
    public func exceptionalPoints(_ source: ModelSource) throws -> [BranchMerge] {
        try branchMerges(source, branches: branches())
    }
}

extension ModelSource {
    /// The exceptional point of the oscillator that is dominant at strength `start` (nil when the dominant mode
    /// there is real, or when it stays oscillatory up to 100·start): followed upward in γ by continuation in
    /// steps of 1 % (the nearest eigenvalue in the upper half-plane to the linear prediction), then bisection to
    /// relative 1e-6 where it lands on the real axis.
    public func exceptionalPoint(followingDominantFrom start: Double) throws -> BranchMerge? {
        func spectrum(_ γ: Double) throws -> Spectrum { try Sweep.spectrum(self, parameter: .strength, value: γ) }
        func nearest(_ λ: Complex<Double>, in s: Spectrum) -> Mode? {
            s.activeModes.filter { $0.eigenvalue.imaginary >= 0 }.min {
                ($0.eigenvalue - λ).length < ($1.eigenvalue - λ).length
            }
        }
        guard start > 0, start.isFinite, let first = try spectrum(start).dominantMode, first.kind == .oscillatory
        else { return nil }
        var (previous, current) = (first.eigenvalue, first.eigenvalue)
        var γ = start
        while γ < 100 * start {
            let next = γ * 1.01
            guard let mode = nearest(current + current - previous, in: try spectrum(next)) else { return nil }
            if mode.kind == .real {
                var (lower, upper) = (γ, next)
                var meeting = mode.eigenvalue.real
                while upper - lower > Tolerance.refinement * upper {
                    let middle = (lower + upper) / 2
                    let t = (middle - γ) / (next - γ)
                    let guess = current * Complex(1 - t, 0) + mode.eigenvalue * Complex(t, 0)
                    guard let probe = nearest(guess, in: try spectrum(middle)) else { break }
                    if probe.kind == .oscillatory {
                        lower = middle
                    } else {
                        upper = middle; meeting = probe.eigenvalue.real
                    }
                }
                return BranchMerge(value: (lower + upper) / 2, eigenvalue: meeting, branch: -1)
            }
            (previous, current, γ) = (current, mode.eigenvalue, next)
        }
        return nil
    }
}

extension Sweep {
    /// Where a tracked branch leaves or reaches the real axis: between grid points `step − 1` and `step`, with
    /// `oscillatoryBefore` saying on which side it oscillates. Each conjugate pair is listed once (its member in
    /// the upper half-plane), in branch order.
    public func branchSwitches(_ branches: [Branch]) -> [(branch: Int, step: Int, oscillatoryBefore: Bool)] {
        var switches: [(branch: Int, step: Int, oscillatoryBefore: Bool)] = []
        for (index, branch) in branches.enumerated() {
            for k in 1..<branch.eigenvalues.count {
                let a = branch.eigenvalues[k - 1]
                let b = branch.eigenvalues[k]
                let oscillatoryA = points[k - 1].spectrum.isOscillatory(a)
                let oscillatoryB = points[k].spectrum.isOscillatory(b)
                guard oscillatoryA != oscillatoryB, (oscillatoryA ? a : b).imaginary > 0 else { continue }
                switches.append((index, k, oscillatoryA))
            }
        }
        return switches
    }
}

extension Spectrum {
    /// Whether λ, one of this spectrum's eigenvalues, is an oscillatory mode.
    public func isOscillatory(_ λ: Complex<Double>) -> Bool {
        modes.first { $0.eigenvalue == λ }?.kind == .oscillatory
    }
}
