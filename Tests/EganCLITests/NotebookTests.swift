import Foundation
import Testing

import EffectiveGAN

@testable import EganCLI

@Suite("Text notebooks")
struct NotebookTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var notebooks: [String] {
        let folder = packageRoot.appendingPathComponent("notebooks-text")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter {
            $0.hasSuffix(".md")
        }.sorted()
            .map { folder.appendingPathComponent($0).path }
    }

    @Test("every shipped notebook's stored outputs still hold")
    func shippedNotebooksCheck() throws {
        #expect(Self.notebooks.count >= 4)
        // Notebooks 12 and 13 read and extend the stored studies in ../reports/studies: ours, so allowed.
        let result = try CLI.run(["notebook", "check", "--allow-writes-outside"] + Self.notebooks, in: Self.packageRoot)
        #expect(result.status == 0, "\(result.stdout)")
    }

    @Test("an edited output fails the check with a readable diff")
    func editedNotebookFails() throws {
        let original = try String(contentsOfFile: Self.notebooks[0], encoding: .utf8)
        let edited = original.replacingOccurrences(of: "0.866025", with: "0.866125")
        #expect(edited != original)
        let copy = try CLI.temporaryFile(edited, name: "edited.md")
        let result = try CLI.run(["notebook", "check", copy.path], in: Self.packageRoot)
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL"))
        #expect(result.stdout.contains("- ") && result.stdout.contains("0.866125") && result.stdout.contains("+ "))
    }

    @Test("run writes outputs below the cells; numbers within tolerance compare equal")
    func runAndCompare() throws {
        let text = "# t\n\n```egan\nanalyze dirac --gamma 1 --json\n```\n"
        let file = try CLI.temporaryFile(text, name: "new.md")
        let result = try CLI.run(["notebook", "run", file.path])
        #expect(result.status == 0)
        let written = try String(contentsOf: file, encoding: .utf8)
        #expect(written.contains("```output\n{\n  \"schema\": \"egan.analyze/2\""))
        #expect(Notebook.agree("rate 0.5000001", "rate 0.5", tolerance: 1e-6).isEmpty)
        #expect(!Notebook.agree("rate 0.50001", "rate 0.5", tolerance: 1e-6).isEmpty)
        #expect(!Notebook.agree("regime overdamped", "regime underdamped", tolerance: 1).isEmpty)
        #expect(!Notebook.agree("error 5.57e-07", "error 5.64e-07", tolerance: 1e-5).isEmpty)
        #expect(Notebook.agree("error 5.57e-07", "error 5.64e-07", tolerance: 1e-5, absolute: 1e-7).isEmpty)
        let directive = Notebook(parsing: "<!-- egan-notebook: tolerance 1e-5 absolute 1e-7 -->\n")
        #expect(directive.tolerance == 1e-5 && directive.absoluteTolerance == 1e-7)
        #expect(Notebook(parsing: "# t\n").absoluteTolerance == Notebook.defaultAbsoluteTolerance)
    }

    @Test("cells run in the notebook's folder: a copy elsewhere checks clean from any directory, figures shown inline")
    func pathsRelativeToTheNotebook() throws {
        let text = """
            # t

            ```egan
            analyze line.json --gamma 1
            collapse line.json --ratios 0:1:2 --seeds 1 --t-end 5 --heatmap figures/h.svg
            ```
            """
        let notebook = try CLI.temporaryFile(text, name: "t.md")
        let folder = notebook.deletingLastPathComponent()
        let config = try Preset.line2.document.compactText
        try config.write(to: folder.appendingPathComponent("line.json"), atomically: true, encoding: .utf8)
        // Started from the package root, not the notebook's folder: paths still resolve beside the notebook.
        let run = try CLI.run(["notebook", "run", notebook.path], in: Self.packageRoot)
        #expect(run.status == 0, "\(run.stderr)")
        let written = try String(contentsOf: notebook, encoding: .utf8)
        #expect(!written.contains("error:"), "\(written)")
        #expect(written.contains("```\n\n![egan figure](figures/h.svg)\n"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("figures/h.svg").path))
        // Parsing keeps the figure line with its cell, so a second run leaves the text as it was.
        #expect(Notebook(parsing: written).text == written)
        let check = try CLI.run(["notebook", "check", notebook.path], in: FileManager.default.temporaryDirectory)
        #expect(check.status == 0, "\(check.stdout)")
    }

    @Test("cell lines split like a shell")
    func words() {
        #expect(shellWords("egan sweep 'my file.json' --from 1") == ["egan", "sweep", "my file.json", "--from", "1"])
    }
}
