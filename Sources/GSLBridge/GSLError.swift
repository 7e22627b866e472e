internal import CGSL

/// A GSL routine returned a failure status; the message is GSL's own text with context and advice.
public struct GSLError: Error, CustomStringConvertible, Sendable {
    /// The GSL status code (`GSL_EMAXITER`, `GSL_EBADFUNC`, …).
    public let status: Int32
    /// What was being done, e.g. "minimising r(γ)" or "integrating at t = 3.2".
    public let context: String
    /// What the user can do about it.
    public let advice: String

    public init(status: Int32, context: String, advice: String) {
        self.status = status
        self.context = context
        self.advice = advice
    }

    public var description: String {
        "\(context): GSL error \(status) (\(GSLErrorHandling.message(for: status)))\(advice.isEmpty ? "" : "; \(advice)")"
    }
}
