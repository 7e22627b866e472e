import Foundation
import LinearAlgebra
import Synchronization

/// Runs the independent cells of a study (sweep points, collapse cells, convergence runs, cross-checks).
///
/// A study asks for `count` results in index order; how they are computed is the executor's business: on this
/// machine's cores (`LocalCellExecutor`, the default), or spread over the ranks of an MPI job (the
/// `EffectiveGANMPI` module). Executors are *collective* in the MPI sense: every process of a job calls `map` at the
/// same point with the same count and gets the same results back, so the code around a study stays one program
/// whatever runs it.
public protocol CellExecutor: Sendable {
    /// `(0..<count).map(body)`, in index order.
    ///
    /// - Parameters:
    ///   - done: results known before the run (a resumed study); their cells are not computed again.
    ///   - describe: names a cell in error messages ("φ = 0.3, seed 2").
    ///   - onResult: called once per computed cell as it finishes, in the process that writes files (for
    ///     checkpoints); from any thread.
    /// - Throws: the error of the lowest-numbered cell that threw, after every cell in flight has finished: the
    ///   cell's own error in one process (`LocalCellExecutor`, which still runs the other cells), a
    ///   `CellFailure` naming the cell when cells run in several (`DistributedCellExecutor`, which hands out no
    ///   new cell after a failure).
    func map<T: Codable & Sendable>(
        _ count: Int, done: [Int: T], describe: @escaping @Sendable (Int) -> String, progress: ProgressHandler?,
        onResult: (@Sendable (Int, T) throws -> Void)?, _ body: @escaping @Sendable (Int) throws -> T
    ) throws -> [T]

    /// Whether this process writes output and files: true for a plain run and for rank 0 of an MPI job.
    var isWriter: Bool { get }
}

extension CellExecutor {
    /// `map` with nothing done, cells described by number, and no checkpoint.
    public func map<T: Codable & Sendable>(
        _ count: Int, progress: ProgressHandler? = nil, _ body: @escaping @Sendable (Int) throws -> T
    ) throws -> [T] {
        try map(count, done: [:], describe: { "cell \($0 + 1) of \(count)" }, progress: progress, onResult: nil, body)
    }
}

/// A cell whose computation threw: which cell, and why. Studies rethrow the cell's own error when they run on one
/// process (`LocalCellExecutor`); across processes only its text travels.
public struct CellFailure: Error, CustomStringConvertible, Sendable {
    public let index: Int
    /// The cell in the study's words ("γ = 5", "φ = 0.3, seed 2").
    public let cell: String
    public let reason: String

    public init(index: Int, cell: String, reason: String) {
        self.index = index
        self.cell = cell
        self.reason = reason
    }

    public var description: String { "\(cell) failed: \(reason)" }
}

/// Which executor the library's studies use. A plain program never touches it (cells run on every core); `egan`
/// installs an MPI executor when it is started by `mpirun` or `srun`.
public enum CellExecution {
    /// The executor studies use now: task-local (bound for the current task, or thread outside tasks), so an
    /// executor is installed for a scope with `using(_:_:)` and nothing process-wide is swapped around calls.
    /// Studies read it on the thread that starts them; their cells never start studies of their own.
    @TaskLocal public static var current: any CellExecutor = LocalCellExecutor()

    /// Runs `body` with `executor` as the studies' executor.
    public static func using<T>(_ executor: any CellExecutor, _ body: () throws -> T) rethrows -> T {
        try $current.withValue(executor, operation: body)
    }
}

/// Cells on the cores of this process: `threads` workers take the next undone cell as each finishes (dynamic
/// scheduling: cell costs differ by orders of magnitude), and results land in index order, so the answer does not
/// depend on the thread count or on timing.
public struct LocalCellExecutor: CellExecutor {
    /// Worker threads (at least 1).
    public let threads: Int

    public init(threads: Int = System.coreCount) { self.threads = max(1, threads) }

    public var isWriter: Bool { true }

    public func map<T: Codable & Sendable>(
        _ count: Int, done: [Int: T], describe: @escaping @Sendable (Int) -> String, progress: ProgressHandler?,
        onResult: (@Sendable (Int, T) throws -> Void)?, _ body: @escaping @Sendable (Int) throws -> T
    ) throws -> [T] {
        let pending = (0..<count).filter { done[$0] == nil }
        let computed = try workerPool(pending.count, threads: threads, progress: progress) { k in
            let value = try body(pending[k])
            try onResult?(pending[k], value)
            return value
        }
        var results = done
        for (k, index) in pending.enumerated() { results[index] = computed[k] }
        return (0..<count).map { results[$0]! }
    }
}

/// `(0..<count).map(body)` on `threads` workers that each take the next index as they finish; the first error (by
/// index) is rethrown after every started iteration has finished. Shared by `parallelMap` and the executors.
func workerPool<T: Sendable>(
    _ count: Int, threads: Int, progress: ProgressHandler? = nil, _ body: @Sendable (Int) throws -> T
) throws -> [T] {
    let results = Mutex<[T?]>(Array(repeating: nil, count: count))
    let failure = Mutex<(index: Int, error: any Error)?>(nil)
    let next = Atomic<Int>(0)
    let finished = Atomic<Int>(0)
    LinearAlgebraLibrary.useSingleThreadedBLAS()
    DispatchQueue.concurrentPerform(iterations: min(max(1, threads), max(1, count))) { _ in
        while true {
            let index = next.add(1, ordering: .relaxed).oldValue
            guard index < count else { return }
            do {
                let value = try body(index)
                results.withLock { $0[index] = value }
            } catch {
                failure.withLock { current in
                    if current == nil || index < current!.index { current = (index, error) }
                }
            }
            let done = finished.add(1, ordering: .relaxed).newValue
            progress?(done, count)
        }
    }
    if let (_, error) = failure.withLock({ $0 }) { throw error }
    return results.withLock { $0.map { $0! } }
}
