import EffectiveGAN
import Foundation
import GSLBridge

/// The table, CSV and JSON (schema `egan.crosscheck/1`) forms of cross-checks (`egan crosscheck`, reports).
public enum CrossCheckForms {
    /// - Parameter simulated: what was simulated, `particles` (the effective model) or `network` (the generator
    ///   network's own weights).
    public static func json(_ checks: [CrossCheck], name: String, simulated: String) -> JSONValue {
        .object([
            ("schema", .string("egan.crosscheck/1")), ("model", .string(name)),
            ("passed", .bool(checks.allSatisfy(\.passed))), ("checks", .array(checks.map(\.json))),
            ("simulated", .string(simulated)),
        ])
    }

    public static func csv(_ checks: [CrossCheck]) -> String {
        "gamma,predicted_rate,measured_rate,rate_error,predicted_frequency,measured_frequency,frequency_error,t_end,regime,passed\n"
            + checks.map { c in
                [
                    c.gamma, c.predictedRate, c.measuredRate, c.rateError, c.predictedFrequency, c.measuredFrequency,
                    c.frequencyError, c.tEnd,
                ].map { "\($0)" }.joined(separator: ",") + ",\(c.regime.rawValue),\(c.passed)\n"
            }.joined()
    }

    /// - Parameter network: the checks trained a generator network's own weights (said above the table).
    public static func table(_ checks: [CrossCheck], name: String, network: Bool = false) -> String {
        (network ? "the generator network itself trained (w, θ), against the effective model with Θ(w*)\n" : "")
            + "\(name): linear prediction vs nonlinear simulation (tolerance \(Format.number(checks.first?.tolerance ?? 0)))\n"
            + TextTable.render(
                header: CrossCheck.tableHeader,
                rows: checks.map(\.tableCells))
            + checks.map { "integrator at γ = \(Format.number($0.gamma)): \($0.statistics.summary)\n" }.joined()
    }
}

extension CrossCheck {
    public var json: JSONValue {
        .object([
            ("gamma", .number(gamma)), ("regime", .string(regime.rawValue)), ("predictedRate", .number(predictedRate)),
            ("measuredRate", .number(measuredRate)), ("rateError", .number(rateError)),
            ("predictedFrequency", .number(predictedFrequency)), ("measuredFrequency", .number(measuredFrequency)),
            ("frequencyError", .number(frequencyError)), ("tEnd", .number(tEnd)), ("passed", .bool(passed)),
            ("integrator", statistics.json),
        ])
    }
}

extension CrossCheck {
    /// Column titles of the cross-check table, shared by `egan crosscheck` and reports.
    public static let tableHeader = [
        "γ", "regime", "rate pred.", "rate meas.", "rel. err", "freq. pred.", "freq. meas.", "rel. err", "result",
    ]

    /// One row of the cross-check table, formatted as `egan crosscheck` prints it.
    public var tableCells: [String] {
        [
            Format.number(gamma), regime.rawValue, Format.number(predictedRate), Format.number(measuredRate),
            String(format: "%.2e", rateError), Format.number(predictedFrequency), Format.number(measuredFrequency),
            String(format: "%.2e", frequencyError), passed ? "PASS" : "FAIL",
        ]
    }
}
