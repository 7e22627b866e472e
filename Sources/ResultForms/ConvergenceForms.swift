import EffectiveGAN
import Foundation

extension ConvergenceRun {
    public var json: JSONValue {
        .object([
            ("gamma", .number(gamma)), ("time", time.map(JSONValue.number) ?? .null),
            ("finalDistance", .number(finalDistance)), ("status", status.json), ("integrator", statistics.json),
        ])
    }
}

/// The JSON (schema `egan.convergence/1`), CSV and table forms of a convergence study: time to reach the
/// threshold at each γ, against the linear γ*.
public enum ConvergenceForms {
    /// The run that reached the threshold first, nil when none did.
    public static func fastest(_ runs: [ConvergenceRun]) -> ConvergenceRun? {
        runs.filter { $0.time != nil }.min { $0.time! < $1.time! }
    }

    /// - Parameter network: the runs trained a generator network's weights (`"simulated": "network"`), not
    ///   particles.
    public static func json(
        _ runs: [ConvergenceRun], name: String, measure: ConvergenceMeasure, threshold: Double, endTime: Double,
        optimum: OptimalStrength, network: Bool = false
    ) -> JSONValue {
        .object([
            ("schema", .string("egan.convergence/1")), ("model", .string(name)),
            ("measure", .string(measure.rawValue)), ("threshold", .number(threshold)), ("tEnd", .number(endTime)),
            ("linearOptimum", .object([("gamma", .number(optimum.gamma)), ("rate", .number(optimum.rate))])),
            ("fastestGamma", fastest(runs).map { .number($0.gamma) } ?? .null),
            ("runs", .array(runs.map(\.json))), ("simulated", .string(network ? "network" : "particles")),
        ])
    }

    public static func csv(_ runs: [ConvergenceRun]) -> String {
        "gamma,time,final_distance,completed,steps,rhs_evaluations,wall_time\n"
            + runs.map { run in
                [
                    "\(run.gamma)", run.time.map { "\($0)" } ?? "", "\(run.finalDistance)",
                    "\(run.status == .completed)", "\(run.statistics.steps)", "\(run.statistics.rhsEvaluations)",
                    "\(run.statistics.wallTime)",
                ].joined(separator: ",") + "\n"
            }.joined()
    }

    /// A run without a convergence time: still moving at the end, or stopped early (diverged, interrupted).
    static func unconverged(_ run: ConvergenceRun) -> String {
        if case let .stopped(_, time) = run.status { return "stopped at t = \(Format.number(time))" }
        return "not converged"
    }

    /// The table, then (when no run converged) why there is no fastest γ, then the linear γ*.
    public static func table(
        _ runs: [ConvergenceRun], measure: ConvergenceMeasure, threshold: Double, endTime: Double,
        optimum: OptimalStrength, network: Bool = false
    ) -> String {
        let fastest = fastest(runs)
        let rows = runs.map { run in
            [
                Format.number(run.gamma), run.time.map { Format.number($0) } ?? Self.unconverged(run),
                Format.number(run.finalDistance), "\(run.statistics.steps)", "\(run.statistics.rhsEvaluations)",
                "\(Format.number(run.statistics.wallTime, digits: 3)) s",
                run.gamma == fastest?.gamma ? "← fastest" : "",
            ]
        }
        let header = [
            "γ", "time", measure == .distance ? "final distance" : "final centre distance", "steps", "RHS", "wall", "",
        ]
        // A study in which nothing converged has no fastest γ: say why rather than leave a blank mark.
        var verdict = ""
        if fastest == nil {
            let stopped = runs.filter { $0.status != .completed }.count
            let why =
                stopped > 0
                ? "\(stopped) of \(runs.count) stopped early (diverged or interrupted: the reason is in the JSON status)"
                : "every run still oscillated or drifted (raise --t-end, or see 'egan simulate')"
            verdict = "no run fell below \(Format.number(threshold)) by t = \(Format.number(endTime)): \(why)\n"
        }
        return (network ? "the generator network itself trained (w, θ) from its initialisation w₀\n" : "")
            + TextTable.render(header: header, rows: rows) + verdict
            + "linear γ* = \(Format.number(optimum.gamma)) (r = \(Format.number(optimum.rate)))\n"
    }
}
