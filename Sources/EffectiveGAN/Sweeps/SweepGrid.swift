import Foundation

/// The grid of a sweep: `steps` points from `from` to `to`, both included, evenly spaced linearly or in log.
public struct SweepGrid: Sendable, Equatable {
    public enum Scale: String, CaseIterable, Sendable { case linear, log }

    public let from: Double
    public let to: Double
    public let steps: Int
    public let scale: Scale

    /// - Throws: `SweepError` for an empty or inverted range, fewer than 2 steps, or a non-positive log bound.
    public init(from: Double, to: Double, steps: Int, scale: Scale) throws {
        guard from.isFinite, to.isFinite, from < to else { throw SweepError.invalidRange(from: from, to: to) }
        guard steps >= 2 else { throw SweepError.tooFewSteps(steps) }
        if scale == .log, from <= 0 { throw SweepError.nonPositiveLogBound(from: from, to: to) }
        self.from = from
        self.to = to
        self.steps = steps
        self.scale = scale
    }

    /// The grid values, endpoints exact.
    public var values: [Double] {
        (0..<steps).map { k in
            if k == 0 { return from }
            if k == steps - 1 { return to }
            let t = Double(k) / Double(steps - 1)
            switch scale {
            case .linear: return from + t * (to - from)
            case .log: return exp(log(from) + t * (log(to) - log(from)))
            }
        }
    }
}
