/// Bad sweep, optimisation or step-size requests. Messages name the setting (in the library's words) and the fix;
/// `EganCLI` renders the same cases with its flags.
public enum SweepError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `from` is not below `to`, or a bound is not finite.
    case invalidRange(from: Double, to: Double)
    /// Fewer than two grid points.
    case tooFewSteps(Int)
    /// A log grid needs positive bounds.
    case nonPositiveLogBound(from: Double, to: Double)
    /// The config key cannot be varied by a study (sweep, collapse column or row) for this source.
    case unknownParameter(path: String, reason: String)

    public var description: String { render(\.rawValue) }

    /// The message with every grid setting written by `name`: its library name, or a tool's flag (`EganCLI`).
    public func render(_ name: (RunSetting) -> String) -> String {
        switch self {
        case let .invalidRange(from, to):
            return
                "\(name(.gridStart)) \(from) must be below \(name(.gridEnd)) \(to), both finite; give an increasing range"
        case let .tooFewSteps(steps):
            return "\(name(.gridPoints)) is \(steps); a sweep needs at least 2 points"
        case let .nonPositiveLogBound(from, to):
            return
                "a log-scale grid needs positive bounds (got \(name(.gridStart)) \(from), \(name(.gridEnd)) \(to)); make \(name(.gridScale)) linear or \(name(.gridStart)) positive"
        case let .unknownParameter(path, reason):
            return "cannot vary '\(path)' in a study: \(reason)"
        }
    }
}
