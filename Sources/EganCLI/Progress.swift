import EffectiveGAN
import Foundation
import Synchronization

/// A one-line progress bar on stderr, shown only when stderr is a terminal (never in pipes, files or CI logs) or
/// when asked for (`--progress`).
enum Progress {
    static func bar(_ label: String, force: Bool = false) -> ProgressHandler? {
        guard force || isatty(STDERR_FILENO) != 0 else { return nil }
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

/// Runs `body` with `signalNumber` delivered to `handler` (on a background queue) instead of its default action,
/// which is restored afterwards.
func handlingSignal<T>(
    _ signalNumber: Int32, with handler: @escaping @Sendable () -> Void, during body: () throws -> T
) rethrows -> T {
    signal(signalNumber, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
    source.setEventHandler(handler: handler)
    source.resume()
    defer {
        source.cancel()
        signal(signalNumber, SIG_DFL)
    }
    return try body()
}

/// Turns SIGINT (Ctrl-C) into a flag a long computation polls, so it can stop cleanly and write what it has.
/// Installed for the duration of `watch`; the default action (exit at once) is restored afterwards.
enum InterruptFlag {
    static func watch<T>(_ body: (@escaping @Sendable () -> Bool) throws -> T) rethrows -> (T, interrupted: Bool) {
        let shared = FlagBox()
        let result = try handlingSignal(SIGINT, with: { shared.set() }) { try body { shared.isSet } }
        return (result, shared.isSet)
    }

    private final class FlagBox: Sendable {
        let flag = Atomic<Bool>(false)
        var isSet: Bool { flag.load(ordering: .relaxed) }
        func set() { flag.store(true, ordering: .relaxed) }
    }
}
