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
    /// Writes the report for `analysis` to `path` (e.g. `reports/default.md`); returns the files written.
    @discardableResult
    public static func write(_ analysis: ReportAnalysis, to path: String, command: String, date: Date = Date()) throws
        -> [String]
    {
        try AtomicFile.checkTarget(path)
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        // Paths stay as the user wrote them (relative stays relative).
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? stem : "\(parent)/\(stem)"
        try AtomicFile.checkFolder(folder)
        AtomicFile.removeStaleTemporaries(of: path)

        var written: [String] = []
        var files: [String: String] = [:]
        for (name, svg) in analysis.figures {
            let file = "\(name)-\(fingerprint(svg).prefix(8)).svg"
            try AtomicFile.write(svg, to: "\(folder)/\(file)")
            files[name] = "\(stem)/\(file)"
            written.append("\(folder)/\(file)")
        }
        try AtomicFile.write(analysis.markdown(figureFiles: files, command: command, date: date), to: path)
        written.append(path)

        let referenced = Set(files.values.map { URL(fileURLWithPath: $0).lastPathComponent })
        let present = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for file in present where file.hasSuffix(".svg") && !referenced.contains(file) {
            try? FileManager.default.removeItem(atPath: "\(folder)/\(file)")
        }
        return written
    }
}
