import ArgumentParser
import EffectiveGAN
import ResultForms

extension RunSetting {
    /// The flag that sets this run setting on egan's command line.
    var flag: String {
        switch self {
        case .endTime: return "--t-end"
        case .samples: return "--samples"
        case .relativeTolerance: return "--rtol"
        case .absoluteTolerance: return "--atol"
        case .stepSize: return "--lr"
        case .criticSteps: return "--critic-steps"
        case .generatorSteps: return "--generator-steps"
        case .perturbation: return "--perturb"
        case .threshold: return "--threshold"
        case .strengths: return "--gammas"
        case .gridStart: return "--from"
        case .gridEnd: return "--to"
        case .gridPoints: return "--points"
        case .gridScale: return "--scale"
        case .column: return "--column"
        case .columnGrid: return "--ratios"
        case .seeds: return "--seeds"
        case .resumeFile: return "--resume"
        case .scheme: return "--scheme"
        case .integrator: return "--integrator"
        }
    }
}

/// Error messages as egan prints them: the library's errors speak of settings in its own words, and this is the
/// one place that names them by flag. Always one line (argument-parser's lists of allowed values are folded in).
enum ErrorText {
    static func message(for error: any Error) -> String {
        let raw: String
        switch error {
        case let setting as InvalidSetting:
            raw = setting.render(\.flag)
        case let sweep as SweepError:
            raw = sweep.render(\.flag)
        default:
            raw = Egan.message(for: error)
        }
        let lines = raw.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces).trimmingPrefix("- ") }
        guard let first = lines.first else { return "\(error)" }
        return lines.dropFirst().reduce(String(first)) { $0 + ($0.hasSuffix(":") ? " " : ", ") + $1 }
    }
}
