/// Failures reported by LAPACK routines, with the routine's `info` code.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The QR algorithm in `dgeev` failed to converge (`info > 0`): eigenvalues `info…n` were not computed.
    case eigenvalueIterationFailed(routine: String, info: Int)
    /// A linear solve met an exactly singular matrix (`dgesv` `info > 0`).
    case singular(routine: String, info: Int)
    /// An argument was rejected by LAPACK (`info < 0`): a bug in this wrapper, never the user's input.
    case illegalArgument(routine: String, info: Int)
    /// The matrix contained NaN or infinity, which LAPACK cannot handle.
    case nonFinite(routine: String)

    public var description: String {
        switch self {
        case let .eigenvalueIterationFailed(routine, info):
            return
                "\(routine): the eigenvalue iteration did not converge (info \(info)); check the matrix for extreme scales"
        case let .singular(routine, info):
            return "\(routine): the matrix is singular (zero pivot at \(info))"
        case let .illegalArgument(routine, info):
            return "\(routine): argument \(-info) was illegal (internal error, please report)"
        case let .nonFinite(routine):
            return "\(routine): the matrix contains NaN or infinity"
        }
    }
}
