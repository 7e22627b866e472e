import Foundation
import Testing

/// Runs the built `egan` executable as a user would, capturing stdout, stderr and the exit code.
struct CLIResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum CLI {
    /// The `egan` binary next to the test bundle in the build folder (SwiftPM builds every product for `swift test`).
    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("egan")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("egan")
    }

    /// Runs `egan` (or another `program`) with `arguments`, optionally in `directory` with `environment`.
    static func run(
        _ arguments: [String], in directory: URL? = nil, program: URL? = nil, environment: [String: String]? = nil
    ) throws -> CLIResult {
        let process = Process()
        process.executableURL = program ?? executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A temporary file holding `text`.
    static func temporaryFile(_ text: String, name: String = "config.json") throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("egan-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
