import Foundation
import Synchronization

/// Where a model comes from: a built-in preset, a config file, or a resolved-model file.
///
/// Every command takes one CONFIG argument that is tried as a file path first and then as a preset name; a file
/// holding a resolved model (it has a `targets` key) is used as is.
public struct ModelSource: Sendable {
    /// The name used in report titles and file names (the config's `name`, the preset, or the file's base name).
    public let name: String
    /// The resolved model.
    public let resolved: ResolvedModel
    /// The construction config, when the source was one (nil for a resolved-model file).
    public let config: ModelConfig?
    /// The JSON the source was read from (config or resolved model), for re-reading with changed fields.
    public let document: JSONValue
    /// Where the config's relative data paths start (its file's folder; nil: the working directory).
    public let baseDirectory: URL?
    /// The config file's path as given, when the source was read from a file.
    public private(set) var configFile: String?
    /// The γ-independent oscillator structure of the resolved model, built on first use and shared by every
    /// strength a sweep, an optimisation or a bisection analyses.
    private let structureCache = StructureCache()

    /// Loads `argument` as a file, else as a preset.
    ///
    /// - Throws: `ConfigError` (file not JSON, unknown preset, invalid field).
    public init(_ argument: String) throws {
        if FileManager.default.fileExists(atPath: argument) {
            guard let data = FileManager.default.contents(atPath: argument) else {
                throw ConfigError.notFound(argument)
            }
            let url = URL(fileURLWithPath: argument)
            try self.init(
                json: JSONValue.parse(data, source: argument),
                defaultName: url.deletingPathExtension().lastPathComponent,
                baseDirectory: url.deletingLastPathComponent())
            configFile = argument
        } else if let preset = Preset(rawValue: argument) {
            try self.init(preset: preset)
        } else {
            throw ConfigError.notFound(argument)
        }
    }

    /// The files this source was read from: the config file (when it is one) and every data file its document
    /// names (`path` and `labels` values, relative to `baseDirectory`). A command checks its outputs against
    /// these, so that it never overwrites its own input.
    public var inputFiles: [String] {
        var files = configFile.map { [$0] } ?? []
        func collect(_ value: JSONValue, key: String?) {
            switch value {
            case let .string(text) where key == "path" || key == "labels":
                files.append(
                    text.hasPrefix("/") || baseDirectory == nil
                        ? text : baseDirectory!.appendingPathComponent(text).path)
            case let .object(pairs):
                for (key, value) in pairs { collect(value, key: key) }
            case let .array(values):
                for value in values { collect(value, key: nil) }
            default:
                break
            }
        }
        collect(document, key: nil)
        return files
    }

    /// A built-in preset.
    public init(preset: Preset) throws {
        try self.init(json: preset.document, defaultName: preset.rawValue)
    }

    /// A config or resolved model given as JSON; relative data paths start in `baseDirectory` (nil: the working
    /// directory).
    public init(json: JSONValue, defaultName: String, baseDirectory: URL? = nil) throws {
        document = json
        self.baseDirectory = baseDirectory
        if ResolvedModel.looksResolved(json) {
            name = defaultName
            resolved = try ResolvedModel(json: json)
            config = nil
        } else {
            let config = try ModelConfig(json: json, defaultName: defaultName, baseDirectory: baseDirectory)
            name = config.name
            resolved = config.resolve()
            self.config = config
        }
    }

    /// The oscillator structure of the resolved model at its matched equilibrium (nil where it does not apply),
    /// computed once per source.
    public func oscillatorStructure() throws -> OscillatorStructure? {
        try requireLinearTheory()
        return try structureCache.value { try OscillatorStructure(EffectiveModel(resolved)) }
    }

    /// Whether linear answers exist: false for a generator network read with `fit: false`, whose resolved kernel
    /// is only the push (η_G/N)·I of its training flow, not Θ(w*).
    public var hasLinearTheory: Bool { config?.generator.network?.fitsEquilibrium ?? true }

    /// Throws, naming `generator.network.fit`, when this source has no linear theory: every eigenvalue, rate, γ*
    /// or step limit would be of the push kernel instead of the network's. Called by the oscillator structure
    /// (which every linear answer of a source goes through) and by the commands that analyse a model directly.
    public func requireLinearTheory() throws {
        guard !hasLinearTheory else { return }
        throw ConfigError.invalidValue(
            path: "generator.network.fit",
            reason:
                "is false, so the network has no fitted equilibrium w* and no linear theory (eigenvalues, rates, γ*, step limits); set it to true (the default) when N·d × P fits the memory budget, or train the network only: egan simulate CONFIG --integrator gd --lr H --t-end T"
        )
    }

    /// Whether simulations of this source train a generator network's weights (`generator.network`:
    /// `NetworkFlow`) rather than move particles coupled by a kernel.
    public var trainsNetwork: Bool { config?.generator.network != nil }

    /// Whether the trained flow jumps: a relu (or leaky relu) critic, or a relu generator network whose own
    /// weights are trained (its φ′ is a step too), where adaptive ODE steppers reject a step at every kink.
    public var hasDiscontinuousField: Bool {
        resolved.hasDiscontinuousField || (config?.generator.network?.activation.isPiecewiseLinear ?? false)
    }

    /// The same source with the regulariser strength γ replaced (in the resolved model and the document).
    public func with(gamma: Double) throws -> ModelSource {
        let key = config == nil ? ["gamma"] : ["regularizer", "strength"]
        return try reading(document.setting(path: key, to: .number(gamma)))
    }

    /// Another document (this one with fields changed) read like this source: same name, same data folder.
    public func reading(_ document: JSONValue) throws -> ModelSource {
        var source = try ModelSource(json: document, defaultName: name, baseDirectory: baseDirectory)
        source.configFile = configFile
        return source
    }
}

/// A lazily computed, thread-safe slot for the oscillator structure (sweep points run on all cores).
private final class StructureCache: Sendable {
    private let slot = Mutex<Result<OscillatorStructure?, any Error>?>(nil)

    func value(_ make: () throws -> OscillatorStructure?) throws -> OscillatorStructure? {
        try slot.withLock { stored in
            if stored == nil { stored = Result { try make() } }
            return try stored!.get()
        }
    }
}
