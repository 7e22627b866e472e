import Foundation
import Numerics

/// Number formatting for human-readable output (JSON and CSV carry full precision); shared by the CLI, reports
/// and notebooks so that the same number prints the same everywhere.
public enum Format {
    /// `digits` significant digits, no trailing noise; exact zero prints as 0.
    public static func number(_ value: Double, digits: Int = 6) -> String {
        if value == 0 { return "0" }
        if !value.isFinite { return "\(value)" }
        return String(format: "%.\(digits)g", value)
    }

    /// A value refined to relative 1e-6 (γ*, γ_c, h_max): seven significant digits, the last one uncertain.
    public static func refined(_ value: Double) -> String {
        number(value, digits: 7)
    }

    public static func complex(_ z: Complex<Double>, digits: Int = 6) -> String {
        let im = z.imaginary
        if im == 0 { return number(z.real, digits: digits) }
        return "\(number(z.real, digits: digits)) \(im < 0 ? "−" : "+") \(number(abs(im), digits: digits))i"
    }
}
