import EffectiveGAN
import Foundation

/// Writes a report and its figures: `PATH.md`, and `STEM/NAME-HASH.svg` in the folder beside it.
///
/// A report is a set of files, and an interrupted run must never pair a Markdown file with figures of another
/// run. Figures are therefore named by their content (FNV-1a of the SVG): a new figure never overwrites one the
/// current Markdown references. The Markdown is renamed into place last — the single commit point — and only
/// then are figures it no longer references removed. Killed before the commit, the old report and its figures
/// are intact (new figures are unreferenced and cleaned next time); killed after, the new one is. Stale
/// temporaries of the same report are removed first.
public enum ReportWriter {
    /// Checks before any work that `path` can take a report: a `.md` file path, not a folder.
    public static func checkPath(_ path: String) throws {
        try AtomicFile.checkTarget(path)
        guard path.hasSuffix(".md") else { throw ReportError.notMarkdown(path: path) }
    }

    /// Writes the report for `analysis` to `path` (e.g. `reports/default.md`); returns the files written.
    @discardableResult
    public static func write(_ analysis: ReportAnalysis, to path: String, command: String, date: Date = Date()) throws
        -> [String]
    {
        try checkPath(path)
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        // Paths stay as the user wrote them (relative stays relative).
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? stem : "\(parent)/\(stem)"
        try AtomicFile.checkFolder(folder)
        // A process that does not write (an MPI rank other than 0) must not clean up either: it would delete the
        // writer's temporary files and old figures under its feet.
        guard AtomicFile.isEnabled else { return [] }
        AtomicFile.removeStaleTemporaries(of: path)

        var written: [String] = []
        var files: [String: String] = [:]
        let folderExisted = FileManager.default.fileExists(atPath: folder)
        let parentExisted = parent.isEmpty || FileManager.default.fileExists(atPath: parent)
        var created: [String] = []
        do {
            for (name, svg) in analysis.figures {
                let file = "\(name)-\(fingerprint(svg).prefix(8)).svg"
                let figure = "\(folder)/\(file)"
                if !FileManager.default.fileExists(atPath: figure) { created.append(figure) }
                try AtomicFile.write(svg, to: figure)
                files[name] = "\(stem)/\(file)"
                written.append(figure)
            }
            try AtomicFile.write(analysis.markdown(figureFiles: files, command: command, date: date), to: path)
        } catch {
            // Nothing of a failed report stays behind: the figures it added, and the folder if it made it.
            for figure in created { try? FileManager.default.removeItem(atPath: figure) }
            if !folderExisted { rmdir(folder) }
            if !parentExisted { rmdir(parent) }
            throw error
        }
        written.append(path)

        // Only this writer's own figures (NAME-8 hex digits.svg) are ever removed: other files in the folder stay.
        let referenced = Set(files.values.map { URL(fileURLWithPath: $0).lastPathComponent })
        let present = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let ownFigure = "^(" + ReportAnalysis.figureNames.joined(separator: "|") + #")-[0-9a-f]{8}\.svg$"#
        for file in present
        where file.range(of: ownFigure, options: .regularExpression) != nil && !referenced.contains(file) {
            try? FileManager.default.removeItem(atPath: "\(folder)/\(file)")
        }
        return written
    }
}

/// Report paths that cannot work.
public enum ReportError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The figures go to a folder named after the report without its extension, so the report must be `.md`.
    case notMarkdown(path: String)

    public var description: String {
        switch self {
        case let .notMarkdown(path):
            return "the report path \(path) must end in .md (its figures go to the folder of the same name without it)"
        }
    }
}
