import EffectiveGAN
import Foundation
import Numerics
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import StabilityReport

@Suite("Stability reports and SVG figures")
struct ReportTests {
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("egan-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("dirac report: files written, numbers equal the library's, every SVG is XML and renders")
    func diracReport() throws {
        let source = try ModelSource(preset: .dirac)
        let analysis = try ReportAnalysis(source: source, from: 0.01, to: 100)
        let folder = try Self.temporaryFolder()
        let path = folder.appendingPathComponent("dirac.md").path
        let files = try ReportWriter.write(
            analysis, to: path, command: "egan report dirac", date: Date(timeIntervalSince1970: 0))
        #expect(files.count == 7)  // six figures (1-D model: no positions figure) and the report
        // The Dirac GAN's one oscillator lands on the real axis at γ = 2 (spec §6): the figures' grid estimate of
        // that exceptional point lies within one scan step (a factor 10^(4/120) ≈ 1.08) of it.
        let exceptional = analysis.gridExceptionalPoints
        #expect(exceptional.count == 1)
        #expect(abs(log(exceptional[0].gamma / 2)) < log(1.08))
        #expect(exceptional[0].rate.isApproximatelyEqual(to: 1, absoluteTolerance: 0.1))
        let markdown = try String(contentsOfFile: path, encoding: .utf8)
        // The Dirac GAN's closed form (spec §6): γ* = 2, r(γ*) = 1 for wgan, at its exceptional point.
        #expect(markdown.contains("γ\\* = 2**"))
        // r(γ*) has a square-root cusp at an exceptional point: γ* to 1e-6 leaves r within ~1e-3 of 1.
        #expect(markdown.contains("r(γ\\*) = 1**") || markdown.contains("r(γ\\*) = 0.9999"))
        #expect(markdown.contains("the exceptional point of the dominant mode, γ_c = 2"))
        // One mode from x = 1 at γ* = 2: the run reaches the equilibrium, so local and global agree.
        #expect(markdown.contains("Global outcome from the initial cloud at γ\\*: 1 of 1 modes covered, converged"))
        #expect(!markdown.contains("disagree"))
        #expect(markdown.contains("by ε = 1e-5"))
        // Figures are named by content, and the report references exactly the files written.
        let rate = try #require(files.first { $0.contains("/dirac/rate-") && $0.hasSuffix(".svg") })
        #expect(
            markdown.contains("![Convergence rate against γ](dirac/\(URL(fileURLWithPath: rate).lastPathComponent))"))
        #expect(!markdown.contains("FAIL"))
        #expect(markdown.contains("| 1970-01-01T00:00:00Z |"))
        for file in files.dropLast() {
            let data = try #require(FileManager.default.contents(atPath: file))
            _ = try XMLDocument(data: data)
            try Self.render(file)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    /// Converts an SVG to PNG with a real renderer (librsvg's rsvg-convert, installed by .ci/run).
    static func render(_ svg: String) throws {
        let renderer = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let renderer else {
            Issue.record("rsvg-convert not found: apt-get install librsvg2-bin (the CI script does)")
            return
        }
        let png = svg + ".png"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: renderer)
        process.arguments = ["-o", png, svg]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "rsvg-convert failed on \(svg)")
        let size = (try? FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0
        #expect(size > 1000)
    }

    @Test("the plotted rate curve is the data: polyline points equal the pixel transform of r(γ)")
    func plottedPointsMatchData() throws {
        let analysis = try ReportAnalysis(source: ModelSource(preset: .dirac), from: 0.01, to: 100)
        let plot = analysis.rateFigure
        let svg = plot.render()
        _ = try XMLDocument(data: Data(svg.utf8))
        let group = try #require(svg.range(of: "<g data-series=\"r(γ)\""))
        let tail = svg[group.upperBound...]
        let start = try #require(tail.range(of: "points=\""))
        let end = try #require(tail[start.upperBound...].firstIndex(of: "\""))
        let drawn = tail[start.upperBound..<end].split(separator: " ").map { pair in
            pair.split(separator: ",").map { Double($0)! }
        }
        let data = analysis.optimum.scan.points.map { ($0.value, $0.spectrum.rate) }
        #expect(drawn.count == data.count)
        // The log–log transform written out from the frame (760 × 460, margins 78/24/52/58), not via pixelX.
        func logFraction(_ v: Double, _ domain: (Double, Double)) -> Double {
            (log10(v) - log10(domain.0)) / (log10(domain.1) - log10(domain.0))
        }
        for (pixel, point) in zip(drawn, data) {
            #expect(pixel[0].isApproximatelyEqual(to: (78 + logFraction(point.0, plot.xDomain) * (760 - 78 - 24)), absoluteTolerance: 0.006))
            #expect(pixel[1].isApproximatelyEqual(to: (460 - 58 - logFraction(point.1, plot.yDomain) * (460 - 52 - 58)), absoluteTolerance: 0.006))
        }
        // And the transform itself: the ends of the log axis sit on the plot frame.
        #expect(plot.pixelX(plot.xDomain.0).isApproximatelyEqual(to: 78, absoluteTolerance: 1e-9))
    }

    @Test("ring8 report has the positions figure and a regime sentence naming both regimes")
    func ring8Figures() throws {
        let analysis = try ReportAnalysis(source: ModelSource(preset: .ring8), from: 0.01, to: 1000)
        #expect(analysis.figures.map(\.name) == ReportAnalysis.figureNames)
        // Colour by γ is explained by a colour bar spanning the scan; the zoom shows Re λ ∈ [−4 r*, r*/2].
        let branches = analysis.branchFigure()
        #expect(branches.colorBar?.low == analysis.optimum.scan.points.first!.value)
        #expect(branches.render().contains("data-colorbar=\"regulariser strength γ\""))
        let slow = analysis.branchFigure(slowZoom: 4)
        #expect(slow.xDomain == (-4 * analysis.optimum.rate, analysis.optimum.rate / 2))
        // Every slow eigenvalue at γ* is inside the zoom, the fastest are not.
        let atOptimum = analysis.spectra[1].analysis.spectrum.modes.filter { $0.kind != .neutral }
        #expect(atOptimum.contains { $0.eigenvalue.real < slow.xDomain.0 })
        #expect(atOptimum.contains { $0.eigenvalue.real >= slow.xDomain.0 })
        let rates = analysis.spectrumAgainstGammaFigure(imaginary: false)
        #expect(rates.markers.contains { $0.label.hasPrefix("critical γ") })
        #expect(!rates.annotations.isEmpty && rates.annotations.allSatisfy { $0.text.hasPrefix("EP γ≈") })
        #expect(analysis.regimeSentence.contains("underdamped") && analysis.regimeSentence.contains("overdamped"))
        // From its narrow initial cloud ring8 ends on 3 of its 8 modes (issue #17): the report must say so, and
        // say that this disagrees with the linear stability of z* at γ*.
        #expect(analysis.globalOutcome.kind == .collapsed && analysis.globalOutcome.coveredModes == 3)
        #expect(analysis.disagreement?.contains("3 of 8 modes covered") == true)
        #expect(analysis.crossChecks.allSatisfy { $0.passed })
        for (_, svg) in analysis.figures { _ = try XMLDocument(data: Data(svg.utf8)) }
    }

    @Test("rewriting a report removes its stale figures of every figure name, and nothing else")
    func staleFiguresRemoved() throws {
        let analysis = try ReportAnalysis(source: ModelSource(preset: .dirac), from: 0.01, to: 100)
        let folder = try Self.temporaryFolder()
        let path = folder.appendingPathComponent("dirac.md").path
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("dirac"), withIntermediateDirectories: true)
        let stale = folder.appendingPathComponent("dirac/branches-slow-00000000.svg").path
        let foreign = folder.appendingPathComponent("dirac/my-notes-00000000.svg").path
        for file in [stale, foreign] { try "<svg/>".write(toFile: file, atomically: true, encoding: .utf8) }
        _ = try ReportWriter.write(
            analysis, to: path, command: "egan report dirac", date: Date(timeIntervalSince1970: 0))
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: foreign))
    }

    @Test("a colour bar maps its ends to the ramp's ends, linearly or by decades, and clamps outside")
    func colorBar() {
        let log = SVGPlot.ColorBar(label: "γ", low: 1, high: 100, scale: .log)
        #expect(log.fraction(10).isApproximatelyEqual(to: 0.5, absoluteTolerance: 1e-15))
        #expect(log.fraction(1000) == 1 && log.fraction(0.1) == 0)
        let linear = SVGPlot.ColorBar(label: "metric", low: 0, high: 2)
        #expect(linear.fraction(0.5) == 0.25)
        var plot = SVGPlot(title: "t", xLabel: "x", yLabel: "y")
        plot.series = [SVGPlot.Series(name: "s", points: [(0, 0), (1, 1)], color: Palette.blue)]
        let without = plot.pixelX(1)
        plot.colorBar = linear
        // The plot area narrows to make room for the bar and its labels.
        #expect(plot.pixelX(1) < without)
        #expect(plot.render().contains("url(#colorbar-ramp)"))
    }

    @Test("log ticks are decades, linear ticks are round numbers")
    func ticks() {
        #expect(SVGPlot.ticks((0.01, 100), .log) == [0.01, 0.1, 1, 10, 100])
        #expect(SVGPlot.ticks((0, 1), .linear) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
    }
}
