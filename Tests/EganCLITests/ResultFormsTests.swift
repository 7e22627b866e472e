import Foundation
import ResultForms
import Testing

@testable import EffectiveGAN

/// Issue #26: one place owns the JSON, CSV and text forms of every result (the `ResultForms` module); the
/// commands compute and choose a form, they do not build one.
@Suite("Result forms")
struct ResultFormsTests {
    static let sources = DocumentationTests.repository.appendingPathComponent("Sources")

    /// Every Swift file under `Sources/<module>`.
    static func files(in module: String) throws -> [URL] {
        let folder = sources.appendingPathComponent(module)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
            .map { folder.appendingPathComponent($0) }
    }

    @Test("every egan.*/N schema is written in ResultForms, and no command builds a JSON object or a table")
    func schemasLiveInResultForms() throws {
        let schema = try NSRegularExpression(pattern: #"\.string\("egan\.[a-z-]+/[0-9]+"\)"#)
        var outside: [String] = []
        var inside = 0
        for module in try FileManager.default.contentsOfDirectory(atPath: Self.sources.path) {
            for file in (try? Self.files(in: module)) ?? [] {
                let text = try String(contentsOf: file, encoding: .utf8)
                let count = schema.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
                if module == "ResultForms" {
                    inside += count
                } else if count > 0 {
                    outside.append(file.lastPathComponent)
                }
            }
        }
        #expect(outside.isEmpty, "schemas outside ResultForms: \(outside)")
        // analyze, sweep, optimize, steps, simulate, crosscheck, convergence, collapse, report, kernel, transfer,
        // model, presets, bench, and a network's starting point (model --network-start).
        #expect(inside == 15, "\(inside) schemas in ResultForms")
        for file in try Self.files(in: "EganCLI") {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains(".object(["), "\(file.lastPathComponent) builds a JSON object")
            #expect(!text.contains("TextTable."), "\(file.lastPathComponent) renders a table")
        }
    }

    @Test("the sweep's JSON and CSV forms carry the library's numbers (ring8, 5 points of γ)")
    func sweepFormsCarryTheNumbers() throws {
        let source = try ModelSource(preset: .ring8)
        let sweep = try Sweep.run(source, values: [0.1, 0.5, 2, 8, 30])
        let json = SweepForms.json(sweep, name: "ring8", critical: [], branches: [], merges: [])
        guard case let .array(points)? = json["points"] else { Issue.record("no points"); return }
        let csv = SweepForms.csv(sweep).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        for (k, point) in sweep.points.enumerated() {
            #expect(points[k]["gamma"] == .number(point.value))
            #expect(points[k]["rate"] == .number(point.spectrum.rate))
            #expect(Double(String(csv[k][2])) == point.spectrum.rate)
        }
    }

    @Test("a --vs target.modes study: each row's φ_c crosses ½ ln K of its own K, and the table says K per row")
    func perRowModes() throws {
        let study = try CollapseStudy(
            source: ModelSource(preset: .ring8Collapse), ratios: [0, 0.25, 0.5], seeds: 2,
            rowPaths: ["target.modes"], rowValues: [.integer(4), .integer(16)],
            settings: SimulationSettings(
                integrator: .gradientSteps(step: 0.05, scheme: .simultaneous, criticSteps: 1), tEnd: 20, samples: 5))
        let cells = try study.run(done: [])
        let rows = try study.rows(cells)
        for (row, k) in zip(rows, [4.0, 16.0]) {
            #expect(row.transition == CollapseStudy.crossing(study.ratios, row.meanMetric, log(k) / 2))
        }
        let table = CollapseForms.table(study, rows: rows, cells: cells, name: "ring8-collapse")
        #expect(table.contains("K per row: 4, 16"), "\(table)")
    }
}
