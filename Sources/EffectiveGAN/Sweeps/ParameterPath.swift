/// A numeric config path to sweep, such as `regularizer.strength` or `generator.kernel.ratio`.
///
/// The regulariser strength only changes γ in an already built model. Any other path is written into the source's
/// config JSON and the config is validated and resolved again, so every numeric key a config accepts can be swept
/// (and a bad value is refused with the config's own field-naming error). Resolved models carry no construction,
/// so for them only `regularizer.strength` and `discriminator.learningRate` (η_D) can be swept.
public struct ParameterPath: Sendable, Equatable, CustomStringConvertible {
    public let path: String

    public static let strength = ParameterPath(uncheckedPath: "regularizer.strength")

    private init(uncheckedPath: String) { path = uncheckedPath }

    /// Checks that `path` can be set on `source`, by setting it to its current value (or 1 where the config leaves
    /// it at its default) and re-reading the config: a typo fails here with the config's "unknown key" error.
    public init(_ path: String, for source: ModelSource) throws {
        self.path = path
        if path == ParameterPath.strength.path || (source.config == nil && path == "discriminator.learningRate") {
            return
        }
        guard source.config != nil else {
            throw SweepError.unknownParameter(
                path: path,
                reason:
                    "a resolved model can sweep only regularizer.strength and discriminator.learningRate; give the construction config"
            )
        }
        let keys = path.split(separator: ".").map(String.init)
        let current = keys.reduce(Optional(source.document)) { $0?[$1] }
        let probe: Double
        switch current {
        case let .number(value)?: probe = value
        case nil: probe = 1
        default: throw SweepError.unknownParameter(path: path, reason: "it is not a number in this config")
        }
        _ = try model(source, value: probe)
    }

    public var description: String { path }

    /// The model with this path set to `value`.
    public func model(_ source: ModelSource, value: Double) throws -> EffectiveModel {
        if path == ParameterPath.strength.path {
            return EffectiveModel(source.resolved, gamma: value)
        }
        guard source.config != nil else {
            var resolved = source.resolved
            resolved.etaD = value
            return EffectiveModel(resolved)
        }
        let document = try source.document.setting(
            path: path.split(separator: ".").map(String.init), to: .number(value))
        return EffectiveModel(try source.reading(document).resolved)
    }
}

extension JSONValue {
    /// A copy with the value at a key path replaced (missing intermediate objects are created).
    ///
    /// - Throws: `SweepError.unknownParameter` when the path runs through something that is not an object.
    func setting(path: [String], to value: JSONValue) throws -> JSONValue {
        guard let key = path.first else { return value }
        guard case var .object(pairs) = self else {
            throw SweepError.unknownParameter(
                path: path.joined(separator: "."), reason: "it does not lead through JSON objects")
        }
        if let index = pairs.firstIndex(where: { $0.0 == key }) {
            pairs[index].1 = try pairs[index].1.setting(path: Array(path.dropFirst()), to: value)
        } else {
            pairs.append((key, try JSONValue.object([]).setting(path: Array(path.dropFirst()), to: value)))
        }
        return .object(pairs)
    }
}
