import Foundation
import GSLBridge

/// The mode-collapse phase diagram: final collapse metric against the kernel coupling φ (columns) and a second
/// config value (rows), over several seeds of the initial cloud.
///
/// Each cell (row, φ, seed) sets `generator.kernel.ratio` = φ, `generator.init.seed` = seed and the row's value in
/// the config, then simulates from `generator.init`. Cells are independent and deterministic, so results do not
/// depend on the number of threads, and a resumed study recomputes nothing it has stored.
public struct CollapseStudy: Sendable {
    /// How a run ended.
    public enum Outcome: String, Sendable, CaseIterable {
        /// The particles settled: the W₂ distance varied by less than 1e-3 (relative) over the last 10 % of the run.
        case converged
        /// Still moving at the end (ringing or slow drift).
        case oscillated
        /// NaN/Inf or a distance beyond the divergence bound.
        case diverged
    }

    public struct Cell: Sendable, Equatable {
        public let row: Int
        public let ratio: Double
        public let seed: Int
        /// ln K + Σ p_k ln p_k at the end (0: every mode covered evenly; ln K: all on one mode).
        public let metric: Double
        public let coveredModes: Int
        public let outcome: Outcome
    }

    public let source: ModelSource
    public let ratios: [Double]
    public let seeds: [Int]
    /// The second config path (rows), or nil for a single row.
    public let rowPath: String?
    public let rowValues: [JSONValue]
    public let settings: SimulationSettings

    /// Validates the request: φ within the universal kernel's range, seeds ≥ 1, a config (not a resolved model)
    /// with a universal kernel, and a row path/value the config accepts.
    public init(
        source: ModelSource, ratios: [Double], seeds: Int, rowPath: String?, rowValues: [JSONValue],
        settings: SimulationSettings
    ) throws {
        guard let config = source.config else {
            throw CollapseError.invalid(
                "collapse studies change the config; give a construction config or preset, not a resolved model")
        }
        guard case .universal = config.generator.kernel else {
            throw CollapseError.invalid("'generator.kernel' must be universal: the study sweeps its ratio φ")
        }
        let n = config.generator.particles
        let lower = n > 1 ? -1 / Double(n - 1) : -1
        if let bad = ratios.first(where: { !($0 >= lower - 1e-15 && $0 <= 1 && $0.isFinite) }) {
            throw CollapseError.invalid(
                "--ratios: φ = \(bad) is outside [\(Format.number(lower)), 1], where the universal kernel with N = \(n) is valid"
            )
        }
        guard seeds >= 1 else { throw CollapseError.invalid("--seeds must be at least 1 (got \(seeds))") }
        self.source = source
        self.ratios = ratios
        self.seeds = Array(1...seeds)
        self.rowPath = rowPath
        self.rowValues = rowPath == nil ? [.null] : rowValues
        self.settings = settings
        for row in self.rowValues.indices { _ = try model(row: row, ratio: ratios[0], seed: 1) }
    }

    /// The model of one cell.
    func model(row: Int, ratio: Double, seed: Int) throws -> EffectiveModel {
        var document = try source.document.setting(path: ["generator", "kernel", "ratio"], to: .number(ratio))
        document = try document.setting(path: ["generator", "init", "seed"], to: .integer(seed))
        if let rowPath {
            document = try document.setting(path: rowPath.split(separator: ".").map(String.init), to: rowValues[row])
        }
        return EffectiveModel(try ModelSource(json: document, defaultName: source.name).resolved)
    }

    /// Every (row, φ, seed) in a fixed order.
    public var cellKeys: [(row: Int, ratio: Double, seed: Int)] {
        rowValues.indices.flatMap { row in ratios.flatMap { ratio in seeds.map { (row, ratio, $0) } } }
    }

    /// Simulates one cell.
    public func run(row: Int, ratio: Double, seed: Int) throws -> Cell {
        let result = try model(row: row, ratio: ratio, seed: seed).simulate(settings)
        let last = result.observables.last
        var outcome = Outcome.converged
        if result.status != .completed {
            outcome = .diverged
        } else {
            let tail = result.observables.suffix(max(2, result.observables.count / 10)).map(\.wasserstein2)
            let spread = (tail.max() ?? 0) - (tail.min() ?? 0)
            if spread > 1e-3 * (1 + (tail.last ?? 0)) { outcome = .oscillated }
        }
        return Cell(
            row: row, ratio: ratio, seed: seed, metric: last?.collapse ?? .nan, coveredModes: last?.coveredModes ?? 0,
            outcome: outcome)
    }

    /// Runs every cell not in `done` (in parallel), calling `store` as each finishes, and returns all cells in
    /// `cellKeys` order.
    public func run(done: [Cell], store: (@Sendable (Cell) throws -> Void)? = nil, progress: ProgressHandler? = nil)
        throws -> [Cell]
    {
        let keys = cellKeys
        func matches(_ c: Cell, _ k: (row: Int, ratio: Double, seed: Int)) -> Bool {
            c.row == k.row && c.ratio == k.ratio && c.seed == k.seed
        }
        let missing = keys.filter { k in !done.contains { matches($0, k) } }
        let fresh = try parallelMap(missing.count, progress: progress) { index in
            let key = missing[index]
            let cell = try run(row: key.row, ratio: key.ratio, seed: key.seed)
            try store?(cell)
            return cell
        }
        let all = done + fresh
        return keys.map { k in all.first { matches($0, k) }! }
    }

    /// The number of modes K (distinct targets), for the ½ ln K threshold.
    public var modeCount: Int { EffectiveModel(source.resolved).modes.rows }
}

/// Bad collapse requests.
public enum CollapseError: Error, CustomStringConvertible, Sendable {
    case invalid(String)

    public var description: String {
        switch self {
        case let .invalid(message): return message
        }
    }
}
