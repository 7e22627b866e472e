import EffectiveGAN
import Foundation
import Testing

/// Issue #15: studies over several axes print one CSV field per axis, a boundary file with one line per row, and a
/// prediction whose keys are documented.
@Suite("Collapse studies over several axes")
struct CollapseAxesTests {
    static let study = [
        "collapse", "ring8-collapse", "--ratios", "0,0.1:0.4:2", "--seeds", "1", "--t-end", "5", "--vs",
        "discriminator.activation=tanh,cos", "--vs", "discriminator.learningRate=1:10:2",
    ]

    @Test("CSV: one field per --vs path; --boundary: one line per row; a boundary curve per activation; --predict")
    func severalAxes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("egan-axes-\(UUID().uuidString)")
        let boundary = folder.appendingPathComponent("boundary.csv").path
        let heatmap = folder.appendingPathComponent("map.svg").path
        let csv = try CLI.run(Self.study + ["--format", "csv", "--boundary", boundary, "--heatmap", heatmap])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        let paths = "discriminator.activation,discriminator.learningRate"
        let header = lines.first ?? ""
        let expectedHeader = paths + ",ratio,seed,metric,covered,outcome,mean_abs_cosine"
        #expect(header == expectedHeader)
        // 2 activations × 2 rates × 3 φ × 1 seed, each with 8 fields, the rows' values first.
        #expect(lines.count == 13)
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 8 })
        #expect(lines[1].hasPrefix("tanh,1,0.0,1,"))
        let rows = try String(contentsOfFile: boundary, encoding: .utf8).split(separator: "\n")
        let boundaryHeader = rows.first.map(String.init) ?? ""
        let expectedBoundaryHeader = paths + ",transition,interval_low,interval_high"
        #expect(boundaryHeader == expectedBoundaryHeader)
        #expect(rows.count == 5 && rows[4].hasPrefix("cos,10,"))
        // The heatmap draws one boundary curve per activation (φ_c against η_D), not one across both, and has a
        // colour bar.
        let svg = try String(contentsOfFile: heatmap, encoding: .utf8)
        let curves = svg.components(separatedBy: "data-series=\"φ_c\"").count - 1
        #expect(curves == 2)
        #expect(svg.contains("data-colorbar="))
        let json = try CLI.run(Self.study + ["--format", "json", "--predict"])
        #expect(json.status == 0, "\(json.stderr)")
        // Read with the library's own JSON (Foundation's JSONSerialization here crashed the 6.3.1 compiler in IR
        // generation of an AnyHashable thunk).
        let document = try JSONValue.parse(Data(json.stdout.utf8), source: "collapse --format json")
        guard case let .object(prediction)? = document["prediction"] else {
            Issue.record("no prediction object")
            return
        }
        #expect(
            prediction.map(\.0).sorted() == [
                "calibrationRow", "compared", "constant", "medianRelativeError", "rankCorrelation", "rows",
            ])
        if case let .array(rows)? = document["prediction"]?["rows"] {
            #expect(rows.count == 4)
        } else {
            Issue.record("prediction.rows is not an array")
        }
        #expect(document["vs"] == .string("discriminator.activation,discriminator.learningRate"))
    }
}
