import ArgumentParser
import EffectiveGAN
import Foundation
import ResultForms

struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook", abstract: "Run text notebooks, or check that their stored outputs still hold.",
        discussion: """
            A notebook is Markdown whose ```egan cells are egan commands (one per line, without the word egan). \
            'run' executes every cell in-process and writes its output below it in an ```output block, and an \
            image line for every .svg file the cell wrote; 'check' re-runs them and fails with a diff when an \
            output changed beyond the notebook's stated tolerance. Cells run in the notebook's own folder, so \
            paths in them are relative to the notebook.
              egan notebook run notebooks-text/01-dirac-gan.md
              egan notebook check notebooks-text/01-dirac-gan.md   # or notebooks-text/*.md: all (minutes)
            """,
        subcommands: [NotebookRun.self, NotebookCheck.self])
}

/// Runs every cell of a notebook in-process and returns its outputs.
enum NotebookRunner {
    /// Runs one cell line; with `confinedTo`, a line whose output flags name a file outside that folder is
    /// refused (someone else's notebook must not write anywhere on this machine).
    static func execute(_ line: String, confinedTo folder: String?) -> String {
        var words = shellWords(line)
        if words.first == "egan" { words.removeFirst() }
        if let folder, let outside = OutputFiles.paths(in: words).first(where: { !isInside($0, folder: folder) }) {
            return
                "error: a notebook cell writes only inside the notebook's folder; \(FileError.short(outside)) is outside it (pass --allow-writes-outside to permit it)\n"
        }
        do {
            let command = try Egan.parseAsRoot(words)
            // A notebook that runs notebooks could run itself and recurse without end.
            guard let runnable = command as? any EganCommand, !(command is NotebookRun) else {
                return "error: '\(words.prefix(2).joined(separator: " "))' cannot run inside a notebook\n"
            }
            return try JSONOutput.$commandLine.withValue(JSONOutput.line(words)) { try runnable.execute() }
        } catch {
            return "error: \(ErrorText.message(for: error))\n"
        }
    }

    /// Whether `path` (relative to the current directory, which is `folder` while a notebook runs) stays inside
    /// `folder` once `.`, `..` and the symbolic links of its existing part are resolved.
    static func isInside(_ path: String, folder: String) -> Bool {
        let root = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
        let target = URL(fileURLWithPath: AtomicFile.resolvingLink(path), relativeTo: URL(fileURLWithPath: root + "/"))
            .standardizedFileURL.resolvingSymlinksInPath().path
        return target == root || target.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// The notebook with every output block recomputed, run in `folder` (the notebook's own; see `Notebook`).
    ///
    /// The process's current directory is changed for the run and restored after it: every command resolves
    /// relative paths against it, and `egan notebook` runs one notebook at a time.
    static func run(_ notebook: Notebook, in folder: String, allowWritesOutside: Bool = false) throws -> Notebook {
        // A notebook catches each cell's error and goes on; across MPI ranks an error seen by one rank would leave
        // the others in the previous cell's study. Notebooks run in one process.
        if let distributed = CellExecution.current as? DistributedCellExecutor, distributed.transport.size > 1 {
            throw ValidationError("egan notebook runs in one process; start it without mpirun or srun")
        }
        let manager = FileManager.default
        let previous = manager.currentDirectoryPath
        guard manager.changeCurrentDirectoryPath(folder) else { throw FileError.cannotRead(path: folder) }
        defer { _ = manager.changeCurrentDirectoryPath(previous) }
        var result = notebook
        result.blocks = notebook.blocks.map { block in
            guard case let .cell(commands, _, _) = block else { return block }
            let started = Date()
            let confinement = allowWritesOutside ? nil : manager.currentDirectoryPath
            let output = commands.map { execute($0, confinedTo: confinement) }.joined()
            // Figures: the SVG files the cell names (as a word or as --option=FILE) and wrote while it ran.
            let figures = commands.flatMap(shellWords).map {
                $0.split(separator: "=", maxSplits: 1).last.map(String.init) ?? $0
            }
            .filter { path in
                guard path.hasSuffix(".svg"),
                    let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date
                else { return false }
                return modified >= started.addingTimeInterval(-1)
            }
            return .cell(commands: commands, output: output, figures: figures)
        }
        return result
    }

    /// The folder holding the notebook at `path` (relative paths are taken from the current directory).
    static func folder(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    static func load(_ path: String) throws -> Notebook {
        guard let data = FileManager.default.contents(atPath: path) else { throw FileError.cannotRead(path: path) }
        let text = String(decoding: data, as: UTF8.self)
        try Notebook.checkDirectives(text, path: path)
        return Notebook(parsing: text)
    }
}

struct NotebookRun: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Execute every cell and write its output below it (atomically).")

    @Argument(help: "Notebook files.")
    var files: [String]
    @Flag(help: "Let cells write files outside the notebook's folder (by default such a cell is refused).")
    var allowWritesOutside = false

    func execute() throws -> String {
        var report = ""
        for file in files {
            let notebook = try NotebookRunner.run(
                try NotebookRunner.load(file), in: NotebookRunner.folder(of: file),
                allowWritesOutside: allowWritesOutside)
            try AtomicFile.write(notebook.text, to: file)
            let cells = notebook.blocks.filter { if case .cell = $0 { return true } else { return false } }.count
            report += "ran \(cells) cells of \(file)\n"
        }
        return report
    }
}

struct NotebookCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Re-run every cell and fail (exit 1) with a diff if any stored output changed.")

    @Argument(help: "Notebook files.")
    var files: [String]
    @Flag(help: "Let cells write files outside the notebook's folder (by default such a cell is refused).")
    var allowWritesOutside = false

    func run() throws {
        var failures = 0
        for file in files {
            let stored = try NotebookRunner.load(file)
            let fresh = try NotebookRunner.run(
                stored, in: NotebookRunner.folder(of: file), allowWritesOutside: allowWritesOutside)
            var differences: [String] = []
            for (cellIndex, (old, new)) in zip(stored.cells, fresh.cells).enumerated() {
                guard let oldOutput = old.output else {
                    differences.append(
                        "cell \(cellIndex + 1) (\(old.commands.joined(separator: "; "))): no stored output; run 'egan notebook run \(file)'"
                    )
                    continue
                }
                for d in Notebook.agree(
                    oldOutput, new.output ?? "", tolerance: stored.tolerance, absolute: stored.absoluteTolerance)
                {
                    differences.append(
                        "cell \(cellIndex + 1) (\(old.commands.joined(separator: "; "))), line \(d.line):\n  - \(d.stored)\n  + \(d.fresh)"
                    )
                }
            }
            if differences.isEmpty {
                try StandardOutput.write("ok    \(file) (\(stored.cells.count) cells, tolerance \(stored.tolerance))\n")
            } else {
                failures += 1
                try StandardOutput.write(
                    "FAIL  \(file): \(differences.count) difference(s)\n" + differences.map { $0 + "\n" }.joined())
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

extension Notebook {
    var cells: [(commands: [String], output: String?)] {
        blocks.compactMap {
            if case let .cell(commands, output, _) = $0 { return (commands, output) } else { return nil }
        }
    }
}
