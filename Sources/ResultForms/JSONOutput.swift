import EffectiveGAN
import Foundation

/// The one place a command's `--format json` text is made: its result object with a `provenance` object
/// appended — the toolkit's version, the hash of the resolved model it describes (when there is one) and the
/// command line — so a number found in a file can be traced to what produced it.
public enum JSONOutput {
    /// The command line being run (`egan …`), set for the duration of one command: by `EganMain` for a process,
    /// by the notebook runner for each cell (so a cell's output names the cell's line, not the notebook command).
    @TaskLocal public static var commandLine = "egan"

    public static func render(_ result: JSONValue, model: ResolvedModel? = nil) -> String {
        guard case var .object(pairs) = result else { return result.prettyText + "\n" }
        var provenance: [(String, JSONValue)] = [("version", .string(EffectiveGANVersion.current))]
        if let model { provenance.append(("modelHash", .string(fingerprint(model.json.compactText)))) }
        provenance.append(("command", .string(commandLine)))
        pairs.append(("provenance", .object(provenance)))
        return JSONValue.object(pairs).prettyText + "\n"
    }

    /// `egan` and the arguments, each quoted for a POSIX shell where it needs it.
    public static func line(_ arguments: [String]) -> String {
        (["egan"] + arguments.map { word in
            word.isEmpty || word.contains(where: { " \t\"'$\\*?;&|<>()[]{}#`~".contains($0) })
                ? "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" : word
        }).joined(separator: " ")
    }
}

extension JSONValue {
    /// This result as a command prints it with `--format json` (`JSONOutput.render`: provenance appended), for the
    /// model as loaded (commands that vary γ themselves: sweep, optimize, studies).
    public func commandOutput(source: ModelSource?) -> String { JSONOutput.render(self, model: source?.resolved) }

    /// The same for a command that analysed one γ: the hash is of the resolved model with that γ.
    public func commandOutput(model: EffectiveModel) -> String { JSONOutput.render(self, model: model.resolved) }
}
