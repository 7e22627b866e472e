import ArgumentParser
import EffectiveGAN

struct SweepCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Regime, rate and dominant mode along a grid of γ or of any numeric config path.",
        discussion: """
            Each grid point is analysed at the matched equilibrium (as 'egan analyze'), on all cores. Between grid \
            points where the dominant mode switches between oscillatory and real, the critical point is refined by \
            bisection to relative 1e-6. Eigenvalue branches are tracked by optimal assignment and written with --format json.
              egan sweep ring8 --from 0.01 --to 10 --points 201
              egan sweep ring8 --param generator.kernel.ratio --scale linear --from 0 --to 0.9 --points 10 --gamma 0.5
              egan sweep dirac --format json > dirac-sweep.json
            """)

    @OptionGroup var model: ModelArgument
    @OptionGroup var progressOption: ProgressOption
    @OptionGroup var grid: GridOptions
    @Option(
        help:
            "Config path to sweep: regularizer.strength (default), generator.kernel.ratio, generator.learningRate, discriminator.learningRate, or another numeric key a study can set (docs/config.md, \"Keys a study can set\")."
    )
    var param: String = ParameterPath.strength.path
    @OptionGroup var strength: GammaOption
    @OptionGroup var parallel: ThreadsOption
    @Option(help: "Output: table (default), csv, or json (schema egan.sweep/1, with branches).")
    var format: OutputFormat = .table

    func execute() throws -> String { try parallel.running(sweep) }

    private func sweep() throws -> String {
        var source = try model.load()
        if let gamma = strength.gamma, param != ParameterPath.strength.path { source = try source.with(gamma: gamma) }
        let path = try ParameterPath(param, for: source)
        let sweep = try Sweep.run(
            source, parameter: path, values: try grid.grid().values, progress: progressOption.bar("sweep"))
        let critical = try sweep.criticalPoints(source)
        switch format {
        case .json:
            let branches = sweep.branches()
            let merges = try sweep.branchMerges(source, branches: branches)
            return SweepReport.json(sweep, name: source.name, critical: critical, branches: branches, merges: merges)
                .commandOutput(source: source)
        case .csv:
            return SweepReport.csv(sweep)
        case .table:
            return SweepReport.table(sweep, critical: critical)
        }
    }
}

/// Renderings of a sweep shared by `sweep`, `optimize` and reports.
enum SweepReport {
    static func row(_ point: SweepPoint) -> [String] {
        let s = point.spectrum
        return [
            Format.number(point.value), s.regime.rawValue, Format.number(s.rate),
            s.dominantMode.map { Format.complex($0.resolvedEigenvalue) } ?? "—",
            "\(s.count(of: .neutral))", "\(s.count(of: .oscillatory))", "\(s.count(of: .real))",
        ]
    }

    static func table(_ sweep: Sweep, critical: [CriticalPoint]) -> String {
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

    static func csv(_ sweep: Sweep) -> String {
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

    static func json(
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
    var json: JSONValue {
        .object([
            ("value", .number(value)), ("below", .string(below.rawValue)), ("above", .string(above.rawValue)),
            ("mechanism", .string(mechanism.rawValue)),
        ])
    }
}
