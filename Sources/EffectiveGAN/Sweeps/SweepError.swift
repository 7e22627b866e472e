/// Bad sweep, optimisation or step-size requests. Messages name the option and the fix.
public enum SweepError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `from` is not below `to`, or a bound is not finite.
    case invalidRange(from: Double, to: Double)
    /// Fewer than two grid points.
    case tooFewSteps(Int)
    /// A log grid needs positive bounds.
    case nonPositiveLogBound(from: Double, to: Double)
    /// The parameter cannot be swept for this source.
    case unknownParameter(path: String, reason: String)
    /// An option value that cannot work.
    case invalidOption(option: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidRange(from, to):
            return "--from \(from) must be below --to \(to), both finite; give an increasing range"
        case let .tooFewSteps(steps):
            return "--steps is \(steps); a sweep needs at least 2 points"
        case let .nonPositiveLogBound(from, to):
            return
                "a log-scale sweep needs positive bounds (got --from \(from) --to \(to)); use --scale linear or a positive --from"
        case let .unknownParameter(path, reason):
            return "cannot sweep '\(path)': \(reason)"
        case let .invalidOption(option, reason):
            return "\(option) \(reason)"
        }
    }
}
