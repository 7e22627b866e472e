import ArgumentParser
import EffectiveGAN
import Foundation
import ResultForms
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

/// `--progress`: a progress bar on stderr even when it is not a terminal (on a terminal it is always shown).
struct ProgressOption: ParsableArguments {
    @Flag(help: "Show a progress bar on stderr even when it is not a terminal.")
    var progress = false

    func bar(_ label: String) -> ProgressHandler? { Progress.bar(label, force: progress) }
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
    /// How many `watch` calls are running: while one is, it owns SIGINT and `stopOnInterrupt` stands aside.
    private static let watchers = Atomic<Int>(0)

    static func watch<T>(_ body: (@escaping @Sendable () -> Bool) throws -> T) rethrows -> (T, interrupted: Bool) {
        let shared = FlagBox()
        watchers.add(1, ordering: .sequentiallyConsistent)
        defer { watchers.subtract(1, ordering: .sequentiallyConsistent) }
        let result = try handlingSignal(SIGINT, with: { shared.set() }) { try body { shared.isSet } }
        return (result, shared.isSet)
    }

    /// Runs a whole command so that SIGINT always stops it — even when the shell that started it in the background
    /// set SIGINT to be ignored, which the process would otherwise inherit — with one stderr line, exit 130, and
    /// no temporary file left behind. Commands that stop gracefully (`simulate`) take SIGINT over with `watch`.
    static func stopOnInterrupt<T>(_ body: () throws -> T) rethrows -> T {
        try handlingSignal(
            SIGINT,
            with: {
                guard watchers.load(ordering: .sequentiallyConsistent) == 0 else { return }
                AtomicFile.removeTemporariesInFlight()
                FileHandle.standardError.write(Data("egan: stopped by SIGINT; no output file was left half-written (a --resume file keeps its finished cells)\n".utf8))
                _exit(130)
            }, during: body)
    }

    private final class FlagBox: Sendable {
        let flag = Atomic<Bool>(false)
        var isSet: Bool { flag.load(ordering: .relaxed) }
        func set() { flag.store(true, ordering: .relaxed) }
    }
}
