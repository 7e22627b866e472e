import EffectiveGAN
import Foundation

/// Writes a report and its figures: `PATH.md` and `PATH-stem/…svg` beside it, each file atomically.
public enum ReportWriter {
    /// Writes the report for `analysis` to `path` (e.g. `reports/default.md`); returns the files written.
    @discardableResult
    public static func write(_ analysis: ReportAnalysis, to path: String, command: String, date: Date = Date()) throws -> [String] {
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent
        let folder = url.deletingLastPathComponent().appendingPathComponent(stem)
        var written: [String] = []
        for (name, svg) in analysis.figures {
            let file = folder.appendingPathComponent(name).path
            try AtomicFile.write(svg, to: file)
            written.append(file)
        }
        try AtomicFile.write(analysis.markdown(figureFolder: stem, command: command, date: date), to: path)
        written.append(path)
        return written
    }
}
