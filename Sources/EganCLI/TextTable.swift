import Foundation
import Numerics

/// Number formatting for human-readable output (JSON and CSV carry full precision).
enum Format {
    /// `digits` significant digits, no trailing noise; exact zero prints as 0.
    static func number(_ value: Double, digits: Int = 6) -> String {
        if value == 0 { return "0" }
        if !value.isFinite { return "\(value)" }
        return String(format: "%.\(digits)g", value)
    }

    static func complex(_ z: Complex<Double>, digits: Int = 6) -> String {
        let im = z.imaginary
        if im == 0 { return number(z.real, digits: digits) }
        return "\(number(z.real, digits: digits)) \(im < 0 ? "−" : "+") \(number(abs(im), digits: digits))i"
    }
}

/// Aligned plain-text tables.
enum TextTable {
    /// Columns padded to their widest cell, numbers right-aligned.
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == cells.count - 1 && Double(cell) == nil ? cell + pad : pad + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// "key  value" lines with aligned values.
    static func keyValue(_ rows: [(String, String)]) -> String {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n") + "\n"
    }
}
