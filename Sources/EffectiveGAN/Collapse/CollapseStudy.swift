import Foundation
import GSLBridge

/// The mode-collapse phase diagram: final collapse metric against the kernel coupling (columns) and a second
/// config value (rows), over several seeds of the initial cloud.
///
/// Each cell (row, column value, seed) sets the column path (default `generator.kernel.ratio` = φ),
/// `generator.init.seed` = seed and the row's value in the config, then simulates from `generator.init`. For a
/// generator network (`generator.network`) the seed is the network's (`generator.network.seed`: its latents and
/// its initialisation w₀) and each cell trains the network's own weights from w₀ (`NetworkFlow`), so a row of
/// widths (`--vs generator.network.layers=…`) compares real networks from random starts. Cells are
/// independent and deterministic, so results do not depend on the number of threads, and a resumed study
/// recomputes nothing it has stored.
///
/// The column can be any numeric path that changes the kernel, e.g. `generator.kernel.biasVariance` of an `ntk`
/// kernel: the coupling is then that of an exact generator NTK, and every column also gets the φ of its kernel's
/// universal fit (g₂/g₁), so the transition can be read in the same units as a universal-kernel study.
public struct CollapseStudy: Sendable {
    /// How a run ended.
    public enum Outcome: String, Sendable, CaseIterable, Codable {
        /// The particles settled: the W₂ distance varied by less than 1e-3 (relative) over the last 10 % of the run.
        case converged
        /// Still moving at the end (ringing or slow drift).
        case oscillated
        /// NaN/Inf or a distance beyond the divergence bound.
        case diverged
    }

    public struct Cell: Sendable, Equatable, Codable {
        public let row: Int
        public let ratio: Double
        public let seed: Int
        /// ln K + Σ p_k ln p_k at the end (0: every mode covered evenly; ln K: all on one mode).
        public let metric: Double
        public let coveredModes: Int
        public let outcome: Outcome
        /// Mean |cos| between the particles at the end (1: all point one way).
        public var meanAbsoluteCosine: Double = .nan
        /// What the cell's simulation cost. Not part of equality: wall times differ between identical runs, and a
        /// resumed study must compare equal to a fresh one.
        public var statistics = IntegratorStatistics()

        public static func == (a: Cell, b: Cell) -> Bool {
            (a.row, a.ratio, a.seed, a.coveredModes, a.outcome) == (b.row, b.ratio, b.seed, b.coveredModes, b.outcome)
                && (a.metric == b.metric || (a.metric.isNaN && b.metric.isNaN))
        }
    }

    /// How particles are assigned to modes for the metric.
    public enum Measure: String, Sendable, CaseIterable, Codable {
        /// Nearest mode in Euclidean distance.
        case euclidean
        /// Mode of largest cosine similarity (angles about the origin), as image experiments measure.
        case cosine
    }

    /// When a cell's run ends.
    public enum Horizon: String, Sendable, CaseIterable, Codable {
        /// Every cell runs to the same t_end.
        case fixed
        /// A cell at coupling φ runs to t_end/(1 − φ) (at most 50 t_end, reached at φ = 0.98): particles separate
        /// through the relative kernel eigenvalue η_G g₁(1 − φ)/N, so this gives every cell the same amount of
        /// relative motion, and a boundary that does not drift with how long one looks. Needs the φ column.
        case relative

        /// The longest stretch of the end time.
        public static let maximumStretch = 50.0

        /// The end-time factor at coupling φ.
        public func stretch(ratio φ: Double) -> Double {
            self == .fixed ? 1 : min(Self.maximumStretch, 1 / max(1 - φ, 1 / Self.maximumStretch))
        }
    }

    /// The path `generator.kernel.ratio`: the universal kernel's φ, the default column.
    public static let ratioPath = "generator.kernel.ratio"

    public let source: ModelSource
    /// The swept column path (dotted).
    public let column: String
    /// The column values (φ for the default column).
    public let ratios: [Double]
    public let seeds: [Int]
    /// The config keys of the rows (none: a single row). Several make the rows their Cartesian product: each
    /// row value is then an array with one value per key (see `product`).
    public let rowPaths: [String]
    public let rowValues: [JSONValue]
    public let settings: SimulationSettings
    public let measure: Measure
    public let horizon: Horizon
    /// The column and seed keys parsed once, and each row's config built once (its values checked and written,
    /// a network's w* fitted once per row): a cell is its row's config with the column value and the seed
    /// written in (`ModelConfig.applying`), never a document read back.
    private let columnEdit: ModelEdit
    private let seedEdit: ModelEdit
    private let rowConfigs: [ModelConfig]

    /// The row keys as one label, comma-separated (nil for a single row): the form checkpoints and CSV headers
    /// store.
    public var rowPath: String? { rowPaths.isEmpty ? nil : rowPaths.joined(separator: ",") }
    /// The row keys for a reader: "a, b".
    public var rowTitle: String { rowPaths.joined(separator: ", ") }

    /// Validates the request: seeds ≥ 1, a config (not a resolved model), and column and row values the config
    /// accepts; for the default column a universal kernel and φ within its range.
    public init(
        source: ModelSource, column: String = ratioPath, ratios: [Double], seeds: Int, rowPaths: [String] = [],
        rowValues: [JSONValue] = [], settings: SimulationSettings, measure: Measure = .euclidean,
        horizon: Horizon = .fixed
    ) throws {
        guard horizon == .fixed || column == Self.ratioPath else {
            throw InvalidSetting(
                .column, "must be the ratio φ (\(Self.ratioPath)) for end times scaled by the relative eigenvalue")
        }
        guard let config = source.config else {
            throw CollapseError.needsConfig
        }
        if column == Self.ratioPath {
            switch config.generator.kernel {
            case .universal: break
            case .explicit where config.generator.network != nil:
                throw InvalidSetting(
                    .column,
                    "defaults to generator.kernel.ratio, the universal kernel's φ, which a generator network's kernel Θ(w*) does not have: name a numeric key this config has, e.g. generator.learningRate or discriminator.learningRate (each cell trains the network from its initialisation)"
                )
            case .explicit:
                throw InvalidSetting(
                    .column,
                    "defaults to generator.kernel.ratio, the universal kernel's φ, which an explicit kernel (a measured Θ) does not have: name a numeric key this config has, e.g. generator.learningRate or discriminator.learningRate, or make rows with the second axis"
                )
            case .ntk:
                throw InvalidSetting(
                    .column,
                    "defaults to generator.kernel.ratio, the universal kernel's φ, which an ntk kernel does not have: sweep one of its own keys, e.g. generator.kernel.biasVariance"
                )
            }
            let n = config.generator.particles
            let range = KernelSpec.universalRatioRange(particles: n)
            if let bad = ratios.first(where: { !range.contains($0) }) {
                throw InvalidSetting(
                    .columnGrid,
                    "has φ = \(bad), outside [\(Format.number(max(range.lowerBound, -1))), 1], where the universal kernel with N = \(n) is valid"
                )
            }
        }
        guard seeds >= 1 else { throw InvalidSetting(.seeds, "must be at least 1 (got \(seeds))") }
        try Self.checkCost(
            settings: settings, cells: (rowPaths.isEmpty ? 1 : rowValues.count) * ratios.count * seeds,
            longestStretch: ratios.map(horizon.stretch(ratio:)).max() ?? 1)
        self.source = source
        self.column = column
        self.ratios = ratios
        self.seeds = Array(1...seeds)
        self.rowPaths = rowPaths
        self.rowValues = rowPaths.isEmpty ? [.null] : rowValues
        self.settings = settings
        self.measure = measure
        self.horizon = horizon
        guard column != Self.seedPath(source) else {
            throw InvalidSetting(
                .column, "is \(column), which the seeds of the bootstrap set (1…S); choose another key and give --seeds"
            )
        }
        columnEdit = try ModelEdit(column, for: source)
        seedEdit = try ModelEdit(Self.seedPath(source), for: source)
        let rowEdits = try rowPaths.map { try ModelEdit($0, for: source) }
        rowConfigs = try self.rowValues.enumerated().map { row, value in
            guard rowEdits.count > 1 else { return try config.applying(rowEdits.map { try $0.setting(value) }) }
            guard case let .array(values) = value, values.count == rowEdits.count else {
                throw InvalidSetting(
                    .column, "row \(row + 1) needs one value for each of the keys \(rowPaths.joined(separator: ", "))")
            }
            return try config.applying(zip(rowEdits, values).map { try $0.setting($1) })
        }
        for row in self.rowValues.indices { _ = try model(row: row, ratio: ratios[0], seed: 1) }
        for ratio in ratios.dropFirst() { _ = try model(row: 0, ratio: ratio, seed: 1) }
        // An explicit run estimated beyond the step budget, on the cells most likely to be stiffest and longest:
        // every row at both ends of the column (the centre-of-mass eigenvalue grows ~N-fold as φ → 1) with the
        // horizon's stretch there. Checking the base model alone missed exactly those cells.
        let explicitODE: Bool
        if case let .ode(stepper) = settings.integrator {
            explicitODE = !stepper.usesJacobian
        } else {
            explicitODE = false
        }
        for row in self.rowValues.indices where explicitODE {
            for ratio in Set([ratios.min()!, ratios.max()!]) {
                var cell = settings
                cell.tEnd *= horizon.stretch(ratio: ratio)
                let stiff = try model(row: row, ratio: ratio, seed: 1)
                try cell.checkExplicitSteps(for: stiff, structure: try OscillatorStructure(stiff))
            }
        }
    }

    /// The most cells one study may hold: beyond it, split the grid into several studies (or rows over MPI).
    public static let cellBudget = 100_000
    /// The most field evaluations of planned gradient steps over all cells (10⁹: about an hour of a d = 2 model
    /// on one core, days of a d = 784 one).
    public static let studyStepBudget = 1e9

    /// Refuses, before any cell runs, a study whose cells cannot run (each cell's settings at its longest end
    /// time) or whose total planned work is above the budgets, with the estimate.
    static func checkCost(settings: SimulationSettings, cells: Int, longestStretch: Double) throws {
        var longest = settings
        longest.tEnd *= longestStretch
        try longest.validate()
        guard cells <= cellBudget else {
            throw InvalidSetting(
                .seeds,
                "with {0} makes \(cells) cells, above the budget of \(cellBudget) for one study; use fewer seeds or grid points, or split the study",
                mentioning: [.columnGrid])
        }
        if case let .gradientSteps(step, _, criticSteps) = settings.integrator {
            let evaluations = Double(cells) * longest.tEnd / step * Double(criticSteps + 1)
            guard evaluations <= studyStepBudget else {
                throw InvalidSetting(
                    .stepSize,
                    "with {0} plans \(Format.number(evaluations, digits: 3)) field evaluations over \(cells) cells, above the study budget of 10⁹; take a larger step, a shorter run or fewer cells",
                    mentioning: [.endTime])
            }
        }
    }

    /// The φ of the universal fit (g₂/g₁) of each column's kernel in `row` (the column values themselves for the
    /// default column). The kernel does not depend on the seed of the initial cloud.
    public func fittedRatios(row: Int) throws -> [Double] {
        if column == Self.ratioPath { return ratios }
        return try ratios.map { try model(row: row, ratio: $0, seed: 1).kernel.kernelModes().fit.ratio }
    }

    /// The key the seeds set: the initial cloud's, or for a generator network the network's (latents and w₀).
    public static func seedPath(_ source: ModelSource) -> String {
        source.trainsNetwork ? "generator.network.seed" : "generator.init.seed"
    }

    /// The config of one cell: its row's config with the column value and the seed written in.
    func config(row: Int, ratio: Double, seed: Int) throws -> ModelConfig {
        try rowConfigs[row].applying([columnEdit.setting(.number(ratio)), seedEdit.setting(.integer(seed))])
    }

    /// The model of one cell: its row's config with the column value and the seed written in, resolved. No JSON is decoded and no data file or bundled data set is read again per cell (for
    /// digits100 that decode was most of a short cell's cost; `egan bench collapse-digits100-cells`).
    func model(row: Int, ratio: Double, seed: Int) throws -> EffectiveModel {
        EffectiveModel(try config(row: row, ratio: ratio, seed: seed).resolve())
    }

    /// Every (row, φ, seed) in a fixed order.
    public var cellKeys: [(row: Int, ratio: Double, seed: Int)] {
        rowValues.indices.flatMap { row in ratios.flatMap { ratio in seeds.map { (row, ratio, $0) } } }
    }

    /// Simulates one cell.
    public func run(row: Int, ratio: Double, seed: Int) throws -> Cell {
        var settings = self.settings
        settings.tEnd *= horizon.stretch(ratio: ratio)
        let cell = try config(row: row, ratio: ratio, seed: seed)
        let resolved = cell.resolve()
        let result =
            cell.generator.network != nil
            ? try NetworkFlow(cell, resolved: resolved).simulate(settings)
            : try EffectiveModel(resolved).simulate(settings)
        let last = result.observables.last
        var outcome = Outcome.converged
        if result.status != .completed {
            outcome = .diverged
        } else {
            let tail = result.observables.suffix(max(2, result.observables.count / 10)).map(\.wasserstein2)
            let spread = (tail.max() ?? 0) - (tail.min() ?? 0)
            if spread > 1e-3 * (1 + (tail.last ?? 0)) { outcome = .oscillated }
        }
        let cosine = measure == .cosine
        return Cell(
            row: row, ratio: ratio, seed: seed,
            metric: (cosine ? last?.cosineCollapse : last?.collapse) ?? .nan,
            coveredModes: (cosine ? last?.cosineCoveredModes : last?.coveredModes) ?? 0, outcome: outcome,
            meanAbsoluteCosine: last?.meanAbsoluteCosine ?? .nan, statistics: result.statistics)
    }

    /// Runs every cell not in `done` (in parallel, on `CellExecution.current`), calling `store` as each finishes in
    /// the writing process, and returns all cells in `cellKeys` order.
    public func run(done: [Cell], store: (@Sendable (Cell) throws -> Void)? = nil, progress: ProgressHandler? = nil)
        throws -> [Cell]
    {
        let keys = cellKeys
        func matches(_ c: Cell, _ k: (row: Int, ratio: Double, seed: Int)) -> Bool {
            c.row == k.row && c.ratio == k.ratio && c.seed == k.seed
        }
        var known: [Int: Cell] = [:]
        for (index, key) in keys.enumerated() {
            if let cell = done.first(where: { matches($0, key) }) { known[index] = cell }
        }
        let labels = rowValues.map(\.compactText)
        let rowTitle = rowPaths.isEmpty ? nil : rowTitle
        let column = column
        return try CellExecution.current.map(
            keys.count, done: known,
            describe: { index in
                let key = keys[index]
                let row = rowTitle.map { "\($0) = \(labels[key.row]), " } ?? ""
                return "the cell \(row)\(column) = \(Format.number(key.ratio)), seed \(key.seed)"
            }, progress: progress, onResult: store.map { store in { _, cell in try store(cell) } }
        ) { index in
            try run(row: keys[index].row, ratio: keys[index].ratio, seed: keys[index].seed)
        }
    }

    /// Rows for several keys at once: every combination of their values, the last key varying fastest, as
    /// (`rowPaths`, `rowValues`) for `init` (one key: its values; several: arrays of one value per key).
    public static func product(_ axes: [(path: String, values: [JSONValue])]) -> ([String], [JSONValue]) {
        guard axes.count > 1 else { return (axes.map(\.path), axes.first?.values ?? []) }
        let combinations = axes.reduce([[JSONValue]]([[]])) { partial, axis in
            partial.flatMap { prefix in axis.values.map { prefix + [$0] } }
        }
        return (axes.map(\.path), combinations.map(JSONValue.array))
    }

    /// The number of modes K (distinct targets), for the ½ ln K threshold.
    public var modeCount: Int { EffectiveModel(source.resolved).modes.rows }

    /// K of one row's models: a second axis may change the targets (`--vs target.modes=4,8`).
    public func modeCount(row: Int) throws -> Int { try model(row: row, ratio: ratios[0], seed: 1).modes.rows }
}

/// Bad collapse requests.
public enum CollapseError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A study rewrites keys of the construction config (φ, seeds, the row path): a resolved model has none.
    case needsConfig

    public var description: String {
        switch self {
        case .needsConfig:
            return "collapse studies change the config; give a construction config or preset, not a resolved model"
        }
    }
}
