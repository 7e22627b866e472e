import GSLBridge
import Foundation

/// The memory a single computation may plan to use before it is refused.
///
/// Default: half of physical memory, so a dense problem that cannot fit is refused with its estimate instead of
/// aborting inside an allocation. Set the environment variable `EGAN_MEMORY_BUDGET` (bytes, or with a `K`, `M`,
/// `G` suffix) to change it.
public enum MemoryBudget {
    /// The budget in bytes.
    public static var bytes: Double {
        if let text = ProcessInfo.processInfo.environment["EGAN_MEMORY_BUDGET"], let value = parse(text) {
            return value
        }
        return Double(ProcessInfo.processInfo.physicalMemory) / 2
    }

    /// "8G" → 8·2³⁰; a plain number is bytes; nil for anything else.
    static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [Character: Double] = ["K": 1024, "M": 1_048_576, "G": 1_073_741_824]
        if let last = trimmed.last?.uppercased().first, let unit = units[last],
            let value = Double(trimmed.dropLast()), value > 0, value.isFinite
        {
            return value * unit
        }
        guard let value = Double(trimmed), value > 0, value.isFinite else { return nil }
        return value
    }

    /// Bytes an implicit GSL stepper needs at state dimension n: GSL's Jacobian and Newton matrices plus egan's
    /// dense J and its row-major copy, about 5 n² doubles (the particle model's and a network's flow alike).
    static func implicitStepperBytes(stateDimension n: Int) -> Double { 5 * Double(n) * Double(n) * 8 }

    /// Throws `ModelError.exceedsMemoryBudget` when `bytes` would exceed the budget, and `ModelError.badMemoryBudget`
    /// when `EGAN_MEMORY_BUDGET` is set but unreadable (a typo must not silently fall back to the default).
    static func check(_ bytes: Double, for what: String) throws {
        if let text = ProcessInfo.processInfo.environment["EGAN_MEMORY_BUDGET"], parse(text) == nil {
            throw ModelError.badMemoryBudget(text)
        }
        let budget = Self.bytes
        if bytes > budget { throw ModelError.exceedsMemoryBudget(what: what, bytes: bytes, budget: budget) }
    }
}

extension EffectiveModel {
    /// Refuses a dense eigenproblem whose Jacobian, `dgeev`'s working copy and its workspace (≈ 3 n² doubles)
    /// exceed the memory budget.
    func checkDenseBudget() throws {
        let n = Double(stateDimension)
        try MemoryBudget.check(
            3 * n * n * 8,
            for: "a dense eigenproblem of dimension \(stateDimension) (methods without the oscillator structure)")
    }
}

extension EffectiveModel {
    /// Bytes an implicit GSL stepper needs at this model's state dimension.
    var implicitStepperBytes: Double { MemoryBudget.implicitStepperBytes(stateDimension: stateDimension) }

    /// Refuses an implicit stepper (rk1imp … msbdf) whose dense Jacobians exceed the memory budget.
    func checkImplicitStepperBudget(_ stepper: ODEStepper) throws {
        guard stepper.usesJacobian else { return }
        try MemoryBudget.check(
            implicitStepperBytes,
            for:
                "the implicit stepper \(stepper.rawValue) at state dimension \(stateDimension) (dense n × n Jacobians); use an explicit stepper such as rk8pd"
        )
    }

    /// Whether an implicit stepper fits the memory budget (the cross-check falls back to rk8pd when not).
    var implicitStepperFits: Bool { (try? checkImplicitStepperBudget(.msbdf)) != nil }
}

extension MemoryBudget {
    /// "49.8 GB" style sizes for messages.
    static func describe(_ bytes: Double) -> String {
        if bytes >= 1e12 { return "\(Format.number(bytes / 1e9, digits: 3)) GB" }
        if bytes >= 1e9 { return String(format: "%.1f GB", bytes / 1e9) }
        if bytes >= 1e6 { return String(format: "%.1f MB", bytes / 1e6) }
        return String(format: "%.0f kB", bytes / 1e3)
    }
}
