import ArgumentParser
import EffectiveGAN
import ResultForms

struct ModelCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Print a model's config, or with --resolved every number of it (spec §8).",
        discussion: """
            The resolved model lists targets, equilibrium and initial particles, the kernel (η_G included) and the \
            discriminator's frozen weights. Every command accepts it as CONFIG and reproduces results bit for bit:
              egan model ring8 --config > my.json          # an editable starting point
              egan model ring8 --resolved > ring8.resolved.json
              egan analyze ring8.resolved.json --gamma 0.5
            For a generator network, --network-start prints what another framework needs to take the same steps: \
            the config, the resolved critic and targets, the latents Z and the initial weights w₀ in PyTorch's \
            parameters() order (schema egan.network-start/1; benchmarks/network_peers.py reads it).
            """)

    @OptionGroup var model: ModelArgument
    @Flag(help: "Print the resolved model instead of the summary.")
    var resolved = false
    @Flag(help: "Print the model's config as JSON, to save and edit as a starting point (a preset's construction).")
    var config = false
    @Flag(
        help: "Print a generator network's config, latents, initial weights and resolved critic (egan.network-start/1)."
    )
    var networkStart = false
    @OptionGroup var output: FormatOption

    func validate() throws {
        if [resolved, config, networkStart].filter({ $0 }).count > 1 {
            throw ValidationError("choose one of --resolved, --config and --network-start")
        }
    }

    func execute() throws -> String {
        let source = try model.load()
        if resolved { return source.resolved.json.prettyText + "\n" }
        if config { return source.document.integralNumbersAsIntegers.prettyText + "\n" }
        if networkStart { return try ModelForms.networkStart(NetworkFlow(source), source: source).prettyText + "\n" }
        let effective = EffectiveModel(source.resolved)
        if try output.chosen(csvRows: false, command: "model") == .json {
            return ModelForms.json(source, model: effective).commandOutput(source: source)
        }
        return ModelForms.table(source, model: effective)
    }
}
