import CMPI
import EffectiveGAN
import Foundation

/// This process's place in an MPI job (Open MPI), and the messages studies send through it.
///
/// `egan` links libmpi but initialises MPI only when a launcher started it (`mpirun`, `srun`): a plain run never
/// touches MPI, costs nothing at start-up and needs no launcher. Only the thread that called `start` calls MPI
/// (MPI_THREAD_FUNNELED): worker threads compute cells, the main thread talks.
public final class MPIJob: CellTransport, @unchecked Sendable {
    public let rank: Int
    public let size: Int
    private let world: MPI_Comm

    /// Whether a launcher started this process: Open MPI's `mpirun` sets OMPI_COMM_WORLD_SIZE, and `srun` (or any
    /// PMIx/PMI launcher) sets PMIX_RANK or PMI_RANK.
    public static func launched(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"].contains { environment[$0] != nil }
    }

    /// Cores each rank may use by default: the cores of this node shared among the ranks on it (Slurm's
    /// SLURM_CPUS_PER_TASK when set), at least 1 — so an oversubscribed node runs one thread per rank.
    public static func defaultThreads(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        if let perTask = environment["SLURM_CPUS_PER_TASK"].flatMap(Int.init), perTask > 0 { return perTask }
        let local =
            ["OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS_PER_NODE"].lazy.compactMap {
                environment[$0].flatMap(Int.init)
            }.first ?? 1
        return max(1, System.coreCount / max(1, local))
    }

    /// Initialises MPI (once per process).
    public init() throws {
        var provided: Int32 = 0
        try MPIJob.check(MPI_Init_thread(nil, nil, cmpi_thread_funneled(), &provided), "MPI_Init_thread")
        world = cmpi_comm_world()
        // Worker threads compute while the main thread talks: the library must allow threads at all.
        guard provided >= cmpi_thread_funneled() else {
            MPI_Finalize()
            throw MPIError(
                call: "MPI_Init_thread (this MPI offers no thread support; egan needs MPI_THREAD_FUNNELED)",
                code: provided)
        }
        var rank: Int32 = 0
        var size: Int32 = 0
        try MPIJob.check(MPI_Comm_rank(world, &rank), "MPI_Comm_rank")
        try MPIJob.check(MPI_Comm_size(world, &size), "MPI_Comm_size")
        self.rank = Int(rank)
        self.size = Int(size)
    }

    /// Ends MPI; every rank calls it once before exiting.
    public func finish() { MPI_Finalize() }

    /// Stops every rank of the job at once (after an error only this rank saw).
    public func abort(code: Int32) { MPI_Abort(world, code) }

    public func send(_ bytes: [UInt8], to destination: Int, tag: Int32) throws {
        try bytes.withUnsafeBufferPointer { buffer in
            try MPIJob.check(
                MPI_Send(buffer.baseAddress, Int32(buffer.count), cmpi_byte(), Int32(destination), tag, world),
                "MPI_Send")
        }
    }

    /// Waits for the next message by polling (`MPI_Iprobe`, then a sleep of up to 1 ms): a blocking MPI call spins
    /// a core while it waits, and the waiting rank shares its node with busy workers (on 2 cores, 2 ranks × 1 thread
    /// took 3.10 s against 2.35 s for 1 rank × 2 threads while rank 0 spun). Cells take milliseconds to minutes, so
    /// a millisecond of latency costs nothing.
    public func receive() throws -> (source: Int, tag: Int32, bytes: [UInt8]) {
        var status = MPI_Status()
        var flag: Int32 = 0
        var pause: UInt32 = 20
        while true {
            try MPIJob.check(MPI_Iprobe(cmpi_any_source(), cmpi_any_tag(), world, &flag, &status), "MPI_Iprobe")
            if flag != 0 { break }
            usleep(pause)
            pause = min(1000, pause * 2)
        }
        var count: Int32 = 0
        try MPIJob.check(MPI_Get_count(&status, cmpi_byte(), &count), "MPI_Get_count")
        var bytes = [UInt8](repeating: 0, count: Int(count))
        try bytes.withUnsafeMutableBufferPointer { buffer in
            try MPIJob.check(
                MPI_Recv(
                    buffer.baseAddress, count, cmpi_byte(), status.MPI_SOURCE, status.MPI_TAG, world,
                    cmpi_status_ignore()), "MPI_Recv")
        }
        return (Int(status.MPI_SOURCE), status.MPI_TAG, bytes)
    }

    /// Rank 0 sends its bytes to every other rank, which waits for them with `receive` (polling, not spinning
    /// in `MPI_Bcast` while rank 0 finishes its last cells).
    public func broadcast(_ bytes: [UInt8]?) throws -> [UInt8] {
        if rank == 0 {
            let bytes = bytes ?? []
            for destination in 1..<size { try send(bytes, to: destination, tag: MPIJob.broadcastTag) }
            return bytes
        }
        let message = try receive()
        guard message.tag == MPIJob.broadcastTag else {
            throw MPIError(call: "broadcast: a message of kind \(message.tag) arrived first", code: -1)
        }
        return message.bytes
    }

    /// The message kind of a broadcast (apart from the study's own kinds).
    static let broadcastTag: Int32 = 99

    private static func check(_ code: Int32, _ call: String) throws {
        guard code == cmpi_success() else { throw MPIError(call: call, code: code) }
    }
}

/// An MPI call that failed (Open MPI's default handler aborts first; this is for handlers that return).
public struct MPIError: Error, CustomStringConvertible {
    public let call: String
    public let code: Int32
    public var description: String { "\(call) failed with MPI error \(code)" }
}
