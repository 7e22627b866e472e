import EffectiveGAN
import Foundation
import GSLBridge

/// The table, CSV and JSON (schema `egan.simulate/1`) forms of a simulation, and its trajectories file.
public enum SimulationForms {
    public static let columns = [
        "t", "distance", "theta_norm", "grad_norm", "collapse", "w2", "covered", "collapse_cos", "covered_cos",
        "mean_abs_cos",
    ]

    public static func values(_ o: Observables) -> [Double] {
        [
            o.distance, o.thetaNorm, o.gradientNorm, o.collapse, o.wasserstein2, Double(o.coveredModes),
            o.cosineCollapse, Double(o.cosineCoveredModes), o.meanAbsoluteCosine,
        ]
    }

    public static func csv(_ result: SimulationResult) -> String {
        var lines = [columns.joined(separator: ",")]
        for (t, o) in zip(result.times, result.observables) {
            lines.append(
                ([t] + values(o)).map { "\($0)" }.joined(separator: ",").replacingOccurrences(of: ".0,", with: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func table(_ result: SimulationResult) -> String {
        TextTable.render(
            header: columns,
            rows: zip(result.times, result.observables).map { t, o in
                ([t] + values(o)).map { Format.number($0) }
            })
    }

    /// Why a run stopped early, with how many samples it kept; nil for a completed run.
    public static func stopNote(_ result: SimulationResult) -> String? {
        guard case let .stopped(reason, _) = result.status else { return nil }
        return "stopped: \(reason); the \(result.times.count) samples before it are shown\n"
    }

    /// The table of `egan simulate`: the samples, the integrator's work, and why it stopped if it did.
    public static func summary(_ result: SimulationResult) -> String {
        table(result) + "integrator: \(result.statistics.summary)\n" + (stopNote(result) ?? "")
    }

    public static func json(_ result: SimulationResult, name: String, gamma: Double) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("schema", .string("egan.simulate/1")), ("model", .string(name)), ("gamma", .number(gamma)),
            ("status", result.status.json), ("t", .numbers(result.times)),
        ]
        for (k, column) in columns.dropFirst().enumerated() {
            pairs.append((column, .numbers(result.observables.map { values($0)[k] })))
        }
        pairs.append(("integrator", result.statistics.json))
        pairs.append(("finalState", .numbers(result.finalState)))
        return .object(pairs)
    }

    public static func trajectories(_ result: SimulationResult, model: EffectiveModel) -> String {
        var lines = ["t,particle," + (1...model.dimension).map { "x\($0)" }.joined(separator: ",")]
        for (t, state) in zip(result.times, result.states) {
            for i in 0..<model.particleCount {
                let coordinates = (0..<model.dimension).map { "\(state[i * model.dimension + $0])" }
                lines.append("\(t),\(i)," + coordinates.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension SimulationResult.Status {
    /// `{completed}`, plus `reason` and `time` when the run stopped early (simulate and convergence JSON).
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("completed", .bool(self == .completed))]
        if case let .stopped(reason, time) = self { pairs += [("reason", .string(reason)), ("time", .number(time))] }
        return .object(pairs)
    }
}
