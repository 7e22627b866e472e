import ArgumentParser
import EffectiveGAN
import Foundation

/// A command whose whole result is text, so that the CLI prints it and a notebook can capture it in-process.
protocol EganCommand: ParsableCommand {
    /// Runs the command and returns what it prints on standard output.
    func execute() throws -> String
}

extension EganCommand {
    func run() throws {
        FileHandle.standardOutput.write(Data(try execute().utf8))
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
    public static func run(_ arguments: [String]) -> Int32 {
        do {
            var command = try Egan.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue  // the command already said why (e.g. crosscheck's FAIL rows)
        } catch {
            let code = Egan.exitCode(for: error)
            if code == .success {
                FileHandle.standardOutput.write(Data((Egan.fullMessage(for: error) + "\n").utf8))
                return 0
            }
            let message = ErrorText.message(for: error)
            FileHandle.standardError.write(Data("egan: error: \(message)\n".utf8))
            return 2
        }
    }
}
