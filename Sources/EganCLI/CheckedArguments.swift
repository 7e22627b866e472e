import ArgumentParser
import Foundation

/// Flag values checked once, where they are parsed (argument-parser's `transform`), so no command receives a
/// count that overflows later or a seed that traps. argument-parser wraps a thrown error as
/// "The value 'X' is invalid for '--flag <flag>': REASON", so each reason says only what is allowed.
enum Checked {
    /// The largest count any flag accepts: grid points, samples, seeds, networks, latent samples. Above it a
    /// run would take days or the memory budget would refuse it anyway; the message says so before anything runs.
    static let maximumCount = 1_000_000

    /// A random seed: a whole number from 0 to 2³² − 1 (GSL's mt19937 keeps 32 bits, so larger seeds would
    /// silently repeat smaller ones).
    static func seed(_ text: String) throws -> Int {
        guard let value = Int(text), value >= 0, value <= Int(UInt32.max) else {
            throw ValidationError("a seed is a whole number from 0 to 4294967295")
        }
        return value
    }

    /// A count in `range` (for example grid points ≥ 2), read as a whole number.
    static func count(_ text: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw ValidationError("give a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A count of at least `minimum`, at most `maximumCount`.
    static func count(atLeast minimum: Int) -> @Sendable (String) throws -> Int {
        { try count($0, in: minimum...maximumCount) }
    }

    /// A finite number (rejects "nan", "inf", and hexadecimal forms such as 0x10, which Double(_:) would read).
    static func finite(_ text: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.lowercased().contains("x"), let value = Double(trimmed), value.isFinite else {
            throw ValidationError("give a finite decimal number such as 0.5 or 1e-3")
        }
        return value
    }

    /// A regulariser strength: finite, ≥ 0 and at most 1e15 (the config's own bound: above it the flow's products
    /// overflow).
    static func strength(_ text: String) throws -> Double {
        let value = try finite(text)
        guard value >= 0, value <= 1e15 else { throw ValidationError("give a strength γ from 0 to 1e15") }
        return value
    }

    /// An end of a searched γ interval: from 1e-12 to 1e15. Below 1e-12 no regulariser acts within a flow's
    /// rounding (and a denormal end sends the log scan and its refinement crawling); above 1e15 the flow's
    /// products overflow, as the config's own bound says.
    static func strengthEnd(_ text: String) throws -> Double {
        let value = try finite(text)
        guard value >= 1e-12, value <= 1e15 else { throw ValidationError("give a strength γ from 1e-12 to 1e15") }
        return value
    }

    /// A finite number > 0.
    static func positive(_ text: String) throws -> Double {
        let value = try finite(text)
        guard value > 0 else { throw ValidationError("give a number > 0") }
        return value
    }
}
