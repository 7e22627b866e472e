import Foundation

/// A JSON document as a value, with object keys kept in insertion order.
///
/// Ordered keys make every `--json` output and every resolved model byte-stable: the same run prints the same
/// bytes. Numbers are written with Swift's shortest round-trip representation, and read back by `JSONParser`'s
/// correctly rounded conversion, so a resolved model re-read reproduces every `Double` bit for bit. Not `indirect`:
/// arrays and objects already live on the heap, and an indirect enum would box every number of a 13 MB model.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b || (a.isNaN && b.isNaN)
        case let (.integer(a), .integer(b)): return a == b
        case let (.integer(a), .number(b)), let (.number(b), .integer(a)): return Double(a) == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The value stored under `key` in an object, or `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// A number array.
    public static func numbers(_ values: [Double]) -> JSONValue { .array(values.map(JSONValue.number)) }

    /// A matrix as an array of rows.
    public static func rows(_ values: [[Double]]) -> JSONValue { .array(values.map(numbers)) }
}

// MARK: - Parsing

extension JSONValue {
    /// Parses JSON text (RFC 8259) with `JSONParser`.
    ///
    /// - Throws: `ConfigError.invalidJSON` with the line and column of the first problem.
    public static func parse(_ data: Data, source: String) throws -> JSONValue {
        do {
            var parser = JSONParser(bytes: Array(data))
            return try parser.parseDocument()
        } catch let error as JSONParser.Failure {
            throw ConfigError.invalidJSON(source: source, reason: error.message)
        }
    }
}

// MARK: - Writing

extension JSONValue {
    /// Compact JSON text, keys in insertion order.
    public var compactText: String {
        var out = ""
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// Pretty JSON text (two-space indent); arrays of scalars stay on one line so matrices read as rows.
    public var prettyText: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    private func write(to out: inout String, indent: String?, level: Int) {
        switch self {
        case .null: out += "null"
        case let .bool(value): out += value ? "true" : "false"
        case let .number(value): out += JSONValue.format(value)
        case let .integer(value): out += String(value)
        case let .string(value): JSONValue.writeString(value, to: &out)
        case let .array(items):
            let inline = indent == nil || items.allSatisfy(\.isScalar)
            out += "["
            for (k, item) in items.enumerated() {
                if k > 0 { out += inline && indent != nil ? ", " : "," }
                if !inline, let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                item.write(to: &out, indent: indent, level: level + 1)
            }
            if !inline, let indent, !items.isEmpty { out += "\n" + String(repeating: indent, count: level) }
            out += "]"
        case let .object(pairs):
            out += "{"
            for (k, (key, value)) in pairs.enumerated() {
                if k > 0 { out += "," }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                JSONValue.writeString(key, to: &out)
                out += indent == nil ? ":" : ": "
                value.write(to: &out, indent: indent, level: level + 1)
            }
            if let indent, !pairs.isEmpty { out += "\n" + String(repeating: indent, count: level) }
            out += "}"
        }
    }

    /// Shortest round-trip decimal form; JSON has no NaN or infinity, so those become `null`.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(format: "%.1f", value) }
        return "\(value)"
    }

    private static func writeString(_ value: String, to out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension JSONValue {
    /// The same document with every number that is a whole number below 2⁵³ in magnitude written as an integer
    /// (`8`, not `8.0`): a config printed for a person to edit (`egan model CONFIG --config`). Equal as JSON values.
    public var integralNumbersAsIntegers: JSONValue {
        switch self {
        case let .number(value) where value == value.rounded() && abs(value) < 9_007_199_254_740_992:
            return .integer(Int(value))
        case let .array(values):
            return .array(values.map(\.integralNumbersAsIntegers))
        case let .object(pairs):
            return .object(pairs.map { ($0.0, $0.1.integralNumbersAsIntegers) })
        default:
            return self
        }
    }
}
