import ArgumentParser
import EffectiveGAN
import ResultForms

struct PresetsCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets", abstract: "List the built-in models, usable wherever a CONFIG is expected.",
        discussion: "Save one preset's config with 'egan model NAME --config > my.json' and edit it to start your own.")

    @OptionGroup var output: FormatOption

    func execute() throws -> String {
        try output.chosen(csvRows: false, command: "presets") == .json
            ? PresetForms.json().commandOutput(source: nil) : PresetForms.table()
    }
}
