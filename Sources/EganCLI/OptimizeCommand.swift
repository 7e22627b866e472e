import ArgumentParser
import EffectiveGAN

struct OptimizeCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "The regulariser strength γ* with the fastest convergence, and why it is optimal.",
        discussion: """
            Scans r(γ) = −max Re λ on a log grid over [--from, --to], then refines the best bracket with GSL's Brent \
            minimiser to relative 1e-6 in γ. Reports r(γ*), the dominant eigenvalue, the regime on each side, and \
            whether γ* sits at a critical point (critical damping), at a crossing of two branches' rates, or at the \
            interval's boundary (then widen it).
              egan optimize dirac            # γ* = 2, r = 1 (wgan)
              egan optimize ring8 --from 0.001 --to 100 --json
            """)

    @OptionGroup var model: ModelArgument
    @Option(help: "Smallest γ searched (> 0).")
    var from: Double = 1e-3
    @Option(help: "Largest γ searched.")
    var to: Double = 1e3
    @Option(help: "Points of the initial log scan (at least 3).")
    var steps: Int = 121
    @Flag(help: "Print JSON (schema egan.optimize/1).")
    var json = false

    func execute() throws -> String {
        guard steps >= 3 else {
            throw SweepError.invalidOption(option: "--steps", reason: "must be at least 3 for a bracket (got \(steps))")
        }
        let source = try model.load()
        let optimum = try OptimalStrength.find(source, from: from, to: to, steps: steps, progress: Progress.bar("scan"))
        if json { return optimum.json(name: source.name).prettyText + "\n" }
        var rows: [(String, String)] = [
            ("model", source.name),
            ("γ*", Format.number(optimum.gamma, digits: 9)),
            ("r(γ*)", Format.number(optimum.rate, digits: 9)),
            ("dominant λ", optimum.dominant.map { Format.complex($0.eigenvalue) } ?? "—"),
            ("regime below / above", "\(optimum.regimeBelow.rawValue) / \(optimum.regimeAbove.rawValue)"),
            ("γ* is", optimum.relation.sentence),
        ]
        for point in optimum.criticalPoints {
            rows.append(
                (
                    "critical point",
                    "γ = \(Format.number(point.value, digits: 9)): \(point.below.rawValue) → \(point.above.rawValue) (\(point.mechanism.rawValue))"
                ))
        }
        return TextTable.keyValue(rows)
    }
}

extension OptimalStrength.Relation {
    var sentence: String {
        switch self {
        case let .criticalPoint(value): return "at the critical point γ_c = \(Format.number(value, digits: 9))"
        case .rateCrossing: return "at a crossing of the two slowest branches' rates"
        case .boundary: return "at the boundary of the searched interval; widen --from/--to"
        case .smoothMaximum: return "a smooth maximum of the dominant branch's rate"
        case .plateau: return "on a plateau of r(γ): a mode γ cannot move (e.g. weight decay's −η_D μ) caps the rate"
        }
    }

    var key: String {
        switch self {
        case .criticalPoint: return "criticalPoint"
        case .rateCrossing: return "rateCrossing"
        case .boundary: return "boundary"
        case .smoothMaximum: return "smoothMaximum"
        case .plateau: return "plateau"
        }
    }
}

extension OptimalStrength {
    func json(name: String) -> JSONValue {
        .object([
            ("schema", .string("egan.optimize/1")), ("model", .string(name)), ("gamma", .number(gamma)),
            ("rate", .number(rate)), ("dominant", dominant?.json ?? .null),
            ("regimeBelow", .string(regimeBelow.rawValue)), ("regimeAbove", .string(regimeAbove.rawValue)),
            ("relation", .string(relation.key)), ("criticalPoints", .array(criticalPoints.map(\.json))),
        ])
    }
}
