import Foundation

/// Writing a command's result to standard output, with a failed write (a full disk, `> /dev/full`, a closed
/// descriptor) reported as an error — exit 2 with one line — instead of the trap `FileHandle.write(_:)` raises.
enum StandardOutput {
    /// Why standard output could not take the result.
    struct WriteError: Error, CustomStringConvertible {
        let reason: String
        var description: String {
            "could not write the result to standard output: \(reason); free space or redirect it elsewhere"
        }
    }

    /// Writes all of `text` with POSIX `write`, retrying on EINTR and short writes.
    static func write(_ text: String) throws {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Foundation.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw WriteError(reason: String(cString: strerror(errno)))
            }
            offset += written
        }
        bytes.removeAll()
    }
}
