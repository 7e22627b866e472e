/// A setting of a run (not of the model), named in the library's own words. Command-line tools map each one to
/// their flag (`egan` does so in `EganCLI`); the library never names a flag.
public enum RunSetting: String, Sendable, CaseIterable {
    case endTime = "the end time t_end"
    case samples = "the number of sample times"
    case relativeTolerance = "the relative tolerance"
    case absoluteTolerance = "the absolute tolerance"
    case stepSize = "the step size h"
    case criticSteps = "the discriminator steps per round"
    case generatorSteps = "the generator steps per round"
    case perturbation = "the perturbation size ε"
    case threshold = "the convergence threshold"
    case strengths = "the list of strengths γ"
    case gridStart = "the grid's first value"
    case gridEnd = "the grid's last value"
    case gridPoints = "the number of grid points"
    case gridScale = "the grid's scale"
    case column = "the swept column"
    case columnGrid = "the grid of the swept column"
    case seeds = "the number of seeds"
    case resumeFile = "the resume file"
    case scheme = "the stepping scheme"
    case integrator = "the integrator"
}

/// A run setting that cannot work: which one, and what is wrong, in the library's words ("the end time t_end
/// must be a positive finite time (got -1)"). `EganCLI` renders the same error with the flag instead of the name.
public struct InvalidSetting: Error, CustomStringConvertible, Equatable, Sendable {
    /// The setting at fault (the first one named).
    public let setting: RunSetting
    /// What is wrong, after the setting's name; it may name a second setting with `\(setting:)` placeholders
    /// resolved by `render`.
    public let problem: String
    /// Settings mentioned inside `problem` as {0}, {1}, … (e.g. a grid's end named in its start's message).
    public let mentions: [RunSetting]

    public init(_ setting: RunSetting, _ problem: String, mentioning mentions: [RunSetting] = []) {
        self.setting = setting
        self.problem = problem
        self.mentions = mentions
    }

    /// The message with every setting written by `name`.
    public func render(_ name: (RunSetting) -> String) -> String {
        var text = "\(name(setting)) \(problem)"
        for (index, other) in mentions.enumerated() {
            text = text.replacingOccurrences(of: "{\(index)}", with: name(other))
        }
        return text
    }

    public var description: String { render(\.rawValue) }
}
