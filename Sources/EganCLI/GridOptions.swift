import ArgumentParser
import EffectiveGAN
import ResultForms

/// `--from --to --points --scale`: the grid of a sweep. (`--points` was `--steps`, which clashed with gradient
/// steps; `--steps` is kept as a hidden alias.)
struct GridOptions: ParsableArguments {
    /// The defaults span γ over the interval `optimize` and `report` search (10⁻³ to 10³), so a sweep shows the
    /// same ground they do; another `--param` needs its own --from/--to.
    @Option(
        help: "First value of the swept parameter (default 1e-3, as optimize and report search γ).",
        transform: Checked.finite)
    var from: Double = 1e-3
    @Option(help: "Last value of the swept parameter (default 1e3).", transform: Checked.finite)
    var to: Double = 1e3
    @Option(help: "Number of grid points (at least 2), endpoints included.", transform: Checked.count(atLeast: 2))
    var points: Int = 61
    @Option(name: .customLong("steps"), help: .hidden, transform: Checked.count(atLeast: 2))
    var legacyPoints: Int?
    var steps: Int { legacyPoints ?? points }
    @Option(help: "Grid spacing: log (default) or linear.")
    var scale: SweepGrid.Scale = .log

    func grid() throws -> SweepGrid { try SweepGrid(from: from, to: to, steps: steps, scale: scale) }
}

extension SweepGrid.Scale: ExpressibleByArgument {}
extension SteppingScheme: ExpressibleByArgument {}

/// Output format of tabular commands.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case table, csv, json
}

/// `--gamma`: the regulariser strength, validated once for every command that takes it.
struct GammaOption: ParsableArguments {
    @Option(
        help: "Regulariser strength γ ≥ 0 (default: the config's regularizer.strength).", transform: Checked.strength)
    var gamma: Double?

    func validate() throws {
        if let gamma, !(gamma >= 0 && gamma.isFinite) {
            throw ValidationError("--gamma must be a finite number ≥ 0 (got \(gamma))")
        }
    }
}

/// `--from A --to B`: the interval of γ an optimum is searched in (optimize, report, transfer).
struct StrengthInterval: ParsableArguments {
    @Option(help: "Smallest γ searched (1e-12 to 1e15).", transform: Checked.strengthEnd)
    var from: Double = 1e-3
    @Option(help: "Largest γ searched (1e-12 to 1e15).", transform: Checked.strengthEnd)
    var to: Double = 1e3
}

/// `--format table|json|csv`: the one output switch of every command that prints results (table by default).
/// `--json` stays as a hidden alias of `--format json` for scripts written against earlier releases.
struct FormatOption: ParsableArguments {
    @Option(help: "Output: table (default), json (schemas in docs/json-schema.md) or csv (where results are rows).")
    var format: OutputFormat = .table
    @Flag(help: .hidden)
    var json = false

    /// The format asked for; `csv` is refused by commands whose result is not a list of rows.
    func chosen(csvRows: Bool, command: String) throws -> OutputFormat {
        let value = json ? OutputFormat.json : format
        if value == .csv, !csvRows {
            throw ValidationError("--format csv: '\(command)' prints one result, not rows; use table or json")
        }
        return value
    }
}

/// Numbers written one way on every command: a list `2,5,10`, a grid `FROM:TO:STEPS[:log|linear]`, or both joined
/// by commas (`0,0.01:0.98:25:log` is 0 and 25 log-spaced values). Grids include both ends. Parsed where the
/// flag is parsed (`@Option(transform:)`), so argument-parser names the flag; messages say only what is allowed.
enum NumberList {
    static func parse(_ text: String, defaultScale: SweepGrid.Scale) throws -> [Double] {
        try text.split(separator: ",", omittingEmptySubsequences: false).flatMap { piece -> [Double] in
            let item = piece.trimmingCharacters(in: .whitespaces)
            guard item.contains(":") else {
                guard let value = try? Checked.finite(item) else {
                    throw ValidationError("'\(item)' is not a number; give a list such as 1,2,5 or a grid such as 1:100:9")
                }
                return [value]
            }
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            // V:V:1 is the single value V (a grid of one point).
            if parts.count == 3, parts[2] == "1", let value = try? Checked.finite(parts[0]), parts[0] == parts[1] {
                return [value]
            }
            guard (3...4).contains(parts.count), let from = try? Checked.finite(parts[0]),
                let to = try? Checked.finite(parts[1]), let steps = Int(parts[2]), steps >= 2, steps <= 100_000,
                to > from
            else {
                throw ValidationError(
                    "'\(item)' is not a grid FROM:TO:STEPS[:log|linear] with FROM < TO and STEPS ≥ 2, e.g. 1:100:9")
            }
            let scale = parts.count == 4 ? SweepGrid.Scale(rawValue: parts[3]) : defaultScale
            guard let scale else { throw ValidationError("spacing '\(parts[3])' must be log or linear") }
            guard scale == .linear || from > 0 else {
                throw ValidationError("a log grid needs FROM > 0 (got '\(item)'); add 0 as its own item: 0,\(item)")
            }
            return try SweepGrid(from: from, to: to, steps: steps, scale: scale).values
        }
    }

    /// Increasing values of a swept column (`collapse --ratios`): linear grids by default, at most 10 000.
    static func increasing(_ text: String) throws -> [Double] {
        let values = try parse(text, defaultScale: .linear)
        guard values.count <= 10_000 else { throw ValidationError("give at most 10000 values") }
        guard Set(values).count == values.count, values == values.sorted() else {
            throw ValidationError("values must increase (got '\(text)')")
        }
        return values
    }
}

/// A list of regulariser strengths: `NumberList` with log grids by default, every value ≥ 0.
enum GammaList {
    static func parse(_ text: String) throws -> [Double] {
        let values = try NumberList.parse(text, defaultScale: .log)
        if let bad = values.first(where: { $0 < 0 }) {
            throw ValidationError("\(Format.number(bad)) is negative; strengths are ≥ 0")
        }
        return values
    }
}

/// One axis of a collapse study's rows, `PATH=V1,V2,…`: numbers, booleans, strings, or numeric grids
/// FROM:TO:STEPS[:log|linear] (log-spaced by default: rates span decades).
struct StudyAxis: Sendable {
    let path: String
    let values: [JSONValue]

    static func parse(_ text: String) throws -> StudyAxis {
        let pieces = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else {
            throw ValidationError("write PATH=V1,V2,… e.g. discriminator.activation=relu,tanh")
        }
        let values = try pieces[1].split(separator: ",", omittingEmptySubsequences: false).flatMap {
            piece -> [JSONValue] in
            let word = piece.trimmingCharacters(in: .whitespaces)
            guard !word.isEmpty else { throw ValidationError("an empty value in '\(pieces[1])'; list values as V1,V2,…") }
            if let number = try? Checked.finite(word) { return [.number(number)] }
            if word == "true" || word == "false" { return [.bool(word == "true")] }
            if word.contains(":") { return try NumberList.parse(word, defaultScale: .log).map(JSONValue.number) }
            return [.string(word)]
        }
        return StudyAxis(path: pieces[0], values: values)
    }
}

/// `--threads T`: the cores a study's cells use in this process (each rank's, under MPI).
struct ThreadsOption: ParsableArguments {
    @Option(
        help:
            "Worker threads for the study's cells in this process (default: all cores; under mpirun or srun, the node's cores shared among its ranks, at least 1). Results do not depend on it.",
        transform: Checked.count(atLeast: 1))
    var threads: Int?

    /// Runs `body` with the thread count installed in the current executor (local or distributed, keeping its
    /// kind), for `body` only (a notebook runs many commands in one process).
    func running<T>(_ body: () throws -> T) throws -> T {
        guard let threads else { return try body() }
        let executor: any CellExecutor =
            if let distributed = CellExecution.current as? DistributedCellExecutor {
                DistributedCellExecutor(transport: distributed.transport, threads: threads)
            } else {
                LocalCellExecutor(threads: threads)
            }
        return try CellExecution.using(executor, body)
    }
}
