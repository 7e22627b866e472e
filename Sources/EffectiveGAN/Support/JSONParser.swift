#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small strict JSON parser (RFC 8259) that keeps object keys in document order and reads numbers correctly
/// rounded, so written numbers round-trip bit for bit and an overflowing literal such as `1e999` becomes infinity
/// (which the config reader then rejects by field name) instead of an opaque decoding error.
///
/// Speed (issue #14: a 13 MB d = 784 resolved model must load in well under a second): one pass over the bytes, the
/// number grammar checked by hand, and numbers converted without building a `String`: exactly when the decimal
/// significand has at most 15 digits and the power of ten at most 22 (both then exact doubles, one rounding), else
/// by C's `strtod` on the validated span (correctly rounded in glibc), falling back to Swift's `Double(_:)` if
/// `strtod` does not consume exactly that span (a process locale with another decimal separator).
struct JSONParser {
    struct Failure: Error {
        let message: String
    }

    private var bytes: [UInt8]
    private var index = 0

    /// The document, followed by one NUL byte so that `strtod` always stops inside the buffer.
    init(bytes: [UInt8]) {
        self.bytes = bytes
        count = bytes.count
        self.bytes.append(0)
    }

    /// The document's length (without the terminating NUL).
    private let count: Int

    mutating func parseDocument() throws -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == count else { throw failure("unexpected text after the JSON value") }
        return value
    }

    private mutating func parseValue(depth: Int) throws -> JSONValue {
        guard depth < 512 else { throw failure("nesting deeper than 512 levels") }
        guard index < count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("unexpected character '\(Character(Unicode.Scalar(bytes[index])))'")
        }
    }

    private mutating func parseObject(depth: Int) throws -> JSONValue {
        index += 1
        var pairs: [(String, JSONValue)] = []
        skipWhitespace()
        if peek(UInt8(ascii: "}")) { index += 1; return .object(pairs) }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw failure("expected a quoted key") }
            let key = try parseString()
            if pairs.contains(where: { $0.0 == key }) { throw failure("duplicate key \"\(key)\"") }
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            pairs.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { index += 1; continue }
            try expect(UInt8(ascii: "}"))
            return .object(pairs)
        }
    }

    private mutating func parseArray(depth: Int) throws -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { index += 1; continue }
            try expect(UInt8(ascii: "]"))
            return .array(items)
        }
    }

    private mutating func parseString() throws -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() {
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            raw.removeAll()
        }
        while index < count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush()
                guard index < count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    scalars.append(try parseUnicodeEscape())
                default: throw failure("bad escape in string")
                }
            case 0..<0x20:
                throw failure("control character in string")
            default:
                raw.append(byte)
            }
        }
        throw failure("unterminated string")
    }

    /// The scalar of a `\uXXXX` escape (index just after the `u`), joining a UTF-16 surrogate pair written as two
    /// escapes; a lone surrogate is an error (it is no Unicode scalar).
    private mutating func parseUnicodeEscape() throws -> Unicode.Scalar {
        let high = try hexQuad()
        if (0xD800..<0xDC00).contains(high) {
            guard index + 1 < count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw failure("unpaired surrogate \\u\(String(high, radix: 16, uppercase: true))")
            }
            index += 2
            let low = try hexQuad()
            guard (0xDC00..<0xE000).contains(low) else {
                throw failure("unpaired surrogate \\u\(String(high, radix: 16, uppercase: true))")
            }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
        }
        guard let scalar = Unicode.Scalar(high) else {
            throw failure("unpaired surrogate \\u\(String(high, radix: 16, uppercase: true))")
        }
        return scalar
    }

    /// Four hexadecimal digits.
    private mutating func hexQuad() throws -> UInt32 {
        guard index + 4 <= count else { throw failure("bad \\u escape") }
        var code: UInt32 = 0
        for byte in bytes[index..<(index + 4)] {
            guard let value = Character(Unicode.Scalar(byte)).hexDigitValue else { throw failure("bad \\u escape") }
            code = code * 16 + UInt32(value)
        }
        index += 4
        return code
    }

    /// Powers of ten that are exact doubles.
    private static let exactPowers: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, converted correctly rounded.
    private mutating func parseNumber() throws -> Double {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var significand: UInt64 = 0
        var digits = 0  // significant digits accumulated (leading zeros not counted)
        var scale = 0  // power of ten applied to `significand`
        var exact = true
        func digit(_ byte: UInt8) -> UInt64? {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? UInt64(byte - UInt8(ascii: "0")) : nil
        }
        func accumulate(_ value: UInt64, fraction: Bool) {
            if significand == 0 && value == 0 {
                if fraction { scale -= 1 }
                return
            }
            if digits < 19 {
                significand = significand * 10 + value
                digits += 1
                if fraction { scale -= 1 }
            } else {
                exact = false
                if !fraction { scale += 1 }
            }
        }
        guard index < count, let first = digit(bytes[index]) else { throw malformedNumber(from: start) }
        index += 1
        accumulate(first, fraction: false)
        if first != 0 {
            while index < count, let value = digit(bytes[index]) {
                accumulate(value, fraction: false)
                index += 1
            }
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < count, digit(bytes[index]) != nil else { throw malformedNumber(from: start) }
            while index < count, let value = digit(bytes[index]) {
                accumulate(value, fraction: true)
                index += 1
            }
        }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentSign = 1
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                if bytes[index] == UInt8(ascii: "-") { exponentSign = -1 }
                index += 1
            }
            guard index < count, digit(bytes[index]) != nil else { throw malformedNumber(from: start) }
            var exponent = 0
            while index < count, let value = digit(bytes[index]) {
                exponent = min(exponent * 10 + Int(value), 100_000)
                index += 1
            }
            scale += exponentSign * exponent
        }
        if index < count,
            [
                UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"),
                UInt8(ascii: "-"),
            ].contains(bytes[index]) || digit(bytes[index]) != nil
        {
            throw malformedNumber(from: start)
        }
        if exact, digits <= 15, abs(scale) <= 22 {
            let magnitude = Double(significand)
            let value = scale >= 0 ? magnitude * Self.exactPowers[scale] : magnitude / Self.exactPowers[-scale]
            return negative ? -value : value
        }
        return convert(from: start)
    }

    /// The validated number bytes[start..<index] by `strtod`, or by Swift if `strtod` reads another span.
    private func convert(from start: Int) -> Double {
        bytes.withUnsafeBufferPointer { buffer in
            let text = UnsafeRawPointer(buffer.baseAddress! + start).assumingMemoryBound(to: CChar.self)
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(text, &end)
            if let end, UnsafeRawPointer(end) == UnsafeRawPointer(buffer.baseAddress! + index) { return value }
            return Double(String(decoding: buffer[start..<index], as: UTF8.self)) ?? .nan
        }
    }

    private func malformedNumber(from start: Int) -> Failure {
        var end = index
        let numberBytes = Set("+-0123456789.eE".utf8)
        while end < count, numberBytes.contains(bytes[end]) { end += 1 }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        return failure("malformed number '\(text)'", at: start)
    }

    private mutating func expectLiteral(_ literal: String) throws {
        let utf8 = Array(literal.utf8)
        guard index + utf8.count <= count, Array(bytes[index..<(index + utf8.count)]) == utf8 else {
            throw failure("unexpected word (JSON has no NaN or Infinity; use a finite number)")
        }
        index += utf8.count
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard peek(byte) else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    private func peek(_ byte: UInt8) -> Bool { index < count && bytes[index] == byte }

    private mutating func skipWhitespace() {
        while index < count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func failure(_ reason: String, at position: Int? = nil) -> Failure {
        let index = position ?? self.index
        let prefix = bytes[..<min(index, count)]
        let line = prefix.lazy.filter { $0 == 0x0A }.count + 1
        let column = index - (prefix.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
        return Failure(message: "\(reason) at line \(line), column \(column)")
    }
}
