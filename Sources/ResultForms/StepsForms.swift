import EffectiveGAN
import Foundation

/// The largest stable step size of discrete training at one γ (`egan steps`), and the contraction per round at a
/// given step when one was asked for.
public struct StepSizeLimit: Sendable {
    public let gamma: Double
    /// h_max; 0 when no step is stable (the flow itself is not asymptotically stable).
    public let largestStableStep: Double
    public let contraction: Double?

    public init(gamma: Double, largestStableStep: Double, contraction: Double?) {
        self.gamma = gamma
        self.largestStableStep = largestStableStep
        self.contraction = contraction
    }
}

/// The JSON (schema `egan.steps/1`), CSV and table forms of a step-size scan.
public enum StepsForms {
    public static func json(
        _ points: [StepSizeLimit], name: String, scheme: SteppingScheme, criticSteps: Int, generatorSteps: Int,
        step: Double?
    ) -> JSONValue {
        .object([
            ("schema", .string("egan.steps/1")), ("model", .string(name)), ("scheme", .string(scheme.rawValue)),
            ("criticSteps", .integer(criticSteps)), ("generatorSteps", .integer(generatorSteps)),
            ("lr", step.map(JSONValue.number) ?? .null),
            (
                "points",
                .array(
                    points.map {
                        .object([
                            ("gamma", .number($0.gamma)), ("hMax", .number($0.largestStableStep)),
                            ("contraction", $0.contraction.map(JSONValue.number) ?? .null),
                        ])
                    })
            ),
        ])
    }

    public static func csv(_ points: [StepSizeLimit]) -> String {
        "gamma,h_max,contraction\n"
            + points.map { "\($0.gamma),\($0.largestStableStep),\($0.contraction.map { "\($0)" } ?? "")\n" }.joined()
    }

    public static func table(
        _ points: [StepSizeLimit], name: String, scheme: SteppingScheme, criticSteps: Int, generatorSteps: Int,
        step: Double?
    ) -> String {
        var header = ["γ", "h_max"]
        if step != nil { header += ["contraction at h", "stable"] }
        let rows = points.map { point -> [String] in
            var row = [
                Format.number(point.gamma),
                point.largestStableStep == 0 ? "none" : Format.refined(point.largestStableStep),
            ]
            if let c = point.contraction {
                row += [Format.number(c, digits: 9), c < 1 - DiscreteTraining.stabilityMargin ? "yes" : "no"]
            }
            return row
        }
        let schemeText =
            scheme == .alternating
            ? "alternating, \(criticSteps) critic / \(generatorSteps) generator step(s)" : "simultaneous"
        return "\(name): \(schemeText) gradient steps\n" + TextTable.render(header: header, rows: rows)
            + (points.contains { $0.largestStableStep == 0 }
                ? "none: no step size is stable (the flow is not asymptotically stable at that γ)\n" : "")
    }
}
