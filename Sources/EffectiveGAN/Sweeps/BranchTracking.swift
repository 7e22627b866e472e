import Numerics

/// An eigenvalue followed across a sweep: `eigenvalues[k]` belongs to grid point k.
public struct Branch: Sendable {
    public var eigenvalues: [Complex<Double>]
}

extension Sweep {
    /// Follows every eigenvalue from each grid point to the next by optimal assignment (not sorting), so a mode
    /// keeps its identity where branches cross.
    ///
    /// The cost of matching is the squared distance to the branch's linearly extrapolated position
    /// 2λ_k − λ_{k−1} (just λ_k at the second point), which also carries branches straight through crossings.
    /// Branches that are neutral at every point (symmetries) are dropped.
    public func branches() -> [Branch] {
        guard let first = points.first else { return [] }
        var branches = first.spectrum.modes.map { Branch(eigenvalues: [$0.eigenvalue]) }
        for k in 1..<points.count {
            let next = points[k].spectrum.modes.map(\.eigenvalue)
            guard next.count == branches.count else { break }
            let predicted = branches.map { branch -> Complex<Double> in
                let last = branch.eigenvalues[k - 1]
                return k >= 2 ? last + last - branch.eigenvalues[k - 2] : last
            }
            let cost = predicted.map { p in next.map { ($0 - p).lengthSquared } }
            let assignment = minimumCostAssignment(cost)
            for b in branches.indices { branches[b].eigenvalues.append(next[assignment[b]]) }
        }
        // Identity of neutral modes: a branch is kept when, at some point, its eigenvalue is one of that point's
        // active eigenvalues (structural zeros and symmetries are exactly the same numbers at every point).
        let active = points.map { Set($0.spectrum.activeModes.map(\.eigenvalue)) }
        return branches.filter { branch in
            branch.eigenvalues.indices.contains { k in active[k].contains(branch.eigenvalues[k]) }
        }
    }
}
