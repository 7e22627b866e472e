import EffectiveGAN
import ResultForms

/// The files a command will write, checked together before any work: each a possible regular file, none the
/// command's own input (its config or a data file the config names), no two the same file.
enum OutputFiles {
    /// Every flag of egan's that names a file it writes.
    static let flags: Set<String> = ["-o", "--output", "--trajectories", "--heatmap", "--boundary", "--resume"]

    /// The paths a command line's output flags name (`--flag PATH` and `--flag=PATH`).
    static func paths(in words: [String]) -> [String] {
        var paths: [String] = []
        for (index, word) in words.enumerated() {
            if flags.contains(word), index + 1 < words.count {
                paths.append(words[index + 1])
            } else if let equals = word.firstIndex(of: "="), flags.contains(String(word[..<equals])) {
                paths.append(String(word[word.index(after: equals)...]))
            }
        }
        return paths
    }

    /// - Parameters:
    ///   - outputs: (flag, path) for every output flag; nil paths (flags not given) are skipped.
    ///   - source: the model the command reads, whose files must not be overwritten.
    static func check(_ outputs: [(flag: String, path: String?)], reading source: ModelSource? = nil) throws {
        let given = outputs.compactMap { output in output.path.map { (name: output.flag, path: $0) } }
        for output in given { try AtomicFile.checkTarget(output.path) }
        let inputs = (source?.inputFiles ?? []).map { (name: "the config's file", path: $0) }
        try AtomicFile.checkDistinct(outputs: given, inputs: inputs)
    }
}
