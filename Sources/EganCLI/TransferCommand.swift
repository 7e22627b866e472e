import ArgumentParser
import EffectiveGAN
import ResultForms

struct TransferCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "γ* of a generator network by its empirical kernel, its universal fit and its infinite-width NTK.",
        discussion: """
            For a config with generator.network: the network's empirical block kernel Θ(w*) at its matched \
            equilibrium (exact for the network's linearisation), the universal fit (φ, g₁) of Θ(w*), and the \
            infinite-width NTK of the same architecture on the same latents; γ* and r(γ*) of each and their gaps \
            to the empirical kernel. With --measure, the network itself is trained near (w*, θ*) at each row's γ* \
            (as crosscheck does) and its rate fitted: which γ* serves the real network best.
              egan transfer notebooks-text/configs/ring8-network.json
              egan transfer notebooks-text/configs/ring8-network-w64-dz8.json --measure
              egan transfer notebooks-text/configs/ring8-network.json --from 0.01 --to 1000 --format json
            """)

    @OptionGroup var model: ModelArgument
    @OptionGroup var progressOption: ProgressOption
    @OptionGroup var interval: StrengthInterval
    @Flag(help: "Also train the network at each γ* and fit its rate (seconds to minutes: one ODE run per row).")
    var measure = false
    @OptionGroup var output: FormatOption

    func execute() throws -> String {
        let format = try output.chosen(csvRows: false, command: "transfer")
        let source = try model.load()
        let transfer = try KernelTransfer.compare(
            source, from: interval.from, to: interval.to, measure: measure, progress: progressOption.bar("scan"))
        if format == .json { return TransferForms.json(transfer, name: source.name).commandOutput(source: source) }
        return TransferForms.table(transfer, name: source.name, measured: measure)
    }
}
