import ArgumentParser
import EffectiveGAN
import EffectiveGANMPI
import Foundation
import LinearAlgebra
import ResultForms

/// A command whose whole result is text, so that the CLI prints it and a notebook can capture it in-process.
protocol EganCommand: ParsableCommand {
    /// Runs the command and returns what it prints on standard output.
    func execute() throws -> String
}

extension EganCommand {
    func run() throws {
        try StandardOutput.write(try execute())
    }
}

/// The CONFIG argument every model command takes.
struct ModelArgument: ParsableArguments {
    @Argument(help: "A config file, a resolved-model file, or a built-in preset name (see 'egan presets').")
    var config: String

    func load() throws -> ModelSource { try ModelSource(config) }
}

/// The process entry point: parses, runs, and maps every error to one stderr line and exit code 2.
public enum EganMain {
    /// Runs `egan` with `arguments` (without the program name) and returns the exit code.
    ///
    /// Started by `mpirun` or `srun`, every rank runs the same command: study cells are spread over the ranks
    /// (`DistributedCellExecutor`), and rank 0 alone prints and writes files; the other ranks' output goes to
    /// /dev/null. A plain run never initialises MPI.
    public static func run(_ arguments: [String]) -> Int32 {
        // egan parallelises over independent problems, so BLAS runs on one thread per task; pinned here, once,
        // before any work (`LinearAlgebraLibrary.useSingleThreadedBLAS` says why and what it costs).
        LinearAlgebraLibrary.useSingleThreadedBLAS()
        guard MPIJob.launched() else { return runCommand(arguments) }
        let job: MPIJob
        do {
            job = try MPIJob()
        } catch {
            FileHandle.standardError.write(Data("egan: error: \(error)\n".utf8))
            return 2
        }
        if job.rank != 0 {
            AtomicFile.isEnabled = false
            silenceStandardStreams()
        }
        let code = CellExecution.using(DistributedCellExecutor(transport: job, threads: MPIJob.defaultThreads())) {
            job.rank == 0
                ? handlingSignal(SIGTERM, with: reportStopOfTheJob) { runCommand(arguments) } : runCommand(arguments)
        }
        // An error may have reached this rank alone (an unreadable resume file on rank 0, a failed message on a
        // worker) while the others wait for it in a study: ending with MPI_Abort stops them all, where
        // MPI_Finalize would wait for them forever.
        if code != 0, job.size > 1 {
            job.abort(code: code)
        }
        job.finish()
        return code
    }

    /// When a rank dies, the launcher stops the others with SIGTERM: rank 0 then says which cells were lost (the
    /// rest are in the --resume file) and exits.
    @Sendable private static func reportStopOfTheJob() {
        let cells = DistributedCellExecutor.cellsInFlight.map { "\($0.cell) on rank \($0.rank)" }
        let lost = cells.isEmpty ? "no cell was running" : "lost the cells in flight: " + cells.joined(separator: "; ")
        FileHandle.standardError.write(
            Data(
                "egan: error: the MPI job was stopped (a rank died, or the job was cancelled); \(lost). Finished cells are kept in the --resume file: run the same command again, with any number of ranks, to continue.\n"
                    .utf8))
        _exit(143)
    }

    /// Points stdout and stderr at /dev/null (ranks other than 0 compute the same output as rank 0).
    private static func silenceStandardStreams() {
        let null = open("/dev/null", O_WRONLY)
        guard null >= 0 else { return }
        dup2(null, STDOUT_FILENO)
        dup2(null, STDERR_FILENO)
        close(null)
    }

    static func runCommand(_ arguments: [String]) -> Int32 {
        do {
            var command = try Egan.parseAsRoot(arguments)
            try JSONOutput.$commandLine.withValue(JSONOutput.line(arguments)) {
                try InterruptFlag.stopOnInterrupt { try command.run() }
            }
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue  // the command already said why (e.g. crosscheck's FAIL rows)
        } catch {
            let code = Egan.exitCode(for: error)
            if code == .success {
                do { try StandardOutput.write(Egan.fullMessage(for: error) + "\n") } catch {
                    FileHandle.standardError.write(Data("egan: error: \(error)\n".utf8))
                    return 2
                }
                return 0
            }
            let message = ErrorText.message(for: error)
            FileHandle.standardError.write(Data("egan: error: \(message)\n".utf8))
            return 2
        }
    }
}
