import ArgumentParser
import EffectiveGAN
import GSLBridge
import ResultForms

/// `--integrator`: a GSL stepper by name, or `gd` for plain gradient steps (argument-parser lists the choices).
enum IntegratorName: ExpressibleByArgument, Equatable {
    case ode(ODEStepper)
    case gradientSteps

    init?(argument: String) {
        if argument == "gd" {
            self = .gradientSteps
        } else if let stepper = ODEStepper(rawValue: argument) {
            self = .ode(stepper)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { ODEStepper.allCases.map(\.rawValue) + ["gd"] }
}

/// `--integrator --rtol --atol --lr --scheme --critic-steps`: how to advance the state.
struct IntegratorOptions: ParsableArguments {
    @Option(
        help:
            "GSL stepper (rk2, rk4, rkf45, rkck, rk8pd, msadams, rk1imp, rk2imp, rk4imp, bsimp, msbdf) or gd for plain gradient steps (default rk8pd; simulate picks gradient steps at half h_max for relu critics)."
    )
    var integrator: IntegratorName?
    @Option(help: "Relative tolerance of the adaptive GSL steppers (0 < rtol < 1).", transform: Checked.positive)
    var rtol: Double = 1e-8
    @Option(help: "Absolute tolerance of the adaptive GSL steppers (> 0).", transform: Checked.positive)
    var atol: Double = 1e-10
    @Option(help: "Step size h for --integrator gd (> 0).", transform: Checked.positive)
    var lr: Double?
    @Option(help: "simultaneous (default) or alternating (for --integrator gd).")
    var scheme: SteppingScheme?
    @Option(
        help: "Discriminator steps per round (gd, alternating; 1 to 10000).",
        transform: { try Checked.count($0, in: 1...10_000) })
    var criticSteps: Int = 1

    func validate() throws {
        guard rtol < 1 else { throw ValidationError("--rtol must be below 1 (got \(rtol)); 1e-8 is the default") }
        if integrator != .gradientSteps {
            let stray = [
                lr != nil ? "--lr" : nil, scheme != nil ? "--scheme" : nil, criticSteps != 1 ? "--critic-steps" : nil,
            ]
            if let flag = stray.compactMap({ $0 }).first {
                throw ValidationError("\(flag) applies to --integrator gd only; add --integrator gd or remove \(flag)")
            }
        }
    }

    func resolve() throws -> Integrator {
        switch integrator {
        case nil: return .ode(.rk8pd)
        case let .ode(stepper)?: return .ode(stepper)
        case .gradientSteps?:
            guard let lr else {
                throw ValidationError(
                    "--integrator gd needs a step size: add --lr H (see 'egan steps' for the stable range)")
            }
            return .gradientSteps(step: lr, scheme: scheme ?? .simultaneous, criticSteps: criticSteps)
        }
    }
}

/// Default end times from the linearised flow: a multiple of the relaxation time 1/r at the model's γ.
enum RelaxationTime {
    static func `default`(_ model: EffectiveModel, multiple: Double, structure: OscillatorStructure?) throws -> Double {
        let spectrum = try StabilityAnalysis(model: model, structure: structure).spectrum
        guard spectrum.rate > 0, (multiple / spectrum.rate).isFinite else {
            throw ValidationError(
                "--t-end: no default at γ = \(Format.number(model.gamma)), where the linearised flow does not decay (\(spectrum.regime.rawValue)); give --t-end"
            )
        }
        return multiple / spectrum.rate
    }
}
