import Dispatch
import GSLBridge
import LinearAlgebra

/// The outcome of a simulation: samples up to where it stopped, and why it stopped.
public struct SimulationResult: Sendable {
    public enum Status: Sendable, Equatable, Codable {
        case completed
        /// Stopped early (divergence or integrator failure); the samples before `time` are kept.
        case stopped(reason: String, time: Double)
    }

    public let times: [Double]
    public let observables: [Observables]
    /// Sampled states, when `keepStates` was set.
    public let states: [[Double]]
    /// The last state reached.
    public let finalState: [Double]
    public let status: Status
    /// What the integration cost (steps, evaluations, wall time).
    public let statistics: IntegratorStatistics

    /// The stop reason of a run ended by `shouldStop` (an interrupt).
    public static let interruptedReason = "interrupted"
}

extension EffectiveModel {
    /// The starting state for `start`.
    public func startingState(_ start: StartingPoint) -> [Double] {
        switch start {
        case .initial:
            return initialState
        case let .perturbedEquilibrium(epsilon, seed):
            let rng = MersenneTwister(seed: UInt(bitPattern: seed))
            let direction = (0..<stateDimension).map { _ in rng.gaussian() }
            let norm = euclideanNorm(direction)
            return zip(equilibriumState, direction).map { $0 + epsilon * $1 / norm }
        }
    }

    /// An `ODESystem` for ż = F(z + offset): with `offset` = z* the unknown is the displacement from equilibrium,
    /// which keeps GSL's relative error control meaningful for tiny perturbations. The right-hand side reuses one
    /// `FieldWorkspace` and allocates nothing per call.
    public func odeSystem(offset: [Double]? = nil) -> ODESystem {
        let model = self
        let n = stateDimension
        let workspace = makeFieldWorkspace()
        let shifted = ScratchBuffer(offset == nil ? 0 : n)
        let shift: (UnsafePointer<Double>) -> UnsafePointer<Double> = { y in
            guard let offset else { return y }
            for i in 0..<n { shifted[i] = offset[i] + y[i] }
            return UnsafePointer(shifted.pointer)
        }
        return ODESystem(
            dimension: n,
            derivative: { y, dydt in
                model.field(at: shift(y), into: dydt, workspace: workspace)
                for i in 0..<n where !dydt[i].isFinite { return false }
                return true
            },
            jacobian: { y, rowMajor in
                let z = Array(UnsafeBufferPointer(start: shift(y), count: n))
                let j = model.jacobian(at: z)
                for r in 0..<n { for c in 0..<n { rowMajor[r * n + c] = j[r, c] } }
                return j.storage.allSatisfy(\.isFinite)
            })
    }

    /// Integrates the full nonlinear flow (or takes gradient steps) and records observables on the sample grid.
    ///
    /// Divergence (NaN/Inf, or a particle distance above the bound) and integrator failures stop the run with a
    /// status saying why and when; everything computed before is returned.
    ///
    /// OpenBLAS is single-threaded (as everywhere in the process): the field's products are skinny (d = 2 columns)
    /// and OpenBLAS's thread hand-off would cost more than they do.
    ///
    /// - Parameters:
    ///   - progress: called with (samples recorded, samples asked for) after each sample.
    ///   - shouldStop: asked before each sample interval; when it answers true (an interrupt) the run stops with
    ///     status "interrupted" and keeps every sample recorded so far.
    public func simulate(
        _ settings: SimulationSettings, progress: ProgressHandler? = nil, shouldStop: (@Sendable () -> Bool)? = nil
    ) throws -> SimulationResult {
        try settings.validate()
        if case let .ode(stepper) = settings.integrator { try checkImplicitStepperBudget(stepper) }
        if settings.keepStates {
            try MemoryBudget.check(
                8 * Double(settings.samples) * Double(stateDimension),
                for: "keeping \(settings.samples) states of dimension \(stateDimension)")
        }
        let times = (0..<settings.samples).map { settings.tEnd * Double($0) / Double(settings.samples - 1) }
        var state = startingState(settings.start)
        var recordedTimes: [Double] = []
        var observed: [Observables] = []
        var states: [[Double]] = []
        var status = SimulationResult.Status.completed
        let (advance, statistics) = try stepper(settings)
        let workspace = makeFieldWorkspace()
        var time = 0.0
        for target in times {
            if let shouldStop, shouldStop() {
                status = .stopped(reason: SimulationResult.interruptedReason, time: time)
                break
            }
            do {
                try advance(&state, &time, target)
            } catch let failure as ODEFailure {
                status = .stopped(reason: failure.description, time: failure.time)
                break
            }
            let values = observables(at: state, workspace: workspace)
            guard values.distance.isFinite, values.distance <= settings.divergenceBound else {
                status = .stopped(
                    reason:
                        "the particle distance reached \(values.distance) > \(settings.divergenceBound) at t = \(target): the run diverged",
                    time: target)
                break
            }
            recordedTimes.append(target)
            observed.append(values)
            if settings.keepStates { states.append(state) }
            progress?(recordedTimes.count, times.count)
        }
        return SimulationResult(
            times: recordedTimes, observables: observed, states: states, finalState: state, status: status,
            statistics: statistics())
    }

    /// A closure advancing (state, time) to a target time with the chosen integrator, and one reporting its cost.
    private func stepper(_ settings: SimulationSettings) throws -> (
        advance: (inout [Double], inout Double, Double) throws -> Void, statistics: () -> IntegratorStatistics
    ) {
        switch settings.integrator {
        case let .ode(kind):
            let integrator = ODEIntegrator(
                system: odeSystem(), stepper: kind, relativeTolerance: settings.relativeTolerance,
                absoluteTolerance: settings.absoluteTolerance, initialStep: min(1e-3, settings.tEnd / 1e3),
                maxSteps: SimulationSettings.odeStepBudget)
            let advance = { (state: inout [Double], time: inout Double, target: Double) in
                guard target > time else { return }
                try integrator.advance(&state, time: &time, to: target)
            }
            return (advance, { integrator.statistics })
        case let .gradientSteps(h, scheme, criticSteps):
            // A class so the closures share the count.
            final class Count { var rounds = 0; var seconds = 0.0 }
            let count = Count()
            let workspace = makeFieldWorkspace()
            let velocity = ScratchBuffer(stateDimension)
            let evaluationsPerRound = scheme == .simultaneous ? 1 : criticSteps + 1
            let statistics = {
                IntegratorStatistics(
                    steps: count.rounds, rhsEvaluations: count.rounds * evaluationsPerRound, wallTime: count.seconds)
            }
            let advance = { (state: inout [Double], time: inout Double, target: Double) throws in
                let goal = Int((target / h).rounded())  // settings.validate() bounded t_end/h by the step budget
                let start = DispatchTime.now().uptimeNanoseconds
                defer { count.seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
                while count.rounds < goal {
                    self.gradientRound(
                        &state, step: h, scheme: scheme, criticSteps: criticSteps, workspace: workspace,
                        velocity: velocity)
                    count.rounds += 1
                    guard state.allSatisfy(\.isFinite) else {
                        throw ODEFailure(reason: .nonFinite, time: Double(count.rounds) * h)
                    }
                }
                time = target
            }
            return (advance, statistics)
        }
    }

    /// One round of discrete training (spec §7): z + hF(z), or k discriminator steps then one generator step.
    public func gradientRound(_ z: [Double], step h: Double, scheme: SteppingScheme, criticSteps: Int) -> [Double] {
        var state = z
        gradientRound(
            &state, step: h, scheme: scheme, criticSteps: criticSteps, workspace: makeFieldWorkspace(),
            velocity: ScratchBuffer(stateDimension))
        return state
    }

    /// `rounds` rounds of discrete training from `state`, in place, with one workspace: the loop of
    /// `--integrator gd` without sampling (what the `steps-784` benchmark times).
    public func gradientRounds(
        _ state: inout [Double], rounds: Int, step h: Double, scheme: SteppingScheme = .simultaneous,
        criticSteps: Int = 1
    ) {
        let workspace = makeFieldWorkspace()
        let velocity = ScratchBuffer(stateDimension)
        for _ in 0..<rounds {
            gradientRound(
                &state, step: h, scheme: scheme, criticSteps: criticSteps, workspace: workspace, velocity: velocity)
        }
    }

    /// One round in place, reusing the caller's workspace and velocity buffer: no allocation per step, which
    /// matters at d = 784 where a fresh workspace re-evaluates the targets' responses.
    func gradientRound(
        _ state: inout [Double], step h: Double, scheme: SteppingScheme, criticSteps: Int, workspace: FieldWorkspace,
        velocity: ScratchBuffer
    ) {
        let n = stateDimension
        let particles = particleBlockLength
        state.withUnsafeMutableBufferPointer { buffer in
            let z = buffer.baseAddress!
            let f = velocity.pointer
            func move(_ range: Range<Int>) {
                field(at: z, into: f, workspace: workspace)
                for i in range { z[i] += h * f[i] }
            }
            switch scheme {
            case .simultaneous:
                move(0..<n)
            case .alternating:
                for _ in 0..<criticSteps { move(particles..<n) }
                move(0..<particles)
            }
        }
    }
}
