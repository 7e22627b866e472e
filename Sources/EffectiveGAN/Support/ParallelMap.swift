import Dispatch
import Foundation
import LinearAlgebra
import Synchronization

/// Progress callbacks receive (finished, total); they may be called from any thread.
public typealias ProgressHandler = @Sendable (_ finished: Int, _ total: Int) -> Void

/// `(0..<count).map(body)` with the iterations spread over all cores.
///
/// Results come back in index order whatever the scheduling, so parallel runs are bit-identical to serial ones.
/// The first error thrown by any iteration is rethrown after all iterations finish. OpenBLAS is single-threaded
/// for the whole process (`LinearAlgebraLibrary.useSingleThreadedBLAS`): the parallelism is across iterations.
public func parallelMap<T: Sendable>(
    _ count: Int, progress: ProgressHandler? = nil, _ body: @Sendable (Int) throws -> T
) throws -> [T] {
    try workerPool(count, threads: System.coreCount, progress: progress, body)
}

/// Facts about the machine the parallel code adapts to.
public enum System {
    /// Cores available to this process.
    public static let coreCount = ProcessInfo.processInfo.activeProcessorCount
}

/// Hands a non-Sendable object to parallel blocks that each write a disjoint part of it. The disjointness is the
/// caller's promise, not the compiler's: use only where each block's index range is visibly separate.
struct DisjointAccess<T>: @unchecked Sendable {
    let value: T
}
