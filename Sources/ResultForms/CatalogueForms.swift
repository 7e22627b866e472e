import EffectiveGAN
import Foundation

/// The forms of the small listings: the built-in presets (`egan presets`, schema `egan.presets/1`), a written
/// report's summary (`egan report`, schema `egan.report/1`) and benchmark timings (`egan bench`, schema
/// `egan.bench/1`).
public enum PresetForms {
    public static func json() -> JSONValue {
        .object([
            ("schema", .string("egan.presets/1")),
            (
                "presets",
                .array(Preset.allCases.map { .object([("name", .string($0.rawValue)), ("summary", .string($0.summary))]) })
            ),
        ])
    }

    public static func table() -> String {
        let width = Preset.allCases.map(\.rawValue.count).max() ?? 0
        return Preset.allCases.map { $0.rawValue.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.summary }
            .joined(separator: "\n") + "\n"
    }
}

/// What a report run wrote, and its headline numbers.
public struct ReportSummary: Sendable {
    public let name: String
    /// The Markdown file.
    public let path: String
    /// The figure files beside it.
    public let figures: [String]
    public let gammaStar: Double
    public let rate: Double
    /// The global run's outcome, in a sentence.
    public let globalOutcome: String

    public init(name: String, path: String, figures: [String], gammaStar: Double, rate: Double, globalOutcome: String) {
        self.name = name
        self.path = path
        self.figures = figures
        self.gammaStar = gammaStar
        self.rate = rate
        self.globalOutcome = globalOutcome
    }

    public var json: JSONValue {
        .object([
            ("schema", .string("egan.report/1")), ("model", .string(name)), ("report", .string(path)),
            ("figures", .array(figures.map { .string($0) })), ("gammaStar", .number(gammaStar)),
            ("rate", .number(rate)), ("globalOutcome", .string(globalOutcome)),
        ])
    }

    public var text: String {
        "wrote \(path) (γ* = \(Format.refined(gammaStar)), r = \(Format.refined(rate)))\n"
            + figures.map { "  figure \($0)\n" }.joined()
    }
}

/// One benchmark workload's timings.
public struct BenchTiming: Sendable {
    public let workload: String
    /// The workload's state dimension (its size).
    public let dimension: Int
    public let median: Double
    public let minimum: Double
    public let repeats: Int

    public init(workload: String, dimension: Int, median: Double, minimum: Double, repeats: Int) {
        self.workload = workload
        self.dimension = dimension
        self.median = median
        self.minimum = minimum
        self.repeats = repeats
    }
}

public enum BenchForms {
    static func cells(_ t: BenchTiming) -> [String] {
        [t.workload, "\(t.dimension)", String(format: "%.4f", t.median), String(format: "%.4f", t.minimum), "\(t.repeats)"]
    }

    public static func json(_ timings: [BenchTiming], vectorMathBits: Int) -> JSONValue {
        .object([
            ("schema", .string("egan.bench/1")), ("vectorMathBits", .integer(vectorMathBits)),
            (
                "workloads",
                .array(
                    timings.map {
                        .object([
                            ("workload", .string($0.workload)), ("dimension", .integer($0.dimension)),
                            ("median", .number($0.median)), ("min", .number($0.minimum)),
                            ("repeats", .integer($0.repeats)),
                        ])
                    })
            ),
        ])
    }

    public static func csv(_ timings: [BenchTiming]) -> String {
        "workload,dimension,median,min,repeats\n" + timings.map { cells($0).joined(separator: ",") + "\n" }.joined()
    }

    public static func table(_ timings: [BenchTiming], vectorMathBits: Int) -> String {
        TextTable.render(header: ["workload", "dimension", "median s", "min s", "repeats"], rows: timings.map(cells))
            + "vector math: \(vectorMathBits)-bit libmvec\n"
    }
}
