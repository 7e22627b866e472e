import GSLBridge
import Foundation
import Synchronization

/// A resumable record of finished collapse cells: JSON lines, one cell per line after a first line naming the
/// study. Each cell is appended (and flushed by the write system call) as soon as it finishes, so a killed run
/// loses at most the cells in flight; a torn last line is ignored on reading.
public final class CollapseCheckpoint: Sendable {
    private let descriptor: Mutex<Int32>
    public let path: String
    /// The cells already stored when the file was opened.
    public let done: [CollapseStudy.Cell]

    /// Opens (or creates) `path` for `study`; refuses a file written for another study, and a stored cell that
    /// the study could not have produced (`CollapseStudy.implausibility(of:)`): a resume file is data from disk.
    public convenience init(path: String, study: CollapseStudy) throws {
        let modes = try study.rowValues.indices.map { try study.modeCount(row: $0) }
        try self.init(path: path, signature: study.signature) { cell in
            study.implausibility(of: cell, modes: modes.indices.contains(cell.row) ? modes[cell.row] : modes[0])
        }
    }

    /// Opens (or creates) `path` for `signature`; refuses a file written for another study, or a cell for which
    /// `check` names a problem.
    public init(path: String, signature: String, check: (CollapseStudy.Cell) -> String? = { _ in nil }) throws {
        self.path = path
        var cells: [CollapseStudy.Cell] = []
        if let data = FileManager.default.contents(atPath: path), !data.isEmpty {
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
            guard let first = lines.first, let header = try? JSONValue.parse(Data(first.utf8), source: path),
                header["study"] == .string(signature)
            else {
                throw InvalidSetting(
                    .resumeFile, "\(path) belongs to a different study (other config, grid or settings); use a new file"
                )
            }
            // A torn last line is what a kill leaves behind: ignored. Anything else that is not a cell means the
            // file was edited or damaged, and resuming from it would silently drop cells: refused.
            let body = Array(lines.dropFirst())
            for (index, line) in body.enumerated() {
                if let json = try? JSONValue.parse(Data(line.utf8), source: path),
                    let cell = CollapseStudy.Cell(json: json)
                {
                    if let problem = check(cell) {
                        throw InvalidSetting(
                            .resumeFile,
                            "\(path): line \(index + 2) holds a cell this study cannot produce (\(problem)); the file was edited or damaged, so remove that line or start a new file"
                        )
                    }
                    cells.append(cell)
                } else if index < body.count - 1 || data.last == UInt8(ascii: "\n") {
                    throw InvalidSetting(
                        .resumeFile,
                        "\(path): line \(index + 2) is not a finished cell; the file was edited or damaged, so remove that line or start a new file"
                    )
                }
            }
        }
        done = cells
        // POSIX calls throughout, so a full disk or a read-only folder is named as such ("No space left on
        // device"), not as a Cocoa error code.
        let existed = FileManager.default.fileExists(atPath: path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileError.cannotWrite(path: path, reason: POSIXFailure(errno).description) }
        self.descriptor = Mutex(descriptor)
        do {
            if cells.isEmpty, (FileManager.default.contents(atPath: path) ?? Data()).isEmpty {
                try append(JSONValue.object([("study", .string(signature))]).compactText + "\n")
            } else if let data = FileManager.default.contents(atPath: path), data.last != UInt8(ascii: "\n") {
                // The last line lacks its newline. A whole line (the header, or a cell already counted in `done`)
                // gets one; a torn line (a kill mid-write) is cut off. Either way the next cell starts a line.
                let newline = data.lastIndex(of: UInt8(ascii: "\n"))
                let tail = data[(newline.map { $0 + 1 } ?? data.startIndex)...]
                if (try? JSONValue.parse(Data(tail), source: path)) != nil {
                    guard lseek(descriptor, 0, SEEK_END) >= 0 else { throw POSIXFailure(errno) }
                    try append("\n")
                } else if let newline {
                    guard ftruncate(descriptor, off_t(newline + 1)) == 0 else { throw POSIXFailure(errno) }
                }
            }
            guard lseek(descriptor, 0, SEEK_END) >= 0 else { throw POSIXFailure(errno) }
        } catch {
            // A file this run created stays behind only if it holds the study's first line (deinit closes it).
            if !existed { unlink(path) }
            throw FileError.cannotWrite(path: path, reason: "\(error)")
        }
    }

    deinit { descriptor.withLock { _ = close($0) } }

    /// Appends one finished cell.
    public func store(_ cell: CollapseStudy.Cell) throws {
        do {
            try append(cell.json.compactText + "\n")
        } catch {
            throw FileError.cannotWrite(path: path, reason: "\(error)")
        }
    }

    /// Writes `line` whole at the end of the file.
    private func append(_ line: String) throws {
        let bytes = Array(line.utf8)
        try descriptor.withLock { descriptor in try bytes.withUnsafeBytes { try POSIXFailure.writeAll($0, to: descriptor) } }
    }
}

extension CollapseStudy.Cell {
    public var json: JSONValue {
        .object([
            ("row", .integer(row)), ("ratio", .number(ratio)), ("seed", .integer(seed)), ("metric", .number(metric)),
            ("covered", .integer(coveredModes)), ("outcome", .string(outcome.rawValue)),
            ("meanAbsCosine", .number(meanAbsoluteCosine)),
            ("integrator", statistics.json),
        ])
    }

    init?(json: JSONValue) {
        guard case let .number(row)? = json["row"], case let .number(ratio)? = json["ratio"],
            case let .number(seed)? = json["seed"], case let .number(metric)? = json["metric"],
            case let .number(covered)? = json["covered"], case let .string(outcomeText)? = json["outcome"],
            let outcome = CollapseStudy.Outcome(rawValue: outcomeText),
            let rowIndex = Int(exactly: row), let seedValue = Int(exactly: seed),
            let coveredCount = Int(exactly: covered)
        else { return nil }
        self.init(
            row: rowIndex, ratio: ratio, seed: seedValue, metric: metric, coveredModes: coveredCount, outcome: outcome,
            meanAbsoluteCosine: json["meanAbsCosine"].flatMap { if case let .number(v) = $0 { v } else { nil } }
                ?? .nan,
            statistics: json["integrator"].flatMap(IntegratorStatistics.init(json:)) ?? IntegratorStatistics())
    }
}

extension CollapseStudy {
    /// What makes a stored cell impossible for this study with K = `modes` (`modeCount`), or nil: a row, column value or seed off the grid, a
    /// collapse metric outside [0, ln K], more covered modes than K, a mean |cos| outside [0, 1]. NaN metrics
    /// are possible (a run that diverged before its first sample).
    public func implausibility(of cell: Cell, modes: Int) -> String? {
        let lnK = log(Double(modes))
        let slack = 1e-12 * max(1, lnK)
        if !rowValues.indices.contains(cell.row) { return "row \(cell.row) outside 0…\(rowValues.count - 1)" }
        if !ratios.contains(cell.ratio) { return "\(column) = \(cell.ratio) is not on the grid" }
        if !seeds.contains(cell.seed) { return "seed \(cell.seed) outside 1…\(seeds.count)" }
        if !cell.metric.isNaN, !(cell.metric >= -slack && cell.metric <= lnK + slack) {
            return "metric \(cell.metric) outside [0, ln \(modes) = \(Format.number(lnK))]"
        }
        if !(0...modes).contains(cell.coveredModes) { return "\(cell.coveredModes) covered of \(modes) modes" }
        let cosine = cell.meanAbsoluteCosine
        if !cosine.isNaN, !(cosine >= 0 && cosine <= 1 + 1e-12) { return "mean |cos| \(cosine) outside [0, 1]" }
        return nil
    }

    /// Identifies the study for `--resume`: the config, the grid, the seeds and the simulation settings.
    public var signature: String {
        let parts =
            [
                source.document.compactText, column, ratios.map { "\($0)" }.joined(separator: ","), "\(seeds.count)",
                rowPath ?? "", rowValues.map(\.compactText).joined(separator: ","), "\(settings.tEnd)",
                "\(settings.samples)",
                "\(settings.integrator)", "\(settings.relativeTolerance)", "\(settings.absoluteTolerance)",
            ]
            // Added with the cosine measure and scaled horizons; absent at their defaults, so older files still match.
            + (measure == .euclidean ? [] : ["measure=\(measure.rawValue)"])
            + (horizon == .fixed ? [] : ["horizon=\(horizon.rawValue)"])
        return fingerprint(parts.joined(separator: "|"))
    }
}
