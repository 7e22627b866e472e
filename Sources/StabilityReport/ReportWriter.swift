import EffectiveGAN
import Foundation

/// Writes a report and its figures: `PATH.md` and `PATH-stem/…svg` beside it, each file atomically.
public enum ReportWriter {
    /// Writes the report for `analysis` to `path` (e.g. `reports/default.md`); returns the files written.
    @discardableResult
    public static func write(_ analysis: ReportAnalysis, to path: String, command: String, date: Date = Date()) throws
        -> [String]
    {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        // Paths stay as the user wrote them (relative stays relative).
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? stem : "\(parent)/\(stem)"
        var written: [String] = []
        for (name, svg) in analysis.figures {
            let file = "\(folder)/\(name)"
            try AtomicFile.write(svg, to: file)
            written.append(file)
        }
        try AtomicFile.write(analysis.markdown(figureFolder: stem, command: command, date: date), to: path)
        written.append(path)
        return written
    }
}
