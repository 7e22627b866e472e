import EffectiveGAN
import Foundation
import ResultForms

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

    static func write(_ text: String) throws {
        do {
            try Array(text.utf8).withUnsafeBytes { try POSIXFailure.writeAll($0, to: STDOUT_FILENO) }
        } catch let failure as POSIXFailure {
            throw WriteError(reason: failure.description)
        }
    }
}
