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
              egan optimize ring8 --from 0.001 --to 100 --format json
            """)

    @OptionGroup var model: ModelArgument
    @OptionGroup var progressOption: ProgressOption
    @OptionGroup var interval: StrengthInterval
    @Option(help: "Points of the initial log scan (at least 3).", transform: Checked.count(atLeast: 3))
    var points: Int = 121
    /// `--steps` was this option's name (it clashed with gradient steps); kept as a hidden alias.
    @Option(name: .customLong("steps"), help: .hidden, transform: Checked.count(atLeast: 3))
    var legacyPoints: Int?
    var steps: Int { legacyPoints ?? points }
    @OptionGroup var output: FormatOption

    func execute() throws -> String {
        let format = try output.chosen(csvRows: false, command: "optimize")
        let json = format == .json
        let source = try model.load()
        let optimum = try OptimalStrength.find(source, from: interval.from, to: interval.to, steps: steps, progress: progressOption.bar("scan"))
        // Each oscillator's own critical damping, refined by bisection: affordable for up to 64 oscillators.
        let oscillators = optimum.scan.points.first.map { $0.spectrum.count(of: .oscillatory) / 2 } ?? 0
        let exceptional =
            oscillators <= Self.exceptionalPointLimit
            ? (
                all: try optimum.scan.exceptionalPoints(source),
                dominant: try source.exceptionalPoint(followingDominantFrom: optimum.gamma * (1 - 1e-3))
            ) : nil
        if json { return optimum.json(name: source.name, exceptional: exceptional).commandOutput(source: source) }
        var rows: [(String, String)] = [
            ("model", source.name),
            ("γ*", Format.refined(optimum.gamma)),
            ("r(γ*)", Format.refined(optimum.rate)),
            ("dominant λ", optimum.dominant.map { Format.complex($0.resolvedEigenvalue) } ?? "—"),
            ("regime below / above", "\(optimum.regimeBelow.rawValue) / \(optimum.regimeAbove.rawValue)"),
            ("γ* is", optimum.relation.sentence),
            (
                "ζ of the slowest oscillator",
                optimum.oscillatorDampingRatio.map { Format.number($0, digits: 4) } ?? "— (none oscillates)"
            ),
        ]
        if let exceptional {
            rows.append(("exceptional points", Self.describe(exceptional)))
        } else {
            rows.append(
                (
                    "exceptional points",
                    "not listed: more than \(Self.exceptionalPointLimit) oscillators (egan sweep --format json has them)"
                ))
        }
        for point in optimum.criticalPoints {
            rows.append(
                (
                    "critical point",
                    "γ = \(Format.refined(point.value)): \(point.below.rawValue) → \(point.above.rawValue) (\(point.mechanism.rawValue))"
                ))
        }
        return TextTable.keyValue(rows)
    }
}

extension OptimizeCommand {
    static let exceptionalPointLimit = 64

    static func describe(_ exceptional: (all: [BranchMerge], dominant: BranchMerge?)) -> String {
        guard !exceptional.all.isEmpty else { return "none in the searched interval" }
        let dominant =
            exceptional.dominant.map {
                "the oscillator dominant just below γ* is critically damped at γ = \(Format.refined($0.value)); "
            } ?? ""
        let values = exceptional.all.map { Format.number($0.value, digits: 4) }.joined(separator: ", ")
        return
            "\(dominant)on the scan grid \(exceptional.all.count) pairs meet the real axis (re-formed pairs included): γ = \(values)"
    }
}

extension OptimalStrength {
    func json(name: String, exceptional: (all: [BranchMerge], dominant: BranchMerge?)?) -> JSONValue {
        .object([
            ("schema", .string("egan.optimize/2")), ("model", .string(name)), ("gamma", .number(gamma)),
            ("rate", .number(rate)), ("dominant", dominant?.json ?? .null),
            ("regimeBelow", .string(regimeBelow.rawValue)), ("regimeAbove", .string(regimeAbove.rawValue)),
            ("relation", .string(relation.key)),
            ("oscillatorDampingRatio", oscillatorDampingRatio.map(JSONValue.number) ?? .null),
            ("criticalPoints", .array(criticalPoints.map(\.json))),
            (
                "exceptionalPoints",
                exceptional.map { .array($0.all.map(\.json)) } ?? .null
            ),
            ("dominantExceptionalPoint", exceptional?.dominant.map { .number($0.value) } ?? .null),
        ])
    }
}
