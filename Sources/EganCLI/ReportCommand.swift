import ArgumentParser
import EffectiveGAN
import Foundation
import ResultForms
import StabilityReport

struct ReportCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write a Markdown stability report with SVG figures (the main job).",
        discussion: """
            Computes γ* and the critical points, the spectrum at γ = 0, γ* and on the overdamped side, a thinned \
            sweep table, discrete-training limits, a simulation cross-check and provenance, and writes \
            reports/NAME.md with its figures in reports/NAME/ (named by content, so an interrupted run never mixes two reports). Without CONFIG it reports on the default preset \
            (\(Preset.defaultPreset.rawValue)) into reports/default.md. Files are written atomically.
              egan report                      # reports/default.md
              egan report dirac                # reports/dirac.md
              egan report my.json -o out/my.md
            """)

    @Argument(help: "A config file, resolved model or preset (default: \(Preset.defaultPreset.rawValue)).")
    var config: String?
    @Option(name: .shortAndLong, help: "Report path (default: reports/NAME.md, or reports/default.md without CONFIG).")
    var output: String?
    @OptionGroup var interval: StrengthInterval
    @OptionGroup var formatting: FormatOption
    @OptionGroup var progressOption: ProgressOption

    func execute() throws -> String {
        let format = try formatting.chosen(csvRows: false, command: "report")
        let source = try config.map { try ModelSource($0) } ?? ModelSource(preset: Preset.defaultPreset)
        let path = output ?? "reports/\(config == nil ? "default" : safeFileName(source.name)).md"
        try ReportWriter.checkPath(path)
        try OutputFiles.check([("-o", path)], reading: source)
        let analysis = try ReportAnalysis(source: source, from: interval.from, to: interval.to, progress: progressOption.bar("report"))
        let command = (["egan", "report"] + (config.map { [$0] } ?? []) + (output.map { ["-o", $0] } ?? [])).joined(
            separator: " ")
        let files = try ReportWriter.write(analysis, to: path, command: command)
        let summary = ReportSummary(
            name: source.name, path: path, figures: Array(files.dropLast()), gammaStar: analysis.optimum.gamma,
            rate: analysis.optimum.rate, globalOutcome: analysis.globalOutcome.sentence)
        return format == .json ? summary.json.commandOutput(source: source) : summary.text
    }
}
