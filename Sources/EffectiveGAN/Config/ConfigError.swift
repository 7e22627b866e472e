/// Everything that can be wrong with a config, a resolved model or a preset name.
///
/// Each message is one line that names the field (as a dotted path such as `generator.kernel.ratio`) and says
/// how to fix it; the CLI prints it after `egan: error:` and exits with code 2.
public enum ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The text is not JSON.
    case invalidJSON(source: String, reason: String)
    /// Neither a readable file nor a built-in preset.
    case notFound(String)
    /// A key the schema does not know (often a typo).
    case unknownKey(path: String, allowed: [String])
    /// A required key is absent.
    case missingKey(path: String)
    /// A value of the wrong JSON type.
    case wrongType(path: String, expected: String)
    /// A value of the right type outside its valid range or set.
    case invalidValue(path: String, reason: String)
    /// Problems in several independent parts of one config, found in one pass (each its own error).
    case several([ConfigError])

    public var description: String {
        switch self {
        case let .invalidJSON(source, reason):
            return "\(source) is not valid JSON: \(reason)"
        case let .notFound(name):
            return "'\(name)' is neither a readable config file nor a built-in preset; run 'egan presets' for the list"
        case let .unknownKey(path, allowed):
            return "unknown key '\(path)'; allowed here: \(allowed.joined(separator: ", "))"
        case let .missingKey(path):
            return "missing key '\(path)'; add it to the config"
        case let .wrongType(path, expected):
            return "'\(path)' must be \(expected)"
        case let .invalidValue(path, reason):
            return "'\(path)' \(reason)"
        case let .several(problems):
            return "\(problems.count) problems: "
                + problems.enumerated().map { "(\($0.offset + 1)) \($0.element.description)" }.joined(separator: "; ")
        }
    }
}

/// Collects the `ConfigError`s of independent parts of a config, so one run names every part that is wrong
/// instead of the first (other errors, such as an unreadable data file, still end the reading at once).
struct ConfigProblems {
    private(set) var found: [ConfigError] = []

    /// The value `body` produces, or nil after recording its `ConfigError`.
    mutating func collect<T>(_ body: () throws -> T) throws -> T? {
        do {
            return try body()
        } catch let error as ConfigError {
            found.append(error)
            return nil
        }
    }

    /// Throws what was found: the one error itself, or `.several` for more.
    func throwIfAny() throws {
        switch found.count {
        case 0: return
        case 1: throw found[0]
        default: throw ConfigError.several(found)
        }
    }
}
