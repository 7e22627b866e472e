import EffectiveGAN
import Foundation

/// The table, CSV and JSON (schema `egan.sweep/1`) forms of a sweep (`egan sweep`).
public enum SweepForms {
    public static func row(_ point: SweepPoint) -> [String] {
        let s = point.spectrum
        return [
            Format.number(point.value), s.regime.rawValue, Format.number(s.rate),
            s.dominantMode.map { Format.complex($0.resolvedEigenvalue) } ?? "—",
            "\(s.count(of: .neutral))", "\(s.count(of: .oscillatory))", "\(s.count(of: .real))",
        ]
    }

    public static func table(_ sweep: Sweep, critical: [CriticalPoint]) -> String {
        var text = TextTable.render(
            header: [sweep.parameter.path, "regime", "rate r", "dominant λ", "neutral", "oscill.", "real"],
            rows: sweep.points.map(row))
        text += critical.isEmpty ? "\nno critical points on this grid\n" : "\ncritical points\n"
        for point in critical {
            text +=
                "  \(sweep.parameter.path) = \(Format.refined(point.value))  \(point.below.rawValue) → \(point.above.rawValue) (\(point.mechanism.rawValue))\n"
        }
        return text
    }

    public static func csv(_ sweep: Sweep) -> String {
        var lines = ["value,regime,rate,dominant_re,dominant_im,neutral,oscillatory,real,unstable"]
        for point in sweep.points {
            let s = point.spectrum
            let dominant = s.dominantMode?.resolvedEigenvalue
            lines.append(
                [
                    "\(point.value)", s.regime.rawValue, "\(s.rate)", dominant.map { "\($0.real)" } ?? "",
                    dominant.map { "\($0.imaginary)" } ?? "", "\(s.count(of: .neutral))",
                    "\(s.count(of: .oscillatory))",
                    "\(s.count(of: .real))", "\(s.unstableCount)",
                ].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(
        _ sweep: Sweep, name: String, critical: [CriticalPoint], branches: [Branch], merges: [BranchMerge]
    ) -> JSONValue {
        .object([
            ("schema", .string("egan.sweep/1")), ("model", .string(name)), ("parameter", .string(sweep.parameter.path)),
            (
                "points",
                .array(
                    sweep.points.map { point in
                        // A sweep over γ also names its column for what it is.
                        .object(
                            [("value", .number(point.value))]
                                + (sweep.parameter == .strength ? [("gamma", .number(point.value))] : []) + [
                                    ("regime", .string(point.spectrum.regime.rawValue)),
                                    ("rate", .number(point.spectrum.rate)),
                                    ("dominant", point.spectrum.dominantMode?.json ?? .null),
                                    ("counts", point.spectrum.countsJSON),
                                ])
                    })
            ),
            ("criticalPoints", .array(critical.map(\.json))),
            (
                "branchMerges",
                .array(merges.map(\.json))
            ),
            ("branches", .array(branches.map(\.json))),
        ])
    }
}

extension CriticalPoint {
    public var json: JSONValue {
        .object([
            ("value", .number(value)), ("below", .string(below.rawValue)), ("above", .string(above.rawValue)),
            ("mechanism", .string(mechanism.rawValue)),
        ])
    }
}

extension Branch {
    /// The JSON form: the real and imaginary parts along the grid.
    public var json: JSONValue {
        .object([
            ("re", .numbers(eigenvalues.map(\.real))), ("im", .numbers(eigenvalues.map(\.imaginary))),
        ])
    }
}

extension BranchMerge {
    /// `{value, eigenvalue}`, as `sweep` and `optimize` write it.
    public var json: JSONValue { .object([("value", .number(value)), ("eigenvalue", .number(eigenvalue))]) }
}
