import Foundation

/// Writes files atomically: a temporary file in the same folder, then a rename, so an interrupted run never
/// leaves a half-written report, notebook or data file.
public enum AtomicFile {
    /// Writes `text` to `path`, creating missing parent folders.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
            try data.write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                try? FileManager.default.removeItem(at: temporary)
                throw CocoaError(.fileWriteUnknown)
            }
        } catch {
            throw FileError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}

/// File-system failures, named by path.
public enum FileError: Error, CustomStringConvertible, Sendable {
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason): return "cannot write \(path): \(reason); check that the folder is writable"
        case let .cannotRead(path): return "cannot read \(path); check the path"
        }
    }
}
