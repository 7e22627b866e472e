import Foundation

/// A CSV file of numbers: one point per row, fields separated by commas, an optional header row (every field
/// non-numeric), blank lines and `#` comment lines skipped, LF or CRLF line ends. Every row must have as many fields as the first.
public struct CSVTable: Sendable {
    public let rows: [[Double]]

    public init(text: String) throws {
        var rows: [[Double]] = []
        var width: Int?
        // Lines end in LF or CRLF (a Swift Character holds "\r\n" whole, so split on newlines, not on "\n").
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let numbers = fields.map(Self.decimal)
            if rows.isEmpty, width == nil, numbers.allSatisfy({ $0 == nil }) {
                width = fields.count  // a header row
                continue
            }
            if let column = numbers.firstIndex(where: { $0 == nil || !$0!.isFinite }) {
                throw DataFileError(
                    "line \(offset + 1), column \(column + 1): '\(fields[column])' is not a finite number")
            }
            if let width, fields.count != width {
                throw DataFileError(
                    "line \(offset + 1) has \(fields.count) fields but the first row has \(width); every point needs the same dimension"
                )
            }
            width = fields.count
            rows.append(numbers.map { $0! })
        }
        guard !rows.isEmpty else { throw DataFileError("holds no data rows (one point per line, comma-separated)") }
        self.rows = rows
    }

    /// A decimal number as CSV writers print it (digits, sign, point, exponent): `Double(_:)` alone would also
    /// take hexadecimal ("0x10" = 16), "inf" and "nan", which no data file means.
    static func decimal(_ field: String) -> Double? {
        guard !field.isEmpty, field.allSatisfy({ "0123456789+-.eE".contains($0) }) else { return nil }
        return Double(field)
    }
}
