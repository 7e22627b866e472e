import Foundation
import Synchronization

/// Writes files atomically: a temporary file in the same folder, then a rename, so an interrupted run never
/// leaves a half-written report, notebook or data file.
public enum AtomicFile {
    private static let enabled = Atomic<Bool>(true)
    /// Temporary files being written now: what an interrupt must remove before the process exits.
    private static let inFlight = Mutex<Set<String>>([])

    /// Removes every temporary file a write has not yet renamed into place (called on SIGINT before exiting).
    public static func removeTemporariesInFlight() {
        inFlight.withLock { paths in
            for path in paths { unlink(path) }
            paths.removeAll()
        }
    }

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
        // A symbolic link is written through: the file it names is replaced, the link stays a link.
        let url = URL(fileURLWithPath: resolvingLink(path))
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(temporaryName(for: url.lastPathComponent))
        inFlight.withLock { _ = $0.insert(temporary.path) }
        defer { inFlight.withLock { _ = $0.remove(temporary.path) } }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try writeAll(data, to: temporary.path)
            if rename(temporary.path, url.path) != 0 { throw POSIXFailure(errno) }
        } catch {
            unlink(temporary.path)
            let reason = (error as? POSIXFailure)?.description ?? error.localizedDescription
            throw FileError.cannotWrite(path: path, reason: reason)
        }
    }

    /// `.NAME.UUID.tmp` beside the file, with NAME shortened so the temporary name fits the 255-byte limit of a
    /// file name even when the target's own name is that long.
    static func temporaryName(for name: String) -> String {
        let suffix = ".\(UUID().uuidString).tmp"
        var stem = name
        while 1 + stem.utf8.count + suffix.utf8.count > 255 { stem.removeLast() }
        return ".\(stem)\(suffix)"
    }

    /// The file a symbolic link finally names (relative links resolved from the link's folder), or `path`.
    public static func resolvingLink(_ path: String) -> String {
        var current = path
        for _ in 0..<32 {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else {
                return current
            }
            current =
                destination.hasPrefix("/")
                ? destination : ((current as NSString).deletingLastPathComponent as NSString)
                    .appendingPathComponent(destination)
        }
        return current
    }

    /// Creates `path` exclusively and writes all of `data` with POSIX calls, so a full disk says "No space left on
    /// device" instead of a Cocoa error code.
    private static func writeAll(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXFailure(errno) }
        defer { close(descriptor) }
        try data.withUnsafeBytes { try POSIXFailure.writeAll($0, to: descriptor) }
        guard fsync(descriptor) == 0 || errno == EINVAL else { throw POSIXFailure(errno) }
    }
}

/// A failed system call, described by `strerror` ("No space left on device").
public struct POSIXFailure: Error, CustomStringConvertible {
    public let code: Int32
    public init(_ code: Int32) { self.code = code }
    public var description: String { String(cString: strerror(code)) }

    /// Writes all of `bytes` to `descriptor`, retrying on EINTR and short writes: the one write loop of the
    /// toolkit's files, resume lines and standard output.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw POSIXFailure(errno)
            }
            offset += written
        }
    }
}

extension AtomicFile {
    /// The longest path accepted for an output (Linux's PATH_MAX less the terminating zero).
    public static let longestPath = 4095
    /// The longest file name accepted: the system's 255 bytes (the temporary beside it shortens its own copy of
    /// the name to fit, see `temporaryName(for:)`).
    public static let longestName = 255

    /// Checks, before anything is computed or written, that `path` can become a file: not empty, not too long,
    /// not a folder, not a device, FIFO or socket (writing one by rename would replace it with a regular file),
    /// and no part of its folder is an existing file.
    public static func checkTarget(_ path: String) throws {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else { throw FileError.emptyPath }
        guard path.utf8.count <= longestPath else { throw FileError.pathTooLong(bytes: path.utf8.count) }
        let name = (path as NSString).lastPathComponent
        guard name.utf8.count <= longestName else { throw FileError.nameTooLong(path: path, bytes: name.utf8.count) }
        var isFolder: ObjCBool = false
        if path.hasSuffix("/")
            || (FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue)
        {
            throw FileError.isFolder(path: path)
        }
        var status = stat()
        if stat(resolvingLink(path), &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            throw FileError.notARegularFile(path: path)
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty { try checkFolder(parent) }
    }

    /// Checks that no two of a command's files are the same file: an output onto the command's own input, or two
    /// outputs onto one path, would overwrite one with the other. Paths are compared after resolving symbolic
    /// links and `.`/`..`, and existing files by device and inode.
    ///
    /// - Parameters:
    ///   - outputs: (the setting's name in the caller's words, path) for every file the command writes.
    ///   - inputs: (name, path) for every file it reads.
    public static func checkDistinct(outputs: [(name: String, path: String)], inputs: [(name: String, path: String)])
        throws
    {
        let all = inputs.map { ($0.name, $0.path, false) } + outputs.map { ($0.name, $0.path, true) }
        for (index, output) in all.enumerated() where output.2 {
            for other in all[..<index] where sameFile(other.1, output.1) {
                throw FileError.sameFile(path: output.1, first: other.0, second: output.0, isInput: !other.2)
            }
        }
    }

    static func sameFile(_ a: String, _ b: String) -> Bool {
        var first = stat()
        var second = stat()
        if stat(a, &first) == 0, stat(b, &second) == 0 {
            return first.st_dev == second.st_dev && first.st_ino == second.st_ino
        }
        func normal(_ path: String) -> String {
            URL(fileURLWithPath: resolvingLink(path)).standardizedFileURL.resolvingSymlinksInPath().path
        }
        return normal(a) == normal(b)
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
    /// An output path naming a device, FIFO or socket.
    case notARegularFile(path: String)
    /// An output path longer than PATH_MAX.
    case pathTooLong(bytes: Int)
    /// An output file name too long to write atomically.
    case nameTooLong(path: String, bytes: Int)
    /// Two of a command's files are one file (`first` and `second` name the settings; `isInput`: `first` is read).
    case sameFile(path: String, first: String, second: String, isInput: Bool)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            return "cannot write \(Self.short(path)): \(reason); check that the folder is writable and has space"
        case let .cannotRead(path): return "cannot read \(path); check the path"
        case .emptyPath: return "the output path is empty; give a file path such as out/report.md"
        case let .isFolder(path):
            return
                "\(path) is a directory; give a file path inside it, such as \(path.hasSuffix("/") ? path : path + "/")out.md"
        case let .notAFolder(path):
            return "\(Self.short(path)) is a file, so nothing can be written inside it; choose another folder"
        case let .notARegularFile(path):
            return
                "\(Self.short(path)) is a device, FIFO or socket, not a regular file; write to a regular file or a new path (and pipe stdout for streams)"
        case let .pathTooLong(bytes):
            return "the output path is \(bytes) bytes long, above the system's limit of 4095; choose a shorter path"
        case let .nameTooLong(path, bytes):
            return
                "the file name of \(Self.short(path)) is \(bytes) bytes long, above the system's limit of 255; choose a shorter name"
        case let .sameFile(path, first, second, isInput):
            return
                "\(second) is \(Self.short(path)), the same file as \(first)\(isInput ? " (an input)" : ""); writing it would destroy the other: choose another path"
        }
    }
}

extension FileError {
    /// A path as messages quote it: whole up to 120 characters, else its start and end (a message stays one line
    /// a person can read, whatever was typed).
    public static func short(_ path: String) -> String {
        path.count <= 120 ? path : "\(path.prefix(50))…\(path.suffix(50)) (\(path.utf8.count) bytes)"
    }
}

/// File names made from model names: only letters, digits, '.', '_' and '-' survive (others become '-'), no
/// leading dot or dash, at most 100 characters, so a name such as "../../escaped" cannot leave the folder it is written to.
public func safeFileName(_ name: String) -> String {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    let mapped = String(name.map { allowed.contains($0) ? $0 : "-" })
    // At most 100 characters, so a report's name, its figure folder and their temporaries all fit a file name.
    let trimmed = mapped.drop { $0 == "." || $0 == "-" }.prefix(100)
    return trimmed.isEmpty ? "model" : String(trimmed)
}
