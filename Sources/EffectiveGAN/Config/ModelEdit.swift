/// A config key (`regularizer.strength`, `discriminator.layers`, `generator.kernel.ratio`, …) parsed once into a
/// typed edit of a `ModelConfig`: what sweeps, `--vs` rows and collapse cells change.
///
/// A study builds each cell from the typed config by `ModelConfig.applying(_:)`; it never writes a JSON document
/// and reads it back, so no data file or bundled data set is read again per cell. Each value is checked once,
/// when it becomes a `ModelSetting`, by the very reader method the decoder uses for that key (same bounds, same
/// message naming the key); the checks that tie sections together (`ModelConfig.checkConsistency`: N a multiple
/// of M, the memory budget, the methods that exclude each other, the φ range, the network's size) and a network
/// generator's equilibrium w* run again after every edit. A key that takes whole numbers accepts grid round-off. `ModelEditTests` checks, key by
/// key, that an edit gives the resolved model that editing the document and decoding it gives, bit for bit.
public struct ModelEdit: Sendable, Equatable, CustomStringConvertible {
    /// The dotted key as given.
    public var path: String { key.rawValue }
    let key: Key
    /// For `discriminator.activation`: the document leaves `hiddenBias` to the activation's default, so a new
    /// activation brings its own default (sin/cos phases uniform on [0, 2π), normal otherwise), as decoding does.
    private let hiddenBiasFollowsActivation: Bool
    /// For `discriminator.activation`: the config's leaky-relu slope (PyTorch's 0.2 when it has none). An axis of
    /// activations means the slope only where it applies: it is kept for `leaky_relu` and dropped for the others
    /// (decoding would refuse `negativeSlope` beside another activation).
    private let leakySlope: Double

    public var description: String { path }

    /// Every key an edit can set, in the order of `docs/config.md`.
    public static var keys: [String] { Key.allCases.map(\.rawValue) }

    /// Parses `path` for `source`'s config, refusing a key the config does not have (an `ntk` key on a universal
    /// kernel) or one no study can set (explicit points, file names, kinds), with the keys that can be set.
    public init(_ path: String, for source: ModelSource) throws {
        guard let config = source.config else {
            throw SweepError.unknownParameter(
                path: path, reason: "a resolved model has no construction to edit; give the construction config")
        }
        guard let key = Key(rawValue: path) else {
            throw SweepError.unknownParameter(
                path: path, reason: "it is not a key a study can set; one of: \(Self.keys.joined(separator: ", "))")
        }
        if let missing = key.missing(in: config) {
            throw SweepError.unknownParameter(path: path, reason: missing)
        }
        self.key = key
        let discriminator = source.document["discriminator"]
        hiddenBiasFollowsActivation = discriminator?["hiddenBias"] == nil
        let activation = config.discriminator.activation
        leakySlope = activation.kind == .leakyRelu ? activation.negativeSlope : Activation.defaultNegativeSlope
    }

    /// Whether the key takes whole numbers (sizes, seeds, widths): a sweep refines its critical points on them.
    public var takesWholeNumbers: Bool { key.takesWholeNumbers }

    /// `value` checked as the config's decoder checks this key. For a key that takes whole numbers, a grid
    /// value within rounding of one (9.999999999999998 from a log grid) is that whole number.
    public func setting(_ value: JSONValue) throws -> ModelSetting {
        var value = value
        if key.takesWholeNumbers, case let .number(x) = value, x.isFinite, abs(x) < 1e15,
            abs(x - x.rounded()) <= 1e-9 * max(1, abs(x))
        {
            value = .integer(Int(x.rounded()))
        }
        if key.reading == .widths { value = Self.widths(value) }
        let reader = try JSONReader(.object([(key.leaf, value)]), path: key.section)
        let leaf = key.leaf
        let typed: ModelSetting.Value
        switch key.reading {
        case .nonNegative: typed = .real(try reader.nonNegative(leaf))
        case .positive where key == .criticLearningRate && value == .string("optimal"): typed = .optimal
        case .positive: typed = .real(try reader.positive(leaf))
        case .real: typed = .real(try reader.double(leaf))
        case .leakySlope: typed = .real(try reader.leakySlope(leaf))
        case .positiveInt: typed = .whole(try reader.positiveInt(leaf))
        case .nonNegativeInt: typed = .whole(try reader.nonNegativeInt(leaf, default: 0))
        case .widths: typed = .widths(try DiscriminatorSpec.hiddenWidths(reader, shorthand: nil))
        case .choice: typed = try choice(reader)
        }
        return ModelSetting(edit: self, value: typed)
    }

    /// The value of a key that names one of a set (an activation, what trains).
    private func choice(_ reader: JSONReader) throws -> ModelSetting.Value {
        let leaf = key.leaf
        switch key {
        case .criticActivation: return .criticActivation(try reader.choice(leaf, as: Activation.Kind.self))
        case .criticTraining: return .training(try reader.choice(leaf, as: Training.self))
        case .ntkActivation: return .kernelActivation(try reader.choice(leaf, as: GeneratorNetwork.Activation.self))
        case .networkActivation:
            return .networkActivation(try reader.choice(leaf, as: NetworkGenerator.Activation.self))
        default: preconditionFailure("\(key.rawValue) is not read as a choice")
        }
    }

    /// Hidden widths as a study's axis may give them: a list `[128, 128]`, one number (one layer of that width,
    /// so `--vs generator.network.layers=64,256,1024` is an axis of widths), or `"128x128"` (a layer per factor).
    static func widths(_ value: JSONValue) -> JSONValue {
        switch value {
        case .number, .integer: return .array([value])
        case let .string(text) where text.contains("x"):
            let factors = text.split(separator: "x", omittingEmptySubsequences: false).map { Double($0) }
            guard factors.allSatisfy({ $0 != nil }) else { return value }
            return .array(factors.map { JSONValue.number($0!) })
        default: return value
        }
    }

    /// Writes a checked value into `config` (the cross-section checks follow in `ModelConfig.applying`).
    fileprivate func write(_ value: ModelSetting.Value, into config: inout ModelConfig) {
        switch (key, value) {
        case let (.strength, .real(x)): config.regularizer.strength = x
        case let (.criticLearningRate, .real(x)):
            // As in a config: a rate makes the discriminator trained (an optimal one becomes gradient ascent).
            let learning = config.discriminator.learning
            config.discriminator.learning = learning.isOptimal ? .gradientAscent(rate: x) : learning.with(rate: x)
        case (.criticLearningRate, .optimal):
            config.discriminator.learning = .optimal
        case let (.criticWeightDecay, .real(x)): config.discriminator.weightDecay = x
        case let (.criticWeightStd, .real(x)): config.discriminator.weightStd = x
        case let (.criticHiddenBiasStd, .real(x)): config.discriminator.hiddenBiasStd = x
        case let (.criticNegativeSlope, .real(x)):
            config.discriminator.activation = Activation(config.discriminator.activation.kind, negativeSlope: x)
        case let (.criticWidth, .whole(n)):
            config.discriminator.layers = [n]
            config.discriminator.widthsKey = key.rawValue
        case let (.criticLayers, .widths(widths)):
            config.discriminator.layers = widths
            config.discriminator.widthsKey = key.rawValue
        case let (.criticPack, .whole(n)): config.discriminator.pack = n
        case let (.criticSeed, .whole(n)): config.discriminator.seed = n
        case let (.criticTraining, .training(training)): config.discriminator.training = training
        case let (.criticActivation, .criticActivation(kind)):
            config.discriminator.activation = Activation(kind, negativeSlope: leakySlope)
            if hiddenBiasFollowsActivation {
                config.discriminator.hiddenBias = config.discriminator.activation.defaultHiddenBias
            }
        case let (.particles, .whole(n)): config.generator.particles = n
        case let (.generatorLearningRate, .real(x)): config.generator.learningRate = x
        case let (.kernelRatio, .real(x)):
            guard case let .universal(_, selfValue) = config.generator.kernel else { break }
            config.generator.kernel = .universal(ratio: x, selfValue: selfValue)
        case let (.kernelSelf, .real(x)):
            guard case let .universal(ratio, _) = config.generator.kernel else { break }
            config.generator.kernel = .universal(ratio: ratio, selfValue: x)
        case (.ntkDepth, _), (.ntkActivation, _), (.ntkWeightVariance, _), (.ntkBiasVariance, _),
            (.ntkLatentDimension, _), (.ntkSeed, _):
            writeNTK(value, into: &config)
        case let (.initStd, .real(x)):
            switch config.generator.initial {
            case let .gaussian(center, _, seed):
                config.generator.initial = .gaussian(center: center, std: x, seed: seed)
            case let .aroundTargets(_, seed): config.generator.initial = .aroundTargets(std: x, seed: seed)
            case .points: break
            }
        case let (.initSeed, .whole(n)):
            config.generator.initial = config.generator.initial.reseeded(n) ?? config.generator.initial
        case let (.networkLayers, .widths(widths)): config.generator.network?.layers = widths
        case let (.networkActivation, .networkActivation(kind)): config.generator.network?.activation = kind
        case let (.networkNegativeSlope, .real(x)): config.generator.network?.negativeSlope = x
        case let (.networkWeightVariance, .real(x)): config.generator.network?.weightVariance = x
        case let (.networkBiasVariance, .real(x)): config.generator.network?.biasVariance = x
        case let (.networkLatentDimension, .whole(n)): config.generator.network?.latentDimension = n
        case let (.networkSeed, .whole(n)): config.generator.network?.seed = n
        case let (.targetSamplesPerMode, .whole(n)): config.target.samplesPerMode = n
        case let (.targetSpread, .real(x)): config.target.spread = x
        case let (.targetSeed, .whole(n)): config.target.seed = n
        case let (.targetModes, .whole(n)):
            switch config.target.layout {
            case let .ring(_, radius): config.target.layout = .ring(modes: n, radius: radius)
            case let .line(_, spacing): config.target.layout = .line(modes: n, spacing: spacing)
            default: break
            }
        case let (.targetRadius, .real(x)):
            if case let .ring(modes, _) = config.target.layout { config.target.layout = .ring(modes: modes, radius: x) }
        case let (.targetSpacing, .real(x)):
            switch config.target.layout {
            case let .line(modes, _): config.target.layout = .line(modes: modes, spacing: x)
            case let .grid(side, _): config.target.layout = .grid(side: side, spacing: x)
            default: break
            }
        case let (.targetSide, .whole(n)):
            if case let .grid(_, spacing) = config.target.layout {
                config.target.layout = .grid(side: n, spacing: spacing)
            }
        default:
            preconditionFailure("a setting's value has the type its key checked it to")
        }
    }

    /// The `ntk` kernel's keys (each value already checked as `GeneratorNetwork.init` would: depth ≥ 1, σ_w² > 0,
    /// σ_b² ≥ 0).
    private func writeNTK(_ value: ModelSetting.Value, into config: inout ModelConfig) {
        guard case .ntk(var network, var latentDimension, let distribution, var seed) = config.generator.kernel else {
            return
        }
        switch (key, value) {
        case let (.ntkDepth, .whole(n)): network.depth = n
        case let (.ntkActivation, .kernelActivation(kind)): network.activation = kind
        case let (.ntkWeightVariance, .real(x)): network.weightVariance = x
        case let (.ntkBiasVariance, .real(x)): network.biasVariance = x
        case let (.ntkLatentDimension, .whole(n)): latentDimension = n
        case let (.ntkSeed, .whole(n)): seed = n
        default: preconditionFailure("only the ntk keys reach here")
        }
        config.generator.kernel = .ntk(
            network: network, latentDimension: latentDimension, distribution: distribution, seed: seed)
    }
}

/// A checked value for one `ModelEdit`: the typed form of one (key, value) of a study's axis.
public struct ModelSetting: Sendable, Equatable {
    public let edit: ModelEdit
    let value: Value

    enum Value: Sendable, Equatable {
        case real(Double)
        case whole(Int)
        case widths([Int])
        case criticActivation(Activation.Kind)
        case training(Training)
        /// `discriminator.learningRate: "optimal"`.
        case optimal
        case kernelActivation(GeneratorNetwork.Activation)
        case networkActivation(NetworkGenerator.Activation)
    }
}

extension ModelConfig {
    /// This config with `settings` written in order, then checked as a decoded config is: a network's size, then
    /// (for a network generator whose network, targets or N changed) its equilibrium w* fitted again, then
    /// `checkConsistency` (N a multiple of M, the memory budget, the methods that exclude each other, the
    /// universal kernel's φ range for the new N).
    ///
    /// - Throws: `ConfigError` naming the key whose value cannot hold in this config.
    public func applying(_ settings: [ModelSetting]) throws -> ModelConfig {
        var edited = self
        for setting in settings {
            if setting.value == .optimal {
                // An optimal discriminator has nothing to remember: refused as decoding refuses it.
                try DiscriminatorSpec.checkMethods(
                    optimal: true, memory: edited.discriminator.learning.memory, pack: edited.discriminator.pack)
            }
            setting.edit.write(setting.value, into: &edited)
        }
        // The network's size first, as decoding checks it before fitting: a fit of an oversized network would
        // fail on memory instead of naming the key.
        try edited.generator.network?.checkSize(path: "generator.network")
        if edited.generator.network != nil,
            edited.generator.network != generator.network || edited.target != target
                || edited.generator.particles != generator.particles
        {
            try edited.fitNetwork()
        }
        try edited.checkConsistency()
        return edited
    }
}

extension ModelEdit {
    /// The keys a study can set. The raw value is the dotted key of `docs/config.md`.
    enum Key: String, CaseIterable, Sendable {
        case strength = "regularizer.strength"
        case criticLearningRate = "discriminator.learningRate"
        case criticWeightDecay = "discriminator.weightDecay"
        case criticWidth = "discriminator.width"
        case criticLayers = "discriminator.layers"
        case criticActivation = "discriminator.activation"
        case criticNegativeSlope = "discriminator.negativeSlope"
        case criticTraining = "discriminator.train"
        case criticWeightStd = "discriminator.weightStd"
        case criticHiddenBiasStd = "discriminator.hiddenBiasStd"
        case criticSeed = "discriminator.seed"
        case criticPack = "discriminator.pack"
        case particles = "generator.particles"
        case generatorLearningRate = "generator.learningRate"
        case kernelRatio = "generator.kernel.ratio"
        case kernelSelf = "generator.kernel.self"
        case ntkDepth = "generator.kernel.depth"
        case ntkActivation = "generator.kernel.activation"
        case ntkWeightVariance = "generator.kernel.weightVariance"
        case ntkBiasVariance = "generator.kernel.biasVariance"
        case ntkLatentDimension = "generator.kernel.latentDimension"
        case ntkSeed = "generator.kernel.seed"
        case initStd = "generator.init.std"
        case initSeed = "generator.init.seed"
        case networkLayers = "generator.network.layers"
        case networkActivation = "generator.network.activation"
        case networkNegativeSlope = "generator.network.negativeSlope"
        case networkWeightVariance = "generator.network.weightVariance"
        case networkBiasVariance = "generator.network.biasVariance"
        case networkLatentDimension = "generator.network.latentDimension"
        case networkSeed = "generator.network.seed"
        case targetSamplesPerMode = "target.samplesPerMode"
        case targetSpread = "target.spread"
        case targetSeed = "target.seed"
        case targetModes = "target.modes"
        case targetRadius = "target.radius"
        case targetSpacing = "target.spacing"
        case targetSide = "target.side"

        /// How a value of the key is read: the `JSONReader` method the decoder uses for it.
        enum Reading {
            case nonNegative, positive, real, leakySlope, positiveInt, nonNegativeInt, widths, choice
        }

        /// The one place a key's kind of value is named: `setting` reads by it, `takesWholeNumbers` follows it.
        var reading: Reading {
            switch self {
            case .strength, .criticWeightDecay, .criticWeightStd, .criticHiddenBiasStd, .ntkBiasVariance,
                .networkBiasVariance, .initStd, .targetSpread:
                return .nonNegative
            case .criticLearningRate, .generatorLearningRate, .kernelSelf, .ntkWeightVariance, .networkWeightVariance,
                .targetRadius, .targetSpacing:
                return .positive
            case .kernelRatio: return .real
            case .criticNegativeSlope, .networkNegativeSlope: return .leakySlope
            case .criticWidth, .criticPack, .particles, .ntkDepth, .ntkLatentDimension, .networkLatentDimension,
                .targetSamplesPerMode, .targetModes, .targetSide:
                return .positiveInt
            case .criticSeed, .ntkSeed, .networkSeed, .initSeed, .targetSeed: return .nonNegativeInt
            case .criticLayers, .networkLayers: return .widths
            case .criticActivation, .criticTraining, .ntkActivation, .networkActivation: return .choice
            }
        }

        var takesWholeNumbers: Bool { [.positiveInt, .nonNegativeInt, .widths].contains(reading) }

        /// The object holding the key (`generator.kernel`) and the key in it (`ratio`).
        var section: String { String(rawValue[..<rawValue.lastIndex(of: ".")!]) }
        var leaf: String { String(rawValue[rawValue.index(after: rawValue.lastIndex(of: ".")!)...]) }

        /// Why `config` has no such key to set (nil when it has): a key of another kind or layout, or a size
        /// that other parts of the config fix.
        func missing(in config: ModelConfig) -> String? {
            let discriminator = config.discriminator
            let generator = config.generator
            if discriminator.kind == .linear, section == "discriminator",
                ![Self.criticLearningRate, .criticWeightDecay, .criticPack].contains(self)
            {
                return "applies to discriminator kind 'mlp' only"
            }
            if generator.network == nil, section == "generator.network" {
                return "applies to a config with generator.network only"
            }
            switch self {
            case .criticWidth where discriminator.layers.count > 1:
                return "the critic has \(discriminator.layers.count) hidden layers; set discriminator.layers"
            case .criticNegativeSlope where discriminator.activation.kind != .leakyRelu:
                return "applies to activation \"leaky_relu\" only"
            case .criticWidth, .criticLayers, .criticActivation, .criticNegativeSlope, .criticTraining,
                .criticWeightStd, .criticHiddenBiasStd, .criticSeed:
                if self == .criticHiddenBiasStd, discriminator.hiddenBias == .uniform2pi {
                    return "applies to hiddenBias \"normal\" only (uniform-2pi phases have no std)"
                }
                return nil
            case .particles:
                if case .explicit = generator.kernel, generator.network == nil {
                    return "an explicit kernel fixes N (it is N × N or (N·d) × (N·d))"
                }
                if case .points = generator.initial { return "explicit initial points fix N" }
                return nil
            case .kernelRatio, .kernelSelf:
                guard case .universal = generator.kernel, generator.network == nil else {
                    return "applies to a universal kernel only (this config's kernel is \(kernelKind(config)))"
                }
                return nil
            case .ntkDepth, .ntkActivation, .ntkWeightVariance, .ntkBiasVariance, .ntkLatentDimension, .ntkSeed:
                guard case .ntk = generator.kernel else {
                    return "applies to an ntk kernel only (this config's kernel is \(kernelKind(config)))"
                }
                return nil
            case .initStd, .initSeed:
                if generator.network != nil {
                    return
                        "a generator network starts from its initialisation w₀ (set by generator.network.seed); generator.init does not apply"
                }
                if case .points = generator.initial { return "explicit initial points have no \(leaf)" }
                return nil
            case .networkNegativeSlope where generator.network?.activation != .leakyRelu:
                return "applies to a network with activation \"leaky_relu\" only"
            case .networkWeightVariance where generator.network?.parameterization == .standard,
                .networkBiasVariance where generator.network?.parameterization == .standard:
                return "applies to parameterization \"ntk\" only (standard is nn.Linear's)"
            case .networkLayers, .networkActivation, .networkNegativeSlope, .networkWeightVariance,
                .networkBiasVariance, .networkLatentDimension, .networkSeed:
                return nil
            case .targetModes:
                switch config.target.layout {
                case .ring, .line: return nil
                default: return "applies to ring and line targets only (grid: target.side)"
                }
            case .targetRadius:
                if case .ring = config.target.layout { return nil }
                return "applies to ring targets only"
            case .targetSpacing:
                switch config.target.layout {
                case .line, .grid: return nil
                default: return "applies to line and grid targets only"
                }
            case .targetSide:
                if case .grid = config.target.layout { return nil }
                return "applies to grid targets only"
            case .strength, .criticLearningRate, .criticWeightDecay, .criticPack, .generatorLearningRate,
                .targetSamplesPerMode, .targetSpread, .targetSeed:
                return nil
            }
        }

        private func kernelKind(_ config: ModelConfig) -> String {
            if config.generator.network != nil { return "Θ(w*) of generator.network" }
            switch config.generator.kernel {
            case .universal: return "universal"
            case .explicit: return "explicit"
            case .ntk: return "ntk"
            }
        }
    }
}
