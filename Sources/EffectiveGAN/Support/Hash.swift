import Foundation

/// FNV-1a, 64 bit, as 16 hex digits: a short, stable fingerprint of a text (not cryptographic). Used to name a
/// resolved model in report provenance and a collapse study in its resume file.
public func fingerprint(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return String(format: "%016llx", hash)
}
