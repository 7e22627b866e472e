/// The numeric config key a sweep runs along, such as `regularizer.strength` or `generator.kernel.ratio`.
///
/// The regulariser strength only changes γ in an already built model. Any other key is a `ModelEdit` of the
/// source's typed config: each value is checked as the decoder checks that key and written into the config,
/// which is resolved again (no JSON is read back). Resolved models carry no construction, so for them only
/// `regularizer.strength` and `discriminator.learningRate` (η_D) can be swept.
public struct ParameterPath: Sendable, Equatable, CustomStringConvertible {
    public let path: String
    private let edit: ModelEdit?

    public static let strength = ParameterPath(uncheckedPath: "regularizer.strength")

    private init(uncheckedPath: String) {
        path = uncheckedPath
        edit = nil
    }

    /// Parses `path` for `source` once: a key the config does not have (or a typo) fails here, naming the keys
    /// that can be swept.
    public init(_ path: String, for source: ModelSource) throws {
        self.path = path
        if path == ParameterPath.strength.path || (source.config == nil && path == "discriminator.learningRate") {
            if path != ParameterPath.strength.path, source.resolved.optimalDiscriminator {
                throw SweepError.unknownParameter(
                    path: path, reason: "the discriminator is optimal (etaD \"optimal\"); it has no rate to set")
            }
            edit = nil
            return
        }
        guard source.config != nil else {
            throw SweepError.unknownParameter(
                path: path,
                reason:
                    "a resolved model can sweep only regularizer.strength and discriminator.learningRate; give the construction config"
            )
        }
        edit = try ModelEdit(path, for: source)
    }

    public var description: String { path }

    /// Whether the key takes whole numbers (a width, a seed): refinement between grid points stays on them.
    public var takesWholeNumbers: Bool { edit?.takesWholeNumbers ?? false }

    /// The model with this path set to `value`.
    public func model(_ source: ModelSource, value: Double) throws -> EffectiveModel {
        guard let edit, let config = source.config else {
            // Checked as a config's own strength or rate is (≥ 0 / positive, within the scales the flow holds).
            if path == ParameterPath.strength.path {
                _ = try JSONReader(.object([("strength", .number(value))]), path: "regularizer").nonNegative("strength")
                return EffectiveModel(source.resolved, gamma: value)
            }
            _ = try JSONReader(.object([("learningRate", .number(value))]), path: "discriminator").positive(
                "learningRate")
            var resolved = source.resolved
            resolved.learning = resolved.learning.with(rate: value)
            return EffectiveModel(resolved)
        }
        return EffectiveModel(try config.applying([edit.setting(.number(value))]).resolve())
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
