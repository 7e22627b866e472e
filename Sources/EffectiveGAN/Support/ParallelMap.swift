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
    let results = Mutex<[T?]>(Array(repeating: nil, count: count))
    let failure = Mutex<(index: Int, error: any Error)?>(nil)
    let finished = Atomic<Int>(0)
    LinearAlgebraLibrary.useSingleThreadedBLAS()
    DispatchQueue.concurrentPerform(iterations: count) { index in
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
    if let (_, error) = failure.withLock({ $0 }) { throw error }
    return results.withLock { $0.map { $0! } }
}

/// Facts about the machine the parallel code adapts to.
enum System {
    /// Cores available to this process.
    static let coreCount = ProcessInfo.processInfo.activeProcessorCount
}

/// Hands a non-Sendable object to parallel blocks that each write a disjoint part of it. The disjointness is the
/// caller's promise, not the compiler's: use only where each block's index range is visibly separate.
struct DisjointAccess<T>: @unchecked Sendable {
    let value: T
}
