import Foundation
import LinearAlgebra

/// Reading and validating a config (spec §8). Defaults for keys the spec leaves open are documented in the README
/// ("Config reference") and here.
extension ModelConfig {
    static let topLevelKeys = [
        "name", "dimension", "target", "generator", "discriminator", "loss", "regularizer", "equilibrium",
    ]

    /// Decodes and validates a config object.
    ///
    /// - Parameters:
    ///   - defaultName: used when the config has no `name` (e.g. the file's base name).
    ///   - baseDirectory: where relative data paths (`target.path`, `target.subset.labels`) start: the config
    ///     file's folder; nil for the working directory.
    /// - Throws: `ConfigError` naming the offending field, or `.several` naming one per wrong section.
    public init(json: JSONValue, defaultName: String = "model", baseDirectory: URL? = nil) throws {
        let root = try JSONReader(json, path: "")
        // The sections are independent, so each is read even when another is wrong, and all their problems are
        // reported together (within a section, the first problem).
        var problems = ConfigProblems()
        _ = try problems.collect { try root.rejectUnknownKeys(allowed: Self.topLevelKeys) }
        let name = try problems.collect { try root.string("name", default: defaultName) }
        _ = try problems.collect {
            if root.has("equilibrium"), try root.string("equilibrium") != "matched" {
                throw ConfigError.invalidValue(
                    path: "equilibrium", reason: "must be \"matched\" (the only equilibrium kind)")
            }
        }
        let dimension = try problems.collect {
            let dimension = try root.int("dimension")
            guard dimension >= 1 else {
                throw ConfigError.invalidValue(path: "dimension", reason: "must be at least 1")
            }
            return dimension
        }
        // Target and generator sizes are checked against the dimension, so they wait for a valid one.
        let target = try dimension.flatMap { d in
            try problems.collect {
                try TargetSpec(root.object("target"), dimension: d, baseDirectory: baseDirectory)
            }
        }
        let generator = try dimension.flatMap { d in
            try problems.collect {
                try GeneratorSpec(root.object("generator"), dimension: d, baseDirectory: baseDirectory)
            }
        }
        let discriminator = try problems.collect { try DiscriminatorSpec(root.object("discriminator")) }
        let loss = try problems.collect { try root.choice("loss", as: Loss.self, default: .wgan) }
        let regularizer = try problems.collect {
            root.has("regularizer")
                ? try RegularizerSpec(root.object("regularizer")) : RegularizerSpec(kind: .none, strength: 0)
        }
        try problems.throwIfAny()
        guard let name, let dimension, let target, let generator, let discriminator, let loss, let regularizer else {
            preconditionFailure("every section was read or its problem thrown")
        }
        self.name = name
        self.dimension = dimension
        self.target = target
        self.generator = generator
        self.discriminator = discriminator
        self.loss = loss
        self.regularizer = regularizer
        try fitNetwork()
        try checkConsistency()
    }

    /// For a network generator: its matched equilibrium w* and its empirical block kernel Θ(w*), which from here
    /// on is the model's kernel (model §4, exact for every linear answer). Run again whenever the network, the
    /// targets or N change (`ModelEdit`).
    ///
    /// With `generator.network.fit` false there is no fit: the network is only trained, and its resolved kernel is
    /// the push K = (η_G/N)·I that its outputs receive before Jᵀ (`NetworkFlow`); `ModelSource.requireLinearTheory`
    /// refuses every linear answer on it.
    mutating func fitNetwork() throws {
        guard let network = generator.network else { return }
        guard network.fitsEquilibrium else {
            generator.networkEquilibrium = nil
            generator.kernel = .push
            return
        }
        do {
            let fit = try network.equilibrium(
                targets: target.points(dimension: dimension), particles: generator.particles)
            generator.networkEquilibrium = fit
            generator.kernel = KernelSpec.explicit(fit.kernel.rowArrays)
        } catch let error as KernelError {
            throw ConfigError.invalidValue(path: "generator.network", reason: error.description)
        } catch let ModelError.exceedsMemoryBudget(what, bytes, budget) {
            throw ConfigError.invalidValue(
                path: "generator.network",
                reason:
                    "needs about \(MemoryBudget.describe(bytes)) for \(what) to fit w* and Θ(w*), above the memory budget of \(MemoryBudget.describe(budget)); set generator.network.fit to false to train the network only (simulate, convergence, collapse with gradient steps), or raise EGAN_MEMORY_BUDGET"
            )
        }
    }

    /// The checks that tie sections together (each section's own keys are checked as they are read): the methods
    /// that exclude each other, the universal kernel's φ range for this N, the optimal discriminator's
    /// preconditions, the memory budget, packing, and N a multiple of M. Run after decoding and after every typed
    /// edit (`ModelConfig.applying(_:)`, which checks a network's size itself, before its fit).
    func checkConsistency() throws {
        try DiscriminatorSpec.checkMethods(
            optimal: discriminator.learning.isOptimal, memory: discriminator.learning.memory, pack: discriminator.pack)
        if generator.network != nil, discriminator.learning.memory != nil {
            // Fictitious play keeps a memory of the particles in the state; a network's state is (w, θ).
            throw ConfigError.invalidValue(
                path: "discriminator.memory",
                reason:
                    "does not apply to a generator network: its training state is (w, θ), with no memory of the outputs; remove it"
            )
        }
        if case let .universal(ratio, _) = generator.kernel {
            try KernelSpec.checkUniversalRatio(ratio, particles: generator.particles, path: "generator.kernel.ratio")
        }
        if discriminator.learning.isOptimal {
            try OptimalDiscriminator.validate(
                linearInθ: discriminator.kind == .linear || discriminator.training == .outer,
                weightDecay: discriminator.weightDecay, regularizer: regularizer.kind,
                path: "discriminator.learningRate")
        }
        let targetCount = target.count
        try checkMemory()
        if discriminator.pack > 1 {
            let bytes = Packing.memoryEstimate(
                particles: generator.particles, targets: targetCount, size: discriminator.pack,
                width: discriminator.width, dimension: dimension,
                innerParameters: zip(discriminator.layers.dropFirst(), discriminator.layers).reduce(0.0) {
                    $0 + Double($1.0) * Double($1.1 + 1)
                })
            guard bytes <= Double(Packing.memoryLimit) else {
                throw ConfigError.invalidValue(
                    path: "discriminator.pack",
                    reason:
                        "is \(discriminator.pack): \(generator.particles)^\(discriminator.pack) fake packs need about \(Format.number(bytes / 1e9, digits: 3)) GB (limit \(Packing.memoryLimit / 1_000_000_000) GB); use a smaller pack or fewer particles"
                )
            }
        }
        guard generator.particles % targetCount == 0 else {
            throw ConfigError.invalidValue(
                path: "generator.particles",
                reason:
                    "is \(generator.particles) but the matched equilibrium needs a multiple of the \(targetCount) targets"
            )
        }
    }
}

extension TargetSpec {
    /// The keys each target kind reads besides the common ones: a key of another kind is refused, not ignored.
    static let kindKeys = [
        "points": ["points"], "ring": ["modes", "radius"], "line": ["modes", "spacing"], "grid": ["side", "spacing"],
        "file": DataTargets.fileKeys, "dataset": DataTargets.datasetKeys,
    ]

    static let keys = ["kind", "samplesPerMode", "spread", "seed"] + Array(Set(kindKeys.values.joined())).sorted()

    init(_ reader: JSONReader, dimension: Int, baseDirectory: URL? = nil) throws {
        try reader.rejectUnknownKeys(allowed: Self.keys)
        let kind = try reader.string("kind")
        if let own = Self.kindKeys[kind] {
            let foreign = Set(Self.kindKeys.values.flatMap { $0 }).subtracting(own).sorted()
            if let key = foreign.first(where: reader.has) {
                throw ConfigError.invalidValue(
                    path: reader.child(key),
                    reason:
                        "does not apply to target kind '\(kind)' (it reads \(own.joined(separator: ", "))); remove it")
            }
        }
        switch kind {
        case "points":
            let points = try reader.rows("points")
            guard !points.isEmpty else {
                throw ConfigError.invalidValue(
                    path: reader.child("points"), reason: "is empty; list at least one target point")
            }
            guard points[0].count == dimension else {
                throw ConfigError.invalidValue(
                    path: reader.child("points"),
                    reason: "has points of length \(points[0].count), need dimension \(dimension)")
            }
            layout = .points(points)
        case "ring":
            guard dimension >= 2 else {
                throw ConfigError.invalidValue(path: reader.child("kind"), reason: "'ring' needs dimension ≥ 2")
            }
            layout = .ring(modes: try reader.positiveInt("modes"), radius: try reader.positive("radius", default: 1))
        case "line":
            layout = .line(modes: try reader.positiveInt("modes"), spacing: try reader.positive("spacing", default: 2))
        case "grid":
            guard dimension >= 2 else {
                throw ConfigError.invalidValue(path: reader.child("kind"), reason: "'grid' needs dimension ≥ 2")
            }
            layout = .grid(side: try reader.positiveInt("side"), spacing: try reader.positive("spacing", default: 2))
        case "file", "dataset":
            layout = .data(try DataTargets(reader, kind: kind, dimension: dimension, baseDirectory: baseDirectory))
        default:
            throw ConfigError.invalidValue(
                path: reader.child("kind"),
                reason: "is '\(kind)'; choose one of: points, ring, line, grid, file, dataset")
        }
        samplesPerMode = try reader.positiveInt("samplesPerMode", default: 1)
        spread = try reader.nonNegative("spread", default: 0)
        seed = try reader.nonNegativeInt("seed", default: 1)
    }

    /// Number of mode centres.
    var modeCount: Int {
        switch layout {
        case let .points(points): return points.count
        case let .data(data): return data.points.count
        case let .ring(modes, _), let .line(modes, _): return modes
        case let .grid(side, _): return side * side
        }
    }

    /// Number of target points M.
    public var count: Int { modeCount * samplesPerMode }
}

extension GeneratorSpec {
    static let keys = ["particles", "learningRate", "kernel", "network", "init", "likelihood"]

    init(_ reader: JSONReader, dimension: Int, baseDirectory: URL?) throws {
        try reader.rejectUnknownKeys(allowed: Self.keys)
        particles = try reader.positiveInt("particles")
        learningRate = try reader.positive("learningRate", default: 1)
        if reader.has("network"), reader.has("kernel") {
            throw ConfigError.invalidValue(
                path: reader.child("network"),
                reason:
                    "and generator.kernel both describe the generator; a network's kernel is Θ(w*), so remove kernel")
        }
        network = reader.has("network") ? try NetworkGenerator(reader.object("network"), dimension: dimension) : nil
        networkEquilibrium = nil
        kernel =
            reader.has("kernel")
            ? try KernelSpec(
                reader.object("kernel"), particles: particles, dimension: dimension, baseDirectory: baseDirectory)
            : .universal(ratio: 0, selfValue: 1)
        initial =
            reader.has("init")
            ? try InitSpec(reader.object("init"), particles: particles, dimension: dimension)
            : .gaussian(center: Array(repeating: 0, count: dimension), std: 1, seed: 2)
        likelihood = reader.has("likelihood") ? try LikelihoodGuidance.read(reader.object("likelihood")) : nil
    }
}

extension KernelSpec {
    init(_ reader: JSONReader, particles: Int, dimension: Int, baseDirectory: URL?) throws {
        let kind = try reader.string("kind")
        switch kind {
        case "universal":
            try reader.rejectUnknownKeys(allowed: ["kind", "ratio", "self"])
            let ratio = try reader.double("ratio", default: 0)
            try Self.checkUniversalRatio(ratio, particles: particles, path: reader.child("ratio"))
            self = .universal(ratio: ratio, selfValue: try reader.positive("self", default: 1))
        case "explicit":
            try reader.rejectUnknownKeys(allowed: ["kind", "matrix", "path", "format"])
            let matrix: [[Double]]
            let field: String
            switch (reader.has("matrix"), reader.has("path")) {
            case (true, false):
                matrix = try reader.rows("matrix")
                field = reader.child("matrix")
            case (false, true):
                // Θ from a .npy or CSV file, relative to the config like target files (a torch NTK saved as is).
                let path = try reader.string("path")
                field = reader.child("path")
                let format = try DataFormat.of(path, in: reader, field: field)
                // The reader checks the memory the file's own size implies (an N × N file for d = 784 is small;
                // a budget from (N·d)² would refuse it), and the shape is validated after reading.
                matrix = try DataTargets.read(path, as: format, field: field, baseDirectory: baseDirectory)
                    .rows(field: field, path: path)
            default:
                throw ConfigError.invalidValue(
                    path: reader.path,
                    reason: "needs exactly one of \"matrix\" (rows inline) or \"path\" (a .npy or CSV file)")
            }
            try KernelSpec.validateExplicit(matrix, particles: particles, dimension: dimension, path: field)
            self = .explicit(matrix)
        case "ntk":
            try reader.rejectUnknownKeys(allowed: [
                "kind", "depth", "activation", "weightVariance", "biasVariance", "train", "latentDimension",
                "latentDistribution", "seed",
            ])
            do {
                let network = try GeneratorNetwork(
                    depth: try reader.positiveInt("depth", default: 1),
                    activation: try reader.choice("activation", as: GeneratorNetwork.Activation.self, default: .relu),
                    weightVariance: try reader.positive("weightVariance", default: 1),
                    biasVariance: try reader.nonNegative("biasVariance", default: 0),
                    training: try reader.choice("train", as: GeneratorNetwork.Training.self, default: .all))
                self = .ntk(
                    network: network, latentDimension: try reader.positiveInt("latentDimension"),
                    distribution: try reader.choice(
                        "latentDistribution", as: LatentDistribution.self, default: .gaussian),
                    seed: try reader.nonNegativeInt("seed", default: 4))
            } catch let error as KernelError {
                throw ConfigError.invalidValue(path: reader.path, reason: "\(error)")
            }
        default:
            throw ConfigError.invalidValue(
                path: reader.child("kind"), reason: "is '\(kind)'; choose one of: universal, explicit, ntk")
        }
    }
}

extension InitSpec {
    /// `kind` defaults to `gaussian`, the default start, so `{"seed": 5}` is that start with another seed (what
    /// `ModelEdit` of `generator.init.seed` gives on a config without `init`).
    init(_ reader: JSONReader, particles: Int, dimension: Int) throws {
        let kind = try reader.string("kind", default: "gaussian")
        switch kind {
        case "gaussian":
            try reader.rejectUnknownKeys(allowed: ["kind", "center", "std", "seed"])
            let center = reader.has("center") ? try reader.doubles("center") : Array(repeating: 0, count: dimension)
            guard center.count == dimension else {
                throw ConfigError.invalidValue(
                    path: reader.child("center"), reason: "has \(center.count) entries, need dimension \(dimension)")
            }
            self = .gaussian(
                center: center, std: try reader.nonNegative("std", default: 1),
                seed: try reader.nonNegativeInt("seed", default: 2))
        case "points":
            try reader.rejectUnknownKeys(allowed: ["kind", "points"])
            let points = try reader.rows("points")
            guard points.count == particles, points.first?.count == dimension else {
                throw ConfigError.invalidValue(
                    path: reader.child("points"), reason: "must list \(particles) points of dimension \(dimension)")
            }
            self = .points(points)
        case "targets":
            try reader.rejectUnknownKeys(allowed: ["kind", "std", "seed"])
            self = .aroundTargets(
                std: try reader.nonNegative("std", default: 0.1), seed: try reader.nonNegativeInt("seed", default: 2))
        default:
            throw ConfigError.invalidValue(
                path: reader.child("kind"), reason: "is '\(kind)'; choose one of: gaussian, points, targets")
        }
    }
}

extension DiscriminatorSpec {
    static let keys = [
        "kind", "learningRate", "outputBias", "weightDecay", "width", "layers", "activation", "negativeSlope", "train",
        "weightStd", "hiddenBias", "hiddenBiasStd", "seed", "memory", "memoryWeight", "pack",
    ]

    init(_ reader: JSONReader) throws {
        try reader.rejectUnknownKeys(allowed: Self.keys)
        kind = try reader.choice("kind", as: Kind.self)
        let optimal = (try? reader.string("learningRate")) == "optimal"
        let rate = optimal ? nil : try reader.positive("learningRate", default: 1)
        outputBias = try reader.bool("outputBias", default: true)
        weightDecay = try reader.nonNegative("weightDecay", default: 0)
        let memory = try FictitiousPlay.read(reader)
        pack = try reader.positiveInt("pack", default: 1)
        try Self.checkMethods(optimal: optimal, memory: memory, pack: pack)
        learning = CriticLearning(rate: rate, memory: memory)
        if kind == .linear {
            let mlpOnly = [
                "width", "layers", "activation", "negativeSlope", "train", "weightStd", "hiddenBias", "hiddenBiasStd",
                "seed",
            ]
            if let key = mlpOnly.first(where: reader.has) {
                throw ConfigError.invalidValue(
                    path: reader.child(key), reason: "applies to kind 'mlp' only; remove it for 'linear'")
            }
            layers = []
            widthsKey = reader.child("width")
            activation = .relu
            training = .all
            weightStd = 0
            hiddenBias = .normal
            hiddenBiasStd = 0
            seed = 0
            return
        }
        layers = try Self.hiddenWidths(reader)
        widthsKey = reader.child(reader.has("layers") ? "layers" : "width")
        activation = try Activation.read(reader)
        training = try reader.choice("train", as: Training.self, default: .all)
        weightStd = try reader.nonNegative("weightStd", default: 1)
        hiddenBias = try reader.choice("hiddenBias", as: HiddenBias.self, default: activation.defaultHiddenBias)
        if hiddenBias == .uniform2pi, reader.has("hiddenBiasStd") {
            throw ConfigError.invalidValue(
                path: reader.child("hiddenBiasStd"),
                reason:
                    "applies to hiddenBias \"normal\" only (uniform-2pi phases have no std); remove it or set hiddenBias to \"normal\""
            )
        }
        hiddenBiasStd = try reader.nonNegative("hiddenBiasStd", default: 1)
        seed = try reader.nonNegativeInt("seed", default: 3)
    }
}

extension DiscriminatorSpec {
    /// The training methods that cannot be combined: fictitious play needs a trained discriminator (an optimal
    /// one has nothing to remember) and remembers particles, not packs. Checked when the section is read and
    /// after every typed edit (`ModelConfig.checkConsistency`).
    static func checkMethods(optimal: Bool, memory: FictitiousPlay?, pack: Int) throws {
        if memory != nil && pack > 1 {
            throw ConfigError.invalidValue(
                path: "discriminator.pack",
                reason: "cannot be combined with discriminator.memory (memory of packs is not defined)")
        }
        if memory != nil && optimal {
            throw ConfigError.invalidValue(
                path: "discriminator.memory",
                reason: "needs a trained discriminator; with learningRate \"optimal\" there is no training to remember")
        }
    }

    /// The hidden widths: `layers` (e.g. [128, 128]) or `width` (one layer, the shorthand); exactly one of them.
    static func hiddenWidths(_ reader: JSONReader, shorthand: String? = "width") throws -> [Int] {
        if shorthand == nil, !reader.has("layers") { throw ConfigError.missingKey(path: reader.child("layers")) }
        switch (shorthand != nil && reader.has("width"), reader.has("layers")) {
        case (true, true):
            throw ConfigError.invalidValue(
                path: reader.child("layers"),
                reason: "and width both give the hidden widths; keep layers (e.g. [128, 128]) or width (one layer)")
        case (true, false):
            return [try reader.positiveInt("width")]
        case (false, false):
            throw ConfigError.missingKey(path: reader.child("width"))
        case (false, true):
            let values = try reader.doubles("layers")
            guard !values.isEmpty else {
                throw ConfigError.invalidValue(
                    path: reader.child("layers"), reason: "is empty; list the hidden widths, e.g. [128, 128]")
            }
            return try values.enumerated().map { index, value in
                guard value >= 1, value <= 1e9, value == value.rounded() else {
                    throw ConfigError.invalidValue(
                        path: "\(reader.child("layers"))[\(index)]",
                        reason: "is \(value); a width is a whole number ≥ 1")
                }
                return Int(value)
            }
        }
    }
}

extension RegularizerSpec {
    init(_ reader: JSONReader) throws {
        try reader.rejectUnknownKeys(allowed: ["kind", "strength"])
        kind = try reader.choice("kind", as: RegularizerKind.self)
        strength = try reader.nonNegative("strength", default: 0)
    }
}

extension KernelSpec {
    /// The φ = g₂/g₁ of a universal kernel on N particles that keep it positive semi-definite: −1/(N − 1) ≤ φ ≤ 1.
    public static func universalRatioRange(particles n: Int) -> ClosedRange<Double> {
        (n > 1 ? -1 / Double(n - 1) : -Double.greatestFiniteMagnitude)...1
    }

    static func checkUniversalRatio(_ ratio: Double, particles: Int, path: String) throws {
        let range = universalRatioRange(particles: particles)
        guard range.contains(ratio) else {
            throw ConfigError.invalidValue(
                path: path,
                reason:
                    "is \(ratio); the universal kernel is positive semi-definite only for \(JSONValue.format(range.lowerBound)) ≤ φ ≤ 1 with N = \(particles)"
            )
        }
    }

    /// Checks that an explicit kernel Θ is N × N or (N·d) × (N·d), finite, symmetric and positive semi-definite.
    ///
    /// Symmetry is exact up to 1e-12 relative to the largest entry; the smallest eigenvalue may be negative by at
    /// most 1e-12 of the largest (rounding in a matrix the user computed, e.g. a float64 torch NTK). A float32
    /// NTK is symmetric only to ~1e-7: compute it in float64 or symmetrise it, (Θ + Θᵀ)/2.
    static func validateExplicit(_ rows: [[Double]], particles: Int, dimension: Int, path: String) throws {
        let block = particles * dimension
        let side = rows.count
        guard side == particles || side == block, rows.allSatisfy({ $0.count == side }) else {
            let sizes =
                dimension == 1
                ? "\(particles) × \(particles)"
                : "\(particles) × \(particles) (one row per particle) or \(block) × \(block) (one per particle and output, particle-major)"
            throw ConfigError.invalidValue(
                path: path, reason: "is \(side) × \(rows.first?.count ?? 0); it must be \(sizes)")
        }
        guard rows.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw ConfigError.invalidValue(path: path, reason: "holds a non-finite entry; every entry must be finite")
        }
        let scale = rows.joined().reduce(0) { max($0, abs($1)) }
        for i in 0..<side {
            for j in 0..<i where abs(rows[i][j] - rows[j][i]) > 1e-12 * scale {
                throw ConfigError.invalidValue(
                    path: path,
                    reason:
                        "is not symmetric: entry [\(i)][\(j)] = \(rows[i][j]) but [\(j)][\(i)] = \(rows[j][i]); symmetrise it as (Θ + Θᵀ)/2"
                )
            }
        }
        let eigenvalues = try Matrix(rows).symmetricEigenvalues()
        if let smallest = eigenvalues.first, smallest < -1e-12 * max(scale, eigenvalues.last ?? 0) {
            throw ConfigError.invalidValue(
                path: path, reason: "is not positive semi-definite: its smallest eigenvalue is \(smallest)")
        }
    }
}

extension JSONReader {
    /// The largest magnitude a scale of the model may have (a rate, a strength, a length, a standard deviation).
    /// The flow multiplies such numbers together and squares coordinates; at 1e15 those products still fit a
    /// double with room for a dynamic range of 10⁸ in γ, above it they overflow into infinities or nonsense.
    static let largestScale = 1e15

    /// The smallest magnitude a positive scale may have: the flow divides by such numbers (a time constant, a
    /// bandwidth) or multiplies them by others up to `largestScale`, so 1e-15 keeps every ratio within 1e30.
    static let smallestScale = 1e-15

    func positive(_ key: String, default value: Double? = nil) throws -> Double {
        let number = try value.map { try double(key, default: $0) } ?? double(key)
        guard number > 0 else {
            throw ConfigError.invalidValue(path: child(key), reason: "must be positive (got \(number))")
        }
        guard number >= Self.smallestScale else {
            throw ConfigError.invalidValue(
                path: child(key),
                reason:
                    "is \(number), below 1e-15 where the flow's ratios overflow; rescale the model (units of time or length)"
            )
        }
        return try bounded(key, number)
    }

    func nonNegative(_ key: String, default value: Double? = nil) throws -> Double {
        let number = try value.map { try double(key, default: $0) } ?? double(key)
        guard number >= 0 else {
            throw ConfigError.invalidValue(path: child(key), reason: "must be ≥ 0 (got \(number))")
        }
        return try bounded(key, number)
    }

    private func bounded(_ key: String, _ number: Double) throws -> Double {
        guard number <= Self.largestScale else {
            throw ConfigError.invalidValue(
                path: child(key),
                reason:
                    "is \(number), above 1e15 where the flow's products overflow; rescale the model (units of time or length)"
            )
        }
        return number
    }

    /// A leaky relu's slope α ∈ [0, 1) (critics and generator networks alike).
    func leakySlope(_ key: String, default value: Double? = nil) throws -> Double {
        let slope = try value.map { try double(key, default: $0) } ?? double(key)
        guard slope >= 0, slope < 1 else {
            throw ConfigError.invalidValue(
                path: child(key), reason: "is \(slope); a leaky relu's slope α lies in [0, 1)")
        }
        return slope
    }

    func positiveInt(_ key: String, default value: Int? = nil) throws -> Int {
        let number = try value.map { try int(key, default: $0) } ?? int(key)
        guard number >= 1 else {
            throw ConfigError.invalidValue(path: child(key), reason: "must be at least 1 (got \(number))")
        }
        return number
    }

    func nonNegativeInt(_ key: String, default value: Int) throws -> Int {
        let number = try int(key, default: value)
        guard number >= 0 else {
            throw ConfigError.invalidValue(path: child(key), reason: "must be ≥ 0 (got \(number))")
        }
        return number
    }
}

extension NetworkGenerator {
    static let keys = [
        "layers", "activation", "negativeSlope", "parameterization", "weightVariance", "biasVariance",
        "latentDimension", "latentDistribution", "seed", "fit",
    ]

    /// `generator.network`: hidden widths, activation, parameterisation (`ntk`, `standard`), latents and seed.
    init(_ reader: JSONReader, dimension: Int) throws {
        try reader.rejectUnknownKeys(allowed: Self.keys)
        layers = try DiscriminatorSpec.hiddenWidths(reader, shorthand: nil)
        activation = try reader.choice("activation", as: Activation.self, default: .relu)
        if activation != .leakyRelu, reader.has("negativeSlope") {
            throw ConfigError.invalidValue(
                path: reader.child("negativeSlope"), reason: "applies to activation \"leaky_relu\" only; remove it")
        }
        negativeSlope = try reader.leakySlope("negativeSlope", default: 0.01)
        parameterization = try reader.choice("parameterization", as: Parameterization.self, default: .ntk)
        if parameterization == .standard, let key = ["weightVariance", "biasVariance"].first(where: reader.has) {
            throw ConfigError.invalidValue(
                path: reader.child(key), reason: "applies to parameterization \"ntk\" only (standard is nn.Linear's)")
        }
        weightVariance = try reader.positive("weightVariance", default: 1)
        biasVariance = try reader.nonNegative("biasVariance", default: 0)
        latentDimension = try reader.positiveInt("latentDimension")
        outputDimension = dimension
        latentDistribution = try reader.choice("latentDistribution", as: LatentDistribution.self, default: .gaussian)
        seed = try reader.nonNegativeInt("seed", default: 4)
        fitsEquilibrium = try reader.bool("fit", default: true)
        try checkSize(path: reader.path)
    }

    /// Refuses a network whose parameters could not fit a Jacobian (P > 10¹⁰, or d_z > 10⁹), counted in Double
    /// before any Int product can overflow; P and N·d·P meet the memory budget later. Run when decoded and after
    /// every typed edit of its widths or latents.
    func checkSize(path: String) throws {
        let widths = [Double(latentDimension)] + layers.map(Double.init) + [Double(outputDimension)]
        let parameters = (1..<widths.count).reduce(0.0) { $0 + widths[$1] * (widths[$1 - 1] + 1) }
        guard latentDimension <= 1_000_000_000, parameters <= 1e10 else {
            throw ConfigError.invalidValue(
                path: path,
                reason:
                    "has \(Format.number(parameters, digits: 3)) parameters (latentDimension \(latentDimension)); at most 10¹⁰ fit in a Jacobian: use smaller layers or latents"
            )
        }
    }
}
