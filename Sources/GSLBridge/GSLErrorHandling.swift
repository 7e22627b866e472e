internal import CGSL

/// GSL's default error handler aborts the process; EffectiveGAN switches it off once and maps status codes to
/// Swift errors instead (see `GSLError`).
public enum GSLErrorHandling {
    private static let disabled: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    /// Switches GSL's aborting error handler off (idempotent, thread-safe through `static let` initialisation).
    public static func disableAbort() { _ = disabled }

    /// GSL's own text for a status code (`gsl_strerror`).
    public static func message(for status: Int32) -> String { String(cString: gsl_strerror(status)) }
}

/// Versions of GSL linked, for provenance in reports.
public enum GSLLibrary {
    /// The GSL version string the package was compiled against, e.g. `2.7.1`.
    public static var version: String { String(cString: cgsl_version()) }
}
