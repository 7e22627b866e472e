import Foundation
import Synchronization

/// Writes files atomically: a temporary file in the same folder, then a rename, so an interrupted run never
/// leaves a half-written report, notebook or data file.
public enum AtomicFile {
    private static let enabled = Atomic<Bool>(true)

    /// Whether this process writes files (default: yes). The processes of a parallel job other than the writer
    /// (MPI ranks other than 0) run the same program and switch it off, so one file is written once.
    public static var isEnabled: Bool {
        get { enabled.load(ordering: .relaxed) }
        set { enabled.store(newValue, ordering: .relaxed) }
    }

    /// Writes `text` to `path`, creating missing parent folders.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    public static func write(_ data: Data, to path: String) throws {
        guard isEnabled else { return }
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

extension AtomicFile {
    /// Checks, before anything is computed or written, that `path` can become a file: not empty, not a folder,
    /// and no part of its folder is an existing file.
    public static func checkTarget(_ path: String) throws {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else { throw FileError.emptyPath }
        var isFolder: ObjCBool = false
        if path.hasSuffix("/")
            || (FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue)
        {
            throw FileError.isFolder(path: path)
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty { try checkFolder(parent) }
    }

    /// Checks that `folder` is a folder or can be created (no existing file stands on its path).
    public static func checkFolder(_ folder: String) throws {
        var prefix = folder.hasPrefix("/") ? "/" : ""
        for part in folder.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: prefix, isDirectory: &isFolder), !isFolder.boolValue {
                throw FileError.notAFolder(path: prefix)
            }
        }
    }

    /// Removes `.NAME.*.tmp` files that an interrupted write of `path` left beside it.
    public static func removeStaleTemporaries(of path: String) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent)."
        let present = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for file in present where file.hasPrefix(prefix) && file.hasSuffix(".tmp") {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(file))
        }
    }
}

/// File-system failures, named by path.
public enum FileError: Error, CustomStringConvertible, Sendable, Equatable {
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String)
    /// An output path that is empty.
    case emptyPath
    /// An output path that is an existing folder.
    case isFolder(path: String)
    /// A folder on an output path that is an existing file.
    case notAFolder(path: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason): return "cannot write \(path): \(reason); check that the folder is writable"
        case let .cannotRead(path): return "cannot read \(path); check the path"
        case .emptyPath: return "the output path is empty; give a file path such as out/report.md"
        case let .isFolder(path):
            return
                "\(path) is a directory; give a file path inside it, such as \(path.hasSuffix("/") ? path : path + "/")out.md"
        case let .notAFolder(path):
            return "\(path) is a file, so nothing can be written inside it; choose another folder"
        }
    }
}

/// File names made from model names: only letters, digits, '.', '_' and '-' survive (others become '-'), no
/// leading dot or dash, so a name such as "../../escaped" cannot leave the folder it is written to.
public func safeFileName(_ name: String) -> String {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    let mapped = String(name.map { allowed.contains($0) ? $0 : "-" })
    let trimmed = mapped.drop { $0 == "." || $0 == "-" }
    return trimmed.isEmpty ? "model" : String(trimmed)
}
