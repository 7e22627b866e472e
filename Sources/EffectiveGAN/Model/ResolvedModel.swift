/// A model with every number listed (spec §8): the canonical input of every computation.
///
/// Configs and presets are resolved into this form first, and `EffectiveModel` is always built from it, so a
/// resolved model saved with `egan model CONFIG --resolved` and read back reproduces every result bit for bit.
public struct ResolvedModel: Equatable, Sendable {
    /// The discriminator with its frozen random parts.
    public enum Discriminator: Equatable, Sendable {
        /// D(x) = v·x + c.
        case linear(outputBias: Bool, weightDecay: Double)
        /// An MLP of one or more hidden layers with their weights as initialised (`MLPCritic`).
        case mlp(MLPCritic)

        public var outputBias: Bool {
            switch self {
            case let .linear(outputBias, _): return outputBias
            case let .mlp(critic): return critic.outputBias
            }
        }

        public var weightDecay: Double {
            switch self {
            case let .linear(_, weightDecay): return weightDecay
            case let .mlp(critic): return critic.weightDecay
            }
        }

        /// The MLP critic, or nil for a linear one.
        public var mlp: MLPCritic? {
            if case let .mlp(critic) = self { return critic }
            return nil
        }
    }

    /// Target points y_m (M rows of length d).
    public var targets: [[Double]]
    /// The matched equilibrium positions of the particles (N rows).
    public var particles: [[Double]]
    /// Where simulations start (N rows).
    public var initialParticles: [[Double]]
    /// The generator kernel K = (η_G/N)·Θ (N × N, or (N·d) × (N·d) for a block kernel).
    public var kernel: [[Double]]
    public var discriminator: Discriminator
    /// How the discriminator learns: `"etaD"` (a rate, or `"optimal"`) and, for fictitious play, `"memory"` and
    /// `"memoryWeight"` in the discriminator object.
    public var learning: CriticLearning
    /// Packing size m (`"pack"` in the discriminator object when m > 1; W rows then have m·d entries).
    public var pack = 1
    /// Likelihood guidance (top-level `"likelihood": {"weight", "bandwidth"}`), or nil.
    public var likelihood: LikelihoodGuidance? = nil
    public var loss: Loss
    public var regularizer: RegularizerKind
    /// Regulariser strength γ.
    public var gamma: Double
    /// Where data targets came from (top-level `"targetSource"`, an extension of spec §8 written only for targets
    /// read from data), or nil.
    public var targetSource: TargetSource? = nil
    /// The mode of every target when several targets are samples of one mode (top-level `"targetModes"`, an
    /// extension of spec §8 written only for `samplesPerMode` > 1): coverage and collapse count modes, not samples.
    /// Nil: every distinct target is its own mode.
    public var targetModes: [Int]? = nil

    /// Output dimension d.
    public var dimension: Int { targets.first?.count ?? 0 }
    /// η_D, and 1 for an optimal discriminator (`EffectiveModel.etaD` says why).
    public var etaD: Double { learning.rate ?? 1 }
    public var optimalDiscriminator: Bool { learning.isOptimal }
    public var memory: FictitiousPlay? { learning.memory }

    /// Whether the flow jumps: relu's (and leaky_relu's) φ′ is a step, so ∇_x D (the particles' velocity) is discontinuous and an
    /// adaptive ODE stepper rejects a step at every kink; plain gradient steps suit such models.
    public var hasDiscontinuousField: Bool {
        if let critic = discriminator.mlp { return critic.activation.isPiecewiseLinear }
        return false
    }
}

// MARK: - JSON form (spec §8, keys exactly)

extension ResolvedModel {
    static let keys = [
        "targets", "particles", "initialParticles", "kernel", "discriminator", "etaD", "loss", "regularizer", "gamma",
        "likelihood", "targetSource", "targetModes",
    ]

    /// Whether a JSON document is a resolved model rather than a construction config.
    public static func looksResolved(_ json: JSONValue) -> Bool { json["targets"] != nil }

    private var packPairs: [(String, JSONValue)] { pack > 1 ? [("pack", .integer(pack))] : [] }

    /// The JSON form with the keys of spec §8 in that order.
    public var json: JSONValue {
        let disc: JSONValue
        switch discriminator {
        case let .linear(outputBias, weightDecay):
            disc = .object(
                [
                    ("kind", .string("linear")), ("outputBias", .bool(outputBias)),
                    ("weightDecay", .number(weightDecay)),
                ] + (memory?.jsonPairs ?? []) + packPairs)
        case let .mlp(critic):
            // One hidden layer keeps spec §8's keys exactly ("W", "b"); a deeper critic lists its layers.
            let weights: [(String, JSONValue)] =
                critic.depth == 1
                ? [("W", .rows(critic.layers[0].weights)), ("b", .numbers(critic.layers[0].biases))]
                : [
                    (
                        "layers",
                        .array(critic.layers.map { .object([("W", .rows($0.weights)), ("b", .numbers($0.biases))]) })
                    )
                ]
            disc = .object(
                [
                    ("kind", .string("mlp"))
                ] + critic.activation.jsonPairs + [("train", .string(critic.training.rawValue))] + weights + [
                    ("outputBias", .bool(critic.outputBias)), ("weightDecay", .number(critic.weightDecay)),
                ] + (memory?.jsonPairs ?? []) + packPairs)
        }
        return .object(
            [
                ("targets", .rows(targets)), ("particles", .rows(particles)),
                ("initialParticles", .rows(initialParticles)),
                ("kernel", .rows(kernel)), ("discriminator", disc),
                ("etaD", learning.rate.map(JSONValue.number) ?? .string("optimal")),
                ("loss", .string(loss.rawValue)),
                ("regularizer", .string(regularizer.rawValue)), ("gamma", .number(gamma)),
            ] + (likelihood.map { [("likelihood", $0.json)] } ?? [])
                + (targetSource.map { [("targetSource", $0.json)] } ?? [])
                + (targetModes.map { [("targetModes", .array($0.map(JSONValue.integer)))] } ?? []))
    }

    /// Reads and validates a resolved model.
    public init(json: JSONValue) throws {
        let root = try JSONReader(json, path: "")
        try root.rejectUnknownKeys(allowed: Self.keys)
        targets = try root.rows("targets")
        guard let d = targets.first?.count, d >= 1 else {
            throw ConfigError.invalidValue(path: "targets", reason: "is empty; list at least one target point")
        }
        particles = try root.rows("particles")
        initialParticles = try root.rows("initialParticles")
        kernel = try root.rows("kernel")
        // N is the kernel's size (N × N, or (N·d) × (N·d) for a block kernel when the particles say so): a list
        // with a row too few or too many is named, not its twin.
        let n = d > 1 && kernel.count == particles.count * d ? particles.count : kernel.count
        for (key, rows) in [("particles", particles), ("initialParticles", initialParticles)] {
            guard rows.count == n, n >= 1, rows.allSatisfy({ $0.count == d }) else {
                throw ConfigError.invalidValue(
                    path: key,
                    reason: "must list \(max(n, 1)) points (the kernel's size) of dimension \(d); it has \(rows.count)")
            }
        }
        try KernelSpec.validateExplicit(kernel, particles: n, dimension: d, path: "kernel")
        pack = try root.object("discriminator").positiveInt("pack", default: 1)
        discriminator = try Self.readDiscriminator(root.object("discriminator"), dimension: d * pack)
        let memory = try FictitiousPlay.read(root.object("discriminator"))
        let optimal = (try? root.string("etaD")) == "optimal"
        if optimal, memory != nil {
            throw ConfigError.invalidValue(
                path: "discriminator.memory",
                reason: "needs a trained discriminator; with etaD \"optimal\" there is no training to remember")
        }
        learning = CriticLearning(rate: optimal ? nil : try root.positive("etaD"), memory: memory)
        loss = try root.choice("loss", as: Loss.self)
        regularizer = try root.choice("regularizer", as: RegularizerKind.self)
        if learning.isOptimal {
            var linearInθ = true
            if let critic = discriminator.mlp { linearInθ = critic.training == .outer }
            try OptimalDiscriminator.validate(
                linearInθ: linearInθ, weightDecay: discriminator.weightDecay, regularizer: regularizer, path: "etaD")
        }
        gamma = try root.nonNegative("gamma", default: 0)
        likelihood = root.has("likelihood") ? try LikelihoodGuidance.read(root.object("likelihood")) : nil
        targetSource = root.has("targetSource") ? try TargetSource(root.object("targetSource")) : nil
        if root.has("targetModes") {
            let values = try root.doubles("targetModes")
            let modes = values.compactMap { Int(exactly: $0) }
            // Modes are numbered 0, 1, … in target order, every number used: what `resolve` writes.
            guard modes.count == targets.count, modes.first == 0,
                zip(modes, modes.dropFirst()).allSatisfy({ $1 == $0 || $1 == $0 + 1 })
            else {
                throw ConfigError.invalidValue(
                    path: "targetModes",
                    reason: "must give each of the \(targets.count) targets its mode, numbered 0, 1, … in target order")
            }
            targetModes = modes
        }
    }

    private static func readDiscriminator(_ reader: JSONReader, dimension: Int) throws -> Discriminator {
        let kind = try reader.choice("kind", as: DiscriminatorSpec.Kind.self)
        let outputBias = try reader.bool("outputBias", default: true)
        let weightDecay = try reader.nonNegative("weightDecay", default: 0)
        switch kind {
        case .linear:
            try reader.rejectUnknownKeys(allowed: [
                "kind", "outputBias", "weightDecay", "memory", "memoryWeight", "pack",
            ])
            return .linear(outputBias: outputBias, weightDecay: weightDecay)
        case .mlp:
            try reader.rejectUnknownKeys(allowed: [
                "kind", "activation", "negativeSlope", "train", "W", "b", "layers", "outputBias", "weightDecay",
                "memory", "memoryWeight", "pack",
            ])
            let layers: [MLPCritic.Layer]
            if reader.has("layers") {
                if reader.has("W") || reader.has("b") {
                    throw ConfigError.invalidValue(
                        path: reader.child("layers"), reason: "replaces \"W\" and \"b\"; give one or the other")
                }
                let entries = try reader.objects("layers")
                guard !entries.isEmpty else {
                    throw ConfigError.invalidValue(
                        path: reader.child("layers"), reason: "is empty; list at least one layer")
                }
                var inputs = dimension
                layers = try entries.map { entry in
                    try entry.rejectUnknownKeys(allowed: ["W", "b"])
                    let layer = try Self.readLayer(entry, inputs: inputs)
                    inputs = layer.width
                    return layer
                }
            } else {
                layers = [try Self.readLayer(reader, inputs: dimension)]
            }
            return .mlp(
                MLPCritic(
                    activation: try Activation.read(reader),
                    training: try reader.choice("train", as: Training.self), layers: layers, outputBias: outputBias,
                    weightDecay: weightDecay))
        }
    }

    /// One hidden layer's "W" (rows of length `inputs`: the target dimension × pack for the first layer, the
    /// previous width after it) and "b" (one entry per row).
    private static func readLayer(_ reader: JSONReader, inputs: Int) throws -> MLPCritic.Layer {
        let weights = try reader.rows("W")
        let biases = try reader.doubles("b")
        guard !weights.isEmpty else {
            throw ConfigError.invalidValue(path: reader.child("W"), reason: "is empty; width must be at least 1")
        }
        guard weights.allSatisfy({ $0.count == inputs }) else {
            throw ConfigError.invalidValue(
                path: reader.child("W"),
                reason: "rows must have \(inputs) entries (the input dimension × pack, or the previous layer's width)")
        }
        guard biases.count == weights.count else {
            throw ConfigError.invalidValue(
                path: reader.child("b"), reason: "must have one entry per row of W (\(weights.count))")
        }
        return MLPCritic.Layer(weights: weights, biases: biases)
    }
}
