import ArgumentParser
import EffectiveGAN

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
        let reference = transfer.reference
        func gap(_ value: Double?, _ base: Double?) -> Double? {
            guard let value, let base, base != 0 else { return nil }
            return value / base - 1
        }
        if format == .json {
            return JSONValue.object([
                ("schema", .string("egan.transfer/1")), ("model", .string(source.name)),
                (
                    "rows",
                    .array(
                        transfer.rows.map { row in
                            .object([
                                ("kernel", .string(row.description.rawValue)), ("description", .string(row.kernel)),
                                ("gamma", row.optimum.map { .number($0.gamma) } ?? .null),
                                ("rate", row.optimum.map { .number($0.rate) } ?? .null),
                                ("gammaGap", gap(row.optimum?.gamma, reference?.gamma).map(JSONValue.number) ?? .null),
                                ("rateGap", gap(row.optimum?.rate, reference?.rate).map(JSONValue.number) ?? .null),
                                ("unavailable", row.unavailable.map(JSONValue.string) ?? .null),
                                ("measuredRate", row.measuredRate.map(JSONValue.number) ?? .null),
                            ])
                        })
                ),
            ]).commandOutput(source: source)
        }
        let percent = { (value: Double?) in value.map { Format.number(100 * $0, digits: 3) + " %" } ?? "—" }
        let rows = transfer.rows.map { row -> [String] in
            [
                row.description.rawValue, row.optimum.map { Format.refined($0.gamma) } ?? "—",
                row.optimum.map { Format.refined($0.rate) } ?? "—", percent(gap(row.optimum?.gamma, reference?.gamma)),
                percent(gap(row.optimum?.rate, reference?.rate)),
            ] + (measure ? [row.measuredRate.map { Format.number($0, digits: 6) } ?? "—"] : []) + [
                row.unavailable ?? row.kernel
            ]
        }
        let header = ["kernel", "γ*", "r(γ*)", "γ* gap", "r gap"] + (measure ? ["network r at γ*"] : []) + ["kernel used"]
        return "\(source.name): γ* of the network by three descriptions of its generator (gaps relative to the empirical kernel Θ(w*))\n"
            + TextTable.render(header: header, rows: rows)
    }
}
