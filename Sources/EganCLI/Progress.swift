import EffectiveGAN
import Foundation
import Synchronization

/// A one-line progress bar on stderr, shown only when stderr is a terminal (never in pipes, files or CI logs).
enum Progress {
    static func bar(_ label: String) -> ProgressHandler? {
        guard isatty(STDERR_FILENO) != 0 else { return nil }
        let lastShown = Mutex<Int>(-1)
        return { finished, total in
            let percent = total > 0 ? finished * 100 / total : 100
            let shouldDraw = lastShown.withLock { last -> Bool in
                guard percent != last else { return false }
                last = percent
                return true
            }
            guard shouldDraw else { return }
            let width = 30
            let filled = width * percent / 100
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let end = finished == total ? "\r\u{1B}[K" : ""
            FileHandle.standardError.write(Data("\r\(label) \(bar) \(finished)/\(total)\(end)".utf8))
        }
    }
}
