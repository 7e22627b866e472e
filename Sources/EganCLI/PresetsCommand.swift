import ArgumentParser
import EffectiveGAN

struct PresetsCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets", abstract: "List the built-in models, usable wherever a CONFIG is expected.",
        discussion: "Save one preset's config with 'egan model NAME --config > my.json' and edit it to start your own.")

    @OptionGroup var output: FormatOption

    func execute() throws -> String {
        if try output.chosen(csvRows: false, command: "presets") == .json {
            return JSONValue.object([
                ("schema", .string("egan.presets/1")),
                (
                    "presets",
                    .array(
                        Preset.allCases.map {
                            .object([("name", .string($0.rawValue)), ("summary", .string($0.summary))])
                        })
                ),
            ]).commandOutput(source: nil)
        }
        let width = Preset.allCases.map(\.rawValue.count).max() ?? 0
        return Preset.allCases.map {
            $0.rawValue.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.summary
        }
        .joined(separator: "\n") + "\n"
    }
}
