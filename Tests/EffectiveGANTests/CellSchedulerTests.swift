import Dispatch
import Foundation
import Synchronization
import GSLBridge
import Testing

@testable import EffectiveGAN

/// Issue #16: the scheduler that spreads study cells over MPI ranks, tested without MPI — each "rank" is a thread
/// and messages go through in-memory mailboxes, with the same protocol `egan` runs under `mpirun`.
@Suite("Cell scheduling across processes")
struct CellSchedulerTests {
    /// Mailboxes for `size` ranks in one process.
    final class Mailbox: Sendable {
        let messages = Mutex<[(source: Int, tag: Int32, bytes: [UInt8])]>([])
        let arrival = DispatchSemaphore(value: 0)
    }

    final class Mailboxes: Sendable {
        let boxes: [Mailbox]
        init(size: Int) { boxes = (0..<size).map { _ in Mailbox() } }
    }

    struct ThreadTransport: CellTransport {
        let rank: Int
        let size: Int
        let mail: Mailboxes

        func send(_ bytes: [UInt8], to destination: Int, tag: Int32) throws {
            mail.boxes[destination].messages.withLock { $0.append((rank, tag, bytes)) }
            mail.boxes[destination].arrival.signal()
        }

        func receive() throws -> (source: Int, tag: Int32, bytes: [UInt8]) {
            mail.boxes[rank].arrival.wait()
            return mail.boxes[rank].messages.withLock { $0.removeFirst() }
        }

        func broadcast(_ bytes: [UInt8]?) throws -> [UInt8] {
            if rank == 0 {
                for destination in 1..<size { try send(bytes ?? [], to: destination, tag: 99) }
                return bytes ?? []
            }
            return try receive().bytes
        }
    }

    /// Runs `body(executor)` on `size` rank threads at once and returns each rank's outcome.
    static func job<T: Sendable>(
        size: Int, threads: Int = 2, _ body: @escaping @Sendable (DistributedCellExecutor) throws -> T
    ) -> [Result<T, any Error>] {
        let mail = Mailboxes(size: size)
        let outcomes = Mutex<[Result<T, any Error>?]>(Array(repeating: nil, count: size))
        let finished = DispatchSemaphore(value: 0)
        for rank in 0..<size {
            let executor = DistributedCellExecutor(
                transport: ThreadTransport(rank: rank, size: size, mail: mail), threads: threads)
            // Real threads, not the dispatch pool: a rank blocks waiting for messages.
            Thread.detachNewThread {
                let outcome = Result { try body(executor) }
                outcomes.withLock { $0[rank] = outcome }
                finished.signal()
            }
        }
        for _ in 0..<size { finished.wait() }
        return outcomes.withLock { $0.map { $0! } }
    }

    /// A cell whose cost varies by two orders of magnitude, like diverging and collapsing runs.
    @Sendable static func cell(_ index: Int) -> Double {
        usleep(UInt32((index * 7919) % 13) * 300)
        return sin(Double(index)) * 1e-3 + Double(index)
    }

    @Test("every rank gets every result in index order, equal to a one-process run, bit for bit")
    func ordering() throws {
        let expected = (0..<60).map(Self.cell)
        let outcomes = Self.job(size: 3) { executor -> [Double] in try executor.map(60, Self.cell) }
        for outcome in outcomes { #expect(try outcome.get() == expected) }
        // Consecutive studies in one program (SPMD): the second map starts cleanly after the first.
        let twice = Self.job(size: 3) { executor -> [[Double]] in
            [try executor.map(5) { Double($0) }, try executor.map(3) { Double(-$0) }]
        }
        for outcome in twice { #expect(try outcome.get() == [[0, 1, 2, 3, 4], [0, -1, -2]]) }
        // The local executor gives the same answer on any thread count.
        let one: [Double] = try LocalCellExecutor(threads: 1).map(60, Self.cell)
        let five: [Double] = try LocalCellExecutor(threads: 5).map(60, Self.cell)
        #expect(one == expected && five == expected)
    }

    @Test("a resumed study: rank 0's finished cells are not recomputed, and only new cells reach the checkpoint")
    func resumeMerge() throws {
        let done: [Int: Double] = [0: -1, 3: -3, 4: -4]
        let computed = Mutex<[Int]>([])
        let stored = Mutex<[Int]>([])
        let outcomes = Self.job(size: 2) { executor -> [Double] in
            try executor.map(
                6, done: executor.isWriter ? done : [:], describe: { "cell \($0)" }, progress: nil,
                onResult: { index, _ in stored.withLock { $0.append(index) } }
            ) { index in
                computed.withLock { $0.append(index) }
                return Double(index)
            }
        }
        for outcome in outcomes { #expect(try outcome.get() == [-1, 1, 2, -3, -4, 5]) }
        #expect(computed.withLock { $0.sorted() } == [1, 2, 5])
        #expect(stored.withLock { $0.sorted() } == [1, 2, 5])
    }

    @Test("a failing cell ends the study on every rank with the lowest failing cell named; cells in flight finish")
    func failingCell() throws {
        struct Boom: Error, CustomStringConvertible {
            let index: Int
            var description: String { "boom at \(index)" }
        }
        let stored = Mutex<[Int]>([])
        let outcomes = Self.job(size: 3, threads: 1) { executor -> [Double] in
            try executor.map(
                40, done: [:], describe: { "the cell φ = \($0)" }, progress: nil,
                onResult: { index, _ in stored.withLock { $0.append(index) } }
            ) { index in
                if index == 9 || index == 11 { throw Boom(index: index) }
                return Double(index)
            }
        }
        for outcome in outcomes {
            guard case let .failure(error) = outcome, let failure = error as? CellFailure else {
                Issue.record("expected a CellFailure, got \(outcome)")
                continue
            }
            #expect(failure.index == 9)
            #expect(failure.description == "the cell φ = 9 failed: boom at 9")
        }
        // Cells were handed out lowest first, and none after the failure was seen: the cells that finished are a
        // prefix of the grid, apart from the failures and the few in flight on other ranks.
        let finished = Set(stored.withLock { $0 })
        #expect(finished.contains(0) && !finished.contains(9))
        #expect(finished.count < 38)
    }

    @Test("results cross processes bit for bit: signed zeros side by side, subnormals, ±∞, NaN, optionals")
    func coding() throws {
        let values: [Double?] = [.nan, -0.0, 0.0, .leastNonzeroMagnitude, .infinity, -.infinity, 0.1, nil]
        let back = try CellCoding.decode([Double?].self, from: try CellCoding.encode(values))
        #expect(back.count == values.count)
        #expect(back[0]!.isNaN && back[1]!.sign == .minus && back[2]!.sign == .plus)
        #expect(back[3] == .leastNonzeroMagnitude && back[4] == .infinity && back[5] == -.infinity)
        #expect(back[6] == 0.1 && back[7] == nil)
        // Every bit pattern of a seeded sample of doubles.
        let generator = MersenneTwister(seed: 5)
        let random = (0..<2000).map { _ in
            Double(bitPattern: UInt64(generator.uniform() * 0x1p32) << 32 | UInt64(generator.uniform() * 0x1p32))
        }
        let randomBack = try CellCoding.decode([Double].self, from: try CellCoding.encode(random))
        #expect(zip(random, randomBack).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) })
        #expect(try CellCoding.index(from: CellCoding.index(-1)) == -1)
        #expect(try CellCoding.index(from: CellCoding.index(1 << 40)) == 1 << 40)
    }
}
