import Dispatch
import Foundation
import LinearAlgebra
import Synchronization

/// How the processes of a parallel job reach each other: MPI in `egan` (module `EffectiveGANMPI`), threads with
/// mailboxes in the tests. Process 0 coordinates; every message goes to or from it.
public protocol CellTransport: Sendable {
    /// This process's number, 0 ..< size.
    var rank: Int { get }
    /// The number of processes.
    var size: Int { get }
    /// Sends `bytes` to process `destination` with message kind `tag`.
    func send(_ bytes: [UInt8], to destination: Int, tag: Int32) throws
    /// The next message for this process, from any sender (blocks).
    func receive() throws -> (source: Int, tag: Int32, bytes: [UInt8])
    /// Process 0's `bytes`, delivered to every process (collective; the others pass nil).
    func broadcast(_ bytes: [UInt8]?) throws -> [UInt8]
}

/// The cells of a study spread over the processes of a job, scheduled dynamically by process 0.
///
/// Every process calls `map` at the same point (the same program runs everywhere). Process 0 keeps the queue of
/// undone cells; its own `threads` workers take cells from it, and each other process asks for one cell per idle
/// worker thread and sends each result back as it finishes — cell costs differ by orders of magnitude (diverging
/// and collapsing runs stop early), so a static split would leave processes idle. Process 0 alone calls
/// `onResult` (the checkpoint) and `progress`, then sends the complete, index-ordered results to every process.
/// Results travel as JSON with shortest round-trip digits (`CellCoding`): a cell computed elsewhere is the same
/// number, and the output is bit-identical to a one-process run.
///
/// After a failing cell no new cells are handed out; the cells in flight finish (and are checkpointed), and every
/// process throws the `CellFailure` of the lowest-numbered failing cell.
public struct DistributedCellExecutor: CellExecutor {
    public let transport: any CellTransport
    /// Worker threads in this process.
    public let threads: Int

    public init(transport: any CellTransport, threads: Int) {
        self.transport = transport
        self.threads = max(1, threads)
    }

    public var isWriter: Bool { transport.rank == 0 }

    private static let running = Mutex<[(rank: Int, index: Int, cell: String)]>([])

    /// The cells being computed now and the process computing each (known in process 0). When the launcher stops
    /// the job because a process died, this is what a message can name: those cells are lost, every other finished
    /// cell is in the checkpoint.
    public static var cellsInFlight: [(rank: Int, cell: String)] {
        running.withLock { $0.map { ($0.rank, $0.cell) } }
    }

    private static func started(_ index: Int, on rank: Int, _ cell: String) {
        running.withLock { $0.append((rank, index, cell)) }
    }

    private static func ended(_ index: Int) {
        running.withLock { $0.removeAll { $0.index == index } }
    }

    /// Message kinds.
    enum Tag: Int32 {
        /// worker → 0: give me a cell.
        case request = 1
        /// 0 → worker: a cell index (8 bytes), or −1 for none left.
        case assign = 2
        /// worker → 0: cell index + encoded result.
        case result = 3
        /// worker → 0: cell index + the error's text.
        case failure = 4
        /// worker → 0: this process has finished every cell it was given.
        case done = 5
    }

    public func map<T: Codable & Sendable>(
        _ count: Int, done: [Int: T], describe: @escaping @Sendable (Int) -> String, progress: ProgressHandler?,
        onResult: (@Sendable (Int, T) throws -> Void)?, _ body: @escaping @Sendable (Int) throws -> T
    ) throws -> [T] {
        if transport.size == 1 {
            return try LocalCellExecutor(threads: threads).map(
                count, done: done, describe: describe, progress: progress, onResult: onResult, body)
        }
        LinearAlgebraLibrary.useSingleThreadedBLAS()
        let outcome: [UInt8]?
        if transport.rank == 0 {
            let envelope = try coordinate(
                count, done: done, describe: describe, progress: progress, onResult: onResult, body)
            outcome = try CellCoding.encode(envelope)
        } else {
            try serve(body)
            outcome = nil
        }
        let envelope = try CellCoding.decode(Envelope<T>.self, from: try transport.broadcast(outcome))
        if let failure = envelope.failure {
            throw CellFailure(index: failure.index, cell: failure.cell, reason: failure.reason)
        }
        return envelope.results ?? []
    }

    /// What process 0 sends everyone at the end: all results, or the failure.
    struct Envelope<T: Codable>: Codable {
        var results: [T]?
        var failure: FailureText?
    }

    struct FailureText: Codable {
        let index: Int
        let cell: String
        let reason: String
    }

    /// Process 0: hands out cells to its own threads and to the other processes until none is left, collecting
    /// every result.
    private func coordinate<T: Codable & Sendable>(
        _ count: Int, done: [Int: T], describe: @escaping @Sendable (Int) -> String, progress: ProgressHandler?,
        onResult: (@Sendable (Int, T) throws -> Void)?, _ body: @escaping @Sendable (Int) throws -> T
    ) throws -> Envelope<T> {
        let pending = (0..<count).filter { done[$0] == nil }
        let board = CellBoard<T>(count: count, done: done, pending: pending)
        let record: @Sendable (Int, Result<T, any Error>) -> Void = { index, outcome in
            Self.ended(index)
            switch outcome {
            case let .success(value):
                do {
                    try onResult?(index, value)
                    board.store(index, value)
                } catch {
                    board.fail(index, cell: describe(index), reason: "\(error)")
                }
            case let .failure(error):
                board.fail(index, cell: describe(index), reason: "\(error)")
            }
            progress?(board.finishedCount, pending.count)
        }
        // This process's own workers, on background threads, while this thread talks to the others.
        let group = DispatchGroup()
        for _ in 0..<threads {
            DispatchQueue.global().async(group: group) {
                while let index = board.next() {
                    Self.started(index, on: 0, describe(index))
                    record(index, Result { try body(index) })
                }
            }
        }
        var working = transport.size - 1
        while working > 0 {
            let message = try transport.receive()
            switch Tag(rawValue: message.tag) {
            case .request:
                let index = board.next()
                if let index { Self.started(index, on: message.source, describe(index)) }
                try transport.send(CellCoding.index(index ?? -1), to: message.source, tag: Tag.assign.rawValue)
            case .result:
                let (index, payload) = try CellCoding.split(message.bytes)
                record(index, Result { try CellCoding.decode(T.self, from: payload) })
            case .failure:
                let (index, payload) = try CellCoding.split(message.bytes)
                record(index, .failure(RemoteCellError(text: String(decoding: payload, as: UTF8.self))))
            case .done:
                working -= 1
            case .assign, nil:
                throw CellFailure(index: -1, cell: "the job", reason: "unexpected message kind \(message.tag)")
            }
        }
        group.wait()
        return board.envelope()
    }

    /// Another process: asks for cells while it has idle threads, runs them, and sends each result back.
    private func serve<T: Codable & Sendable>(_ body: @escaping @Sendable (Int) throws -> T) throws {
        let finished = Mutex<[(index: Int, tag: Tag, bytes: [UInt8])]>([])
        let signal = DispatchSemaphore(value: 0)
        var inFlight = 0
        var exhausted = false
        while true {
            while !exhausted && inFlight < threads {
                try transport.send([], to: 0, tag: Tag.request.rawValue)
                let reply = try transport.receive()
                let index = try CellCoding.index(from: reply.bytes)
                guard index >= 0 else {
                    exhausted = true
                    break
                }
                inFlight += 1
                DispatchQueue.global().async {
                    let message: (Int, Tag, [UInt8])
                    do {
                        message = (index, .result, try CellCoding.encode(try body(index)))
                    } catch {
                        message = (index, .failure, Array("\(error)".utf8))
                    }
                    finished.withLock { $0.append(message) }
                    signal.signal()
                }
            }
            if inFlight == 0 { break }
            signal.wait()
            let message = finished.withLock { $0.removeFirst() }
            try transport.send(CellCoding.index(message.index) + message.bytes, to: 0, tag: message.tag.rawValue)
            inFlight -= 1
        }
        try transport.send([], to: 0, tag: Tag.done.rawValue)
    }
}

/// An error raised in another process, known only by its text.
struct RemoteCellError: Error, CustomStringConvertible {
    let text: String
    var description: String { text }
}

/// Process 0's view of a map: which cells are still to hand out, the results so far, the first failure.
final class CellBoard<T: Sendable>: Sendable {
    private struct State {
        var queue: [Int]
        var results: [T?]
        var finished = 0
        var failure: DistributedCellExecutor.FailureText?
    }
    private let state: Mutex<State>

    init(count: Int, done: [Int: T], pending: [Int]) {
        var results = [T?](repeating: nil, count: count)
        for (index, value) in done { results[index] = value }
        state = Mutex(State(queue: pending.reversed(), results: results))
    }

    /// The next cell to run, lowest index first; nil when none is left or a cell has failed.
    func next() -> Int? {
        state.withLock { $0.failure == nil ? $0.queue.popLast() : nil }
    }

    func store(_ index: Int, _ value: T) {
        state.withLock {
            $0.results[index] = value
            $0.finished += 1
        }
    }

    /// Records a failure; the lowest-numbered one is reported.
    func fail(_ index: Int, cell: String, reason: String) {
        state.withLock {
            $0.finished += 1
            if $0.failure == nil || index < $0.failure!.index {
                $0.failure = DistributedCellExecutor.FailureText(index: index, cell: cell, reason: reason)
            }
        }
    }

    var finishedCount: Int { state.withLock { $0.finished } }

    func envelope() -> DistributedCellExecutor.Envelope<T> where T: Codable {
        state.withLock { state in
            if let failure = state.failure { return .init(results: nil, failure: failure) }
            return .init(results: state.results.map { $0! }, failure: nil)
        }
    }
}

/// Bytes on the wire: JSON (Foundation's coders print every Double in its shortest round-trip digits, so it reads
/// back bit for bit, −0 included; ±∞ and NaN travel as strings) and little-endian 8-byte indices.
///
/// Not binary property lists: they store equal numbers once, and 0 == −0, so a spectrum's +0 imaginary parts came
/// back as −0 (found by scripts/mpi-check comparing a 2-rank sweep with a 1-process one).
enum CellCoding {
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return Array(try encoder.encode([value]))
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let values = try decoder.decode([T].self, from: Data(bytes))
        guard let value = values.first else { throw RemoteCellError(text: "an empty message") }
        return value
    }

    static func index(_ value: Int) -> [UInt8] {
        withUnsafeBytes(of: Int64(value).littleEndian, Array.init)
    }

    static func index(from bytes: [UInt8]) throws -> Int {
        guard bytes.count >= 8 else { throw RemoteCellError(text: "a message of \(bytes.count) bytes, need 8") }
        let raw = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        return Int(Int64(bitPattern: raw))
    }

    /// A cell index and the bytes after it.
    static func split(_ bytes: [UInt8]) throws -> (Int, [UInt8]) {
        (try index(from: bytes), Array(bytes.dropFirst(8)))
    }
}
