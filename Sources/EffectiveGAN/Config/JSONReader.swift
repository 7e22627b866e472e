/// Reads one JSON object field by field, tracking the dotted path for error messages and rejecting unknown keys.
///
/// Every accessor validates type and finiteness, so a NaN or infinity (e.g. `1e999`) never enters a model.
struct JSONReader {
    let path: String
    private let pairs: [String: JSONValue]

    init(_ value: JSONValue, path: String) throws {
        guard case let .object(pairs) = value else {
            throw ConfigError.wrongType(path: path.isEmpty ? "(top level)" : path, expected: "an object")
        }
        self.path = path
        self.pairs = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    /// Throws on any key outside `allowed`.
    func rejectUnknownKeys(allowed: [String]) throws {
        for key in pairs.keys.sorted() where !allowed.contains(key) {
            throw ConfigError.unknownKey(path: child(key), allowed: allowed)
        }
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func has(_ key: String) -> Bool { pairs[key] != nil && pairs[key] != .null }

    func raw(_ key: String) throws -> JSONValue {
        guard let value = pairs[key], value != .null else { throw ConfigError.missingKey(path: child(key)) }
        return value
    }

    func object(_ key: String) throws -> JSONReader { try JSONReader(raw(key), path: child(key)) }

    /// An array of objects, each read with its index in the path (`discriminator.layers[1].W`).
    func objects(_ key: String) throws -> [JSONReader] {
        guard case let .array(items) = try raw(key) else {
            throw ConfigError.wrongType(path: child(key), expected: "an array of objects")
        }
        return try items.enumerated().map { try JSONReader($1, path: "\(child(key))[\($0)]") }
    }

    func double(_ key: String) throws -> Double { try Self.double(raw(key), path: child(key)) }

    func double(_ key: String, default value: Double) throws -> Double { has(key) ? try double(key) : value }

    func int(_ key: String) throws -> Int { try Self.int(raw(key), path: child(key)) }

    func int(_ key: String, default value: Int) throws -> Int { has(key) ? try int(key) : value }

    func bool(_ key: String, default value: Bool) throws -> Bool {
        guard has(key) else { return value }
        guard case let .bool(flag) = try raw(key) else {
            throw ConfigError.wrongType(path: child(key), expected: "true or false")
        }
        return flag
    }

    func string(_ key: String) throws -> String {
        guard case let .string(text) = try raw(key) else {
            throw ConfigError.wrongType(path: child(key), expected: "a string")
        }
        return text
    }

    func string(_ key: String, default value: String) throws -> String { has(key) ? try string(key) : value }

    /// A string from a fixed set of choices.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type) throws -> T
    where T.RawValue == String {
        let text = try string(key)
        guard let value = T(rawValue: text) else {
            let choices = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigError.invalidValue(path: child(key), reason: "is '\(text)'; choose one of: \(choices)")
        }
        return value
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type, default value: T) throws -> T
    where T.RawValue == String {
        has(key) ? try choice(key, as: type) : value
    }

    func doubles(_ key: String) throws -> [Double] { try Self.doubles(raw(key), path: child(key)) }

    /// An array of equally long number arrays (points or matrix rows).
    func rows(_ key: String) throws -> [[Double]] {
        guard case let .array(items) = try raw(key) else {
            throw ConfigError.wrongType(path: child(key), expected: "an array of number arrays")
        }
        let rows = try items.enumerated().map { try Self.doubles($1, path: "\(child(key))[\($0)]") }
        if let width = rows.first?.count, let bad = rows.firstIndex(where: { $0.count != width }) {
            throw ConfigError.invalidValue(
                path: "\(child(key))[\(bad)]", reason: "has \(rows[bad].count) entries but row 0 has \(width)")
        }
        return rows
    }

    static func double(_ value: JSONValue, path: String) throws -> Double {
        let number: Double
        switch value {
        case let .number(x): number = x
        case let .integer(n): number = Double(n)
        default: throw ConfigError.wrongType(path: path, expected: "a number")
        }
        guard number.isFinite else {
            throw ConfigError.invalidValue(path: path, reason: "must be finite (got \(number))")
        }
        return number
    }

    static func int(_ value: JSONValue, path: String) throws -> Int {
        let number = try double(value, path: path)
        guard number == number.rounded(), abs(number) < 1e15 else {
            throw ConfigError.wrongType(path: path, expected: "a whole number (got \(number))")
        }
        return Int(number)
    }

    static func doubles(_ value: JSONValue, path: String) throws -> [Double] {
        guard case let .array(items) = value else {
            throw ConfigError.wrongType(path: path, expected: "an array of numbers")
        }
        return try items.enumerated().map { try double($1, path: "\(path)[\($0)]") }
    }
}
