import ArgumentParser
import EffectiveGAN
import ResultForms

/// `egan`: the root command.
public struct Egan: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "egan",
        abstract:
            "The physics of GAN training: linear stability, regularisation and mode collapse of the effective GAN model.",
        discussion: """
            A GAN's generator is replaced by N particles coupled by a kernel K, chasing the gradient of a \
            discriminator that learns by gradient ascent (docs/model.md). Around equilibrium the flow is a \
            set of oscillators; a gradient penalty (r1, r2, l2) damps them.

            Every CONFIG is a JSON config, a resolved model (egan model CONFIG --resolved), or a preset name.
            Start with:  egan presets;  egan analyze dirac --gamma 1
            """,
        version: EffectiveGANVersion.current,
        subcommands: [
            PresetsCommand.self, ModelCommand.self, AnalyzeCommand.self, SweepCommand.self, OptimizeCommand.self,
            StepsCommand.self, SimulateCommand.self, CrossCheckCommand.self, ConvergenceCommand.self,
            ReportCommand.self,
            CollapseCommand.self, KernelCommand.self, TransferCommand.self, NotebookCommand.self,
            BenchCommand.self,
        ])

    public init() {}
}
