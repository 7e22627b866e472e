/// Bad sweep, optimisation or step-size requests. Messages name the setting (in the library's words) and the fix;
/// `EganCLI` renders the same cases with its flags.
public enum SweepError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `from` is not below `to`, or a bound is not finite.
    case invalidRange(from: Double, to: Double)
    /// Fewer than two grid points.
    case tooFewSteps(Int)
    /// A log grid needs positive bounds.
    case nonPositiveLogBound(from: Double, to: Double)
    /// The parameter cannot be swept for this source.
    case unknownParameter(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidRange(from, to):
            return
                "the grid's first value \(from) must be below its last value \(to), both finite; give an increasing range"
        case let .tooFewSteps(steps):
            return "the number of grid points is \(steps); a sweep needs at least 2 points"
        case let .nonPositiveLogBound(from, to):
            return
                "a log-scale grid needs positive bounds (got \(from) to \(to)); use a linear grid or a positive first value"
        case let .unknownParameter(path, reason):
            return "cannot sweep '\(path)': \(reason)"
        }
    }
}
