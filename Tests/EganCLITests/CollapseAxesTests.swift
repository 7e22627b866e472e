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

    @Test("CSV: one field per --vs path; --boundary: one line per row; --predict in JSON")
    func severalAxes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("egan-axes-\(UUID().uuidString)")
        let boundary = folder.appendingPathComponent("boundary.csv").path
        let csv = try CLI.run(Self.study + ["--format", "csv", "--boundary", boundary])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "discriminator.activation,discriminator.learningRate,ratio,seed,metric,covered,outcome,mean_abs_cosine")
        // 2 activations × 2 rates × 3 φ × 1 seed, each with 8 fields, the rows' values first.
        #expect(lines.count == 13)
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 8 })
        #expect(lines[1].hasPrefix("tanh,1,0.0,1,"))
        let rows = try String(contentsOfFile: boundary, encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "discriminator.activation,discriminator.learningRate,transition,interval_low,interval_high")
        #expect(rows.count == 5 && rows[4].hasPrefix("cos,10,"))
        let json = try CLI.run(Self.study + ["--format", "json", "--predict"])
        #expect(json.status == 0, "\(json.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let prediction = try #require(document["prediction"] as? [String: Any])
        for key in ["constant", "calibrationRow", "rankCorrelation", "medianRelativeError", "compared", "rows"] {
            #expect(prediction.keys.contains(key), "prediction lacks \(key)")
        }
        #expect((prediction["rows"] as? [Any])?.count == 4)
        #expect(document["vs"] as? String == "discriminator.activation,discriminator.learningRate")
    }
}
