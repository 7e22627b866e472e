import Foundation
import GSLBridge
import Testing

@testable import EffectiveGAN

/// Issue #14: the JSON reader that loads configs and resolved models (escapes, Unicode, limits, numbers).
@Suite("JSON parser")
struct JSONParserTests {
    static func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Data(text.utf8), source: "test") }

    static func number(_ text: String) throws -> Double {
        guard case let .number(value) = try parse(text) else { throw ConfigError.missingKey(path: text) }
        return value
    }

    static func failure(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("escapes and surrogate pairs decode; lone surrogates are refused")
    func strings() throws {
        #expect(try Self.parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{08}\u{0C}\n\r\t"))
        #expect(try Self.parse(#""\u00e9\u4E2D\ud83d\ude00x""#) == .string("é中😀x"))
        #expect(try Self.parse("\"é😀\"") == .string("é😀"))
        #expect(Self.failure(#""\ud83d""#)?.contains("unpaired surrogate") == true)
        #expect(Self.failure(#""\ud83dx""#)?.contains("unpaired surrogate") == true)
        #expect(Self.failure(#""\ude00""#)?.contains("unpaired surrogate") == true)
        #expect(Self.failure(#""\u12G4""#)?.contains(#"bad \u escape"#) == true)
        #expect(Self.failure(#""\q""#)?.contains("bad escape") == true)
        #expect(Self.failure("\"a\nb\"")?.contains("control character") == true)
        #expect(Self.failure(#""open"#)?.contains("unterminated string") == true)
    }

    @Test("objects keep key order; duplicate keys and deep nesting are refused")
    func structure() throws {
        guard case let .object(pairs) = try Self.parse(#"{"z": 1, "a": [true, false, null], "m": {}}"#) else {
            Issue.record("not an object")
            return
        }
        #expect(pairs.map(\.0) == ["z", "a", "m"])
        #expect(pairs[1].1 == .array([.bool(true), .bool(false), .null]))
        #expect(Self.failure(#"{"a": 1, "a": 2}"#)?.contains("duplicate key \"a\"") == true)
        #expect(try Self.parse(String(repeating: "[", count: 512) + String(repeating: "]", count: 512)) != .null)
        #expect(
            Self.failure(String(repeating: "[", count: 513) + String(repeating: "]", count: 513))?.contains(
                "deeper than 512") == true)
        #expect(Self.failure("[1, 2,]") != nil)
        #expect(Self.failure("{\"a\" 1}")?.contains("expected ':'") == true)
        #expect(Self.failure("[1] x")?.contains("unexpected text") == true)
        #expect(Self.failure("[1,\n  2,\n  NaN]")?.contains("line 3, column 3") == true)
    }

    @Test("numbers at the edges of the double range, correctly rounded")
    func numberEdges() throws {
        #expect(try Self.number("0") == 0)
        #expect(try Self.number("-0").sign == .minus)
        #expect(try Self.number("1.7976931348623157e308") == .greatestFiniteMagnitude)
        #expect(try Self.number("1e309") == .infinity)
        #expect(try Self.number("-1e999999999999") == -.infinity)
        #expect(try Self.number("4.9406564584124654e-324") == .leastNonzeroMagnitude)
        #expect(try Self.number("2.2250738585072014e-308") == .leastNormalMagnitude)
        #expect(try Self.number("1e-400") == 0)
        #expect(try Self.number("9007199254740993") == 9_007_199_254_740_992)  // 2⁵³ + 1: ties to even
        #expect(try Self.number("0.1") == 0.1)
        #expect(try Self.number("123456789012345678901234567890") == 123456789012345678901234567890.0)
        // Exactly halfway between 1 and 1 + 2⁻⁵²: ties to even (1); one more digit rounds up.
        #expect(try Self.number("1.00000000000000011102230246251565404236316680908203125") == 1)
        #expect(try Self.number("1.000000000000000111022302462515654042363166809082031251") == 1.nextUp)
        #expect(try Self.number("0.000000000000000000000000000001e30") == 1)
        for bad in ["01", "1.", ".5", "-", "1e", "+1", "1.5e+", "--1", "1-2", "0x10", "1e5.5", "NaN", "Infinity"] {
            #expect(Self.failure("[\(bad)]") != nil, "\(bad) must be refused")
        }
    }

    /// Differential test: random doubles written in shortest form and random decimal strings (1–25 digits, any
    /// exponent) read back exactly as Swift's correctly rounded `Double(_:)` reads them.
    @Test("random numbers read exactly as Swift's Double(_:) reads them")
    func randomNumbers() throws {
        let rng = MersenneTwister(seed: 17)
        func below(_ bound: Int) -> Int { min(bound - 1, Int(rng.uniform() * Double(bound))) }
        var texts: [String] = []
        for _ in 0..<4000 {
            let bits = UInt64(below(1 << 32)) << 32 | UInt64(below(1 << 32))
            let value = Double(bitPattern: bits)
            if value.isFinite { texts.append("\(value)") }
            let digits = 1 + below(25)
            let mantissa = String((0..<digits).map { _ in Character("\(below(10))") })
            let point = below(digits + 1)
            let exponent = below(700) - 350
            let leading = mantissa.drop { $0 == "0" }
            let integer = point == 0 || leading.isEmpty ? "0" : String(mantissa.prefix(point).drop { $0 == "0" })
            let fraction = String(mantissa.dropFirst(point))
            let text =
                (integer.isEmpty ? "0" : integer) + (fraction.isEmpty ? "" : "." + fraction) + "e\(exponent)"
            texts.append(below(2) == 0 ? text : "-" + text)
        }
        let document = "[" + texts.joined(separator: ",") + "]"
        guard case let .array(values) = try Self.parse(document) else {
            Issue.record("not an array")
            return
        }
        var mismatches: [String] = []
        for (text, value) in zip(texts, values) where value != .number(Double(text)!) {
            mismatches.append(text)
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(texts.count) differ, e.g. \(mismatches.prefix(3))")
    }
}
