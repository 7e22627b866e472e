import Dispatch
internal import CGSL

/// GSL's `gsl_odeiv2` steppers, chosen by name as in SciPy's `solve_ivp(method=…)`.
public enum ODEStepper: String, CaseIterable, Sendable {
    case rk2, rk4, rkf45, rkck, rk8pd, msadams
    case rk1imp, rk2imp, rk4imp, bsimp, msbdf

    /// Implicit steppers call the Jacobian; GSL crashes if none is given, so the wrapper always supplies it.
    public var usesJacobian: Bool {
        switch self {
        case .rk1imp, .rk2imp, .rk4imp, .bsimp, .msbdf: return true
        default: return false
        }
    }

    var gslType: UnsafePointer<gsl_odeiv2_step_type> {
        switch self {
        case .rk2: return cgsl_step_rk2()
        case .rk4: return cgsl_step_rk4()
        case .rkf45: return cgsl_step_rkf45()
        case .rkck: return cgsl_step_rkck()
        case .rk8pd: return cgsl_step_rk8pd()
        case .msadams: return cgsl_step_msadams()
        case .rk1imp: return cgsl_step_rk1imp()
        case .rk2imp: return cgsl_step_rk2imp()
        case .rk4imp: return cgsl_step_rk4imp()
        case .bsimp: return cgsl_step_bsimp()
        case .msbdf: return cgsl_step_msbdf()
        }
    }
}

/// An autonomous ODE ẏ = f(y) with its Jacobian.
///
/// `derivative(y, dydt)` and `jacobian(y, dfdy)` read and write GSL's own buffers directly (dfdy row-major
/// n × n), so a right-hand side that keeps its scratch space allocates nothing per call. Returning `false`
/// signals a non-finite value: the integration stops with `ODEFailure.nonFinite`.
public struct ODESystem {
    public typealias Function = (_ y: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) -> Bool
    public let dimension: Int
    public let derivative: Function
    public let jacobian: Function

    public init(dimension: Int, derivative: @escaping Function, jacobian: @escaping Function) {
        self.dimension = dimension
        self.derivative = derivative
        self.jacobian = jacobian
    }
}

/// Why an integration stopped early. The state reached so far is kept by the caller.
public struct ODEFailure: Error, CustomStringConvertible, Sendable {
    public enum Reason: Sendable, Equatable {
        /// The right-hand side produced NaN or infinity (the run diverged).
        case nonFinite
        /// GSL's driver failed (step size underflow, too many steps, singular Jacobian, …).
        case gsl(status: Int32, message: String)
    }

    public let reason: Reason
    /// The time the integrator had reached.
    public let time: Double

    public init(reason: Reason, time: Double) {
        self.reason = reason
        self.time = time
    }

    public var description: String {
        switch reason {
        case .nonFinite:
            return
                "the flow produced NaN or infinity at t = \(time): the run diverged; lower the learning rates or raise γ"
        case let .gsl(status, message):
            let advice: String
            if status == Int32(GSL_EMAXITER) {
                advice =
                    "too many steps (the budget is 10⁶ per run); loosen the tolerances, shorten the run or use an implicit stepper (msbdf, bsimp) for a stiff flow"
            } else if status == Int32(GSL_ENOPROG) {
                advice =
                    "the step size underflowed; the flow is probably stiff or singular here: try msbdf or bsimp, or loosen tolerances"
            } else {
                advice = "try another stepper or looser tolerances"
            }
            return "integration stopped at t = \(time): \(message) (GSL \(status)); \(advice)"
        }
    }
}

/// What an integration cost, like SciPy's `nfev`/`njev`: steps, rejected steps, right-hand-side and Jacobian
/// evaluations, and wall time.
public struct IntegratorStatistics: Sendable, Equatable, Codable {
    /// Accepted steps (gradient rounds for plain gradient steps).
    public var steps = 0
    /// Steps the error control rejected and retried smaller.
    public var rejectedSteps = 0
    public var rhsEvaluations = 0
    public var jacobianEvaluations = 0
    /// Seconds of wall time inside the integrator.
    public var wallTime = 0.0

    public init(
        steps: Int = 0, rejectedSteps: Int = 0, rhsEvaluations: Int = 0, jacobianEvaluations: Int = 0,
        wallTime: Double = 0
    ) {
        self.steps = steps
        self.rejectedSteps = rejectedSteps
        self.rhsEvaluations = rhsEvaluations
        self.jacobianEvaluations = jacobianEvaluations
        self.wallTime = wallTime
    }

    /// Sums of two runs' costs (the cells of a study).
    public static func + (a: IntegratorStatistics, b: IntegratorStatistics) -> IntegratorStatistics {
        IntegratorStatistics(
            steps: a.steps + b.steps, rejectedSteps: a.rejectedSteps + b.rejectedSteps,
            rhsEvaluations: a.rhsEvaluations + b.rhsEvaluations,
            jacobianEvaluations: a.jacobianEvaluations + b.jacobianEvaluations, wallTime: a.wallTime + b.wallTime)
    }
}

/// Integrates an `ODESystem` with a GSL stepper and adaptive step control (`gsl_odeiv2_driver`).
///
/// A class because it owns GSL allocations and the boxed callbacks; use one per thread.
public final class ODEIntegrator {
    /// What the C callbacks reach through `params`.
    private final class Context {
        let system: ODESystem
        var rhsEvaluations = 0
        var jacobianEvaluations = 0
        init(_ system: ODESystem) { self.system = system }
    }

    private let context: Context
    /// Heap-allocated because the driver keeps a pointer to it for its whole life.
    private let gslSystem: UnsafeMutablePointer<gsl_odeiv2_system>
    private let driver: UnsafeMutablePointer<gsl_odeiv2_driver>
    public let stepper: ODEStepper

    /// - Parameters:
    ///   - relativeTolerance, absoluteTolerance: GSL's standard error control, |err_i| ≤ atol + rtol·|y_i|.
    ///   - initialStep: first trial step.
    ///   - maxSteps: steps allowed over the integrator's whole life (all `advance` calls together) before GSL
    ///     reports `GSL_EMAXITER`: a run that would take forever (a stiff flow under an explicit stepper) stops
    ///     with "too many steps" and the time it reached.
    public init(
        system: ODESystem, stepper: ODEStepper, relativeTolerance: Double, absoluteTolerance: Double,
        initialStep: Double = 1e-3, maxSteps: Int = 1_000_000
    ) {
        remainingSteps = max(1, maxSteps)
        GSLErrorHandling.disableAbort()
        context = Context(system)
        self.stepper = stepper
        gslSystem = .allocate(capacity: 1)
        gslSystem.initialize(
            to: gsl_odeiv2_system(
                function: { _, y, dydt, params in
                    let context = Unmanaged<Context>.fromOpaque(params!).takeUnretainedValue()
                    context.rhsEvaluations += 1
                    return context.system.derivative(y!, dydt!) ? Int32(GSL_SUCCESS) : Int32(GSL_EBADFUNC)
                },
                jacobian: { _, y, dfdy, dfdt, params in
                    let context = Unmanaged<Context>.fromOpaque(params!).takeUnretainedValue()
                    context.jacobianEvaluations += 1
                    let n = context.system.dimension
                    for i in 0..<n { dfdt![i] = 0 }
                    return context.system.jacobian(y!, dfdy!) ? Int32(GSL_SUCCESS) : Int32(GSL_EBADFUNC)
                },
                dimension: system.dimension, params: Unmanaged.passUnretained(context).toOpaque()))
        driver = gsl_odeiv2_driver_alloc_y_new(
            gslSystem, stepper.gslType, initialStep, absoluteTolerance, relativeTolerance)
        gsl_odeiv2_driver_set_nmax(driver, UInt(remainingSteps))
    }

    /// Steps left in the budget.
    private var remainingSteps: Int
    /// Accepted and rejected steps and wall time of every `advance` so far (evaluations live in the context).
    private var steps = 0
    private var rejectedSteps = 0
    private var wallTime = 0.0

    /// The cost of every `advance` so far.
    public var statistics: IntegratorStatistics {
        IntegratorStatistics(
            steps: steps, rejectedSteps: rejectedSteps, rhsEvaluations: context.rhsEvaluations,
            jacobianEvaluations: context.jacobianEvaluations, wallTime: wallTime)
    }

    deinit {
        gsl_odeiv2_driver_free(driver)
        gslSystem.deinitialize(count: 1)
        gslSystem.deallocate()
    }

    /// Advances `state` from time `time` to `target`, updating both.
    ///
    /// - Throws: `ODEFailure`; `time` and `state` then hold the last point GSL reached.
    public func advance(_ state: inout [Double], time: inout Double, to target: Double) throws {
        gsl_odeiv2_driver_set_nmax(driver, UInt(remainingSteps))
        let evolve = driver.pointee.e!
        let failedBefore = evolve.pointee.failed_steps
        let start = DispatchTime.now().uptimeNanoseconds
        let status = withExtendedLifetime(context) {
            gsl_odeiv2_driver_apply(driver, &time, target, &state)
        }
        wallTime += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        steps += Int(driver.pointee.n)
        let failedAfter = evolve.pointee.failed_steps
        rejectedSteps += Int(failedAfter >= failedBefore ? failedAfter - failedBefore : failedAfter)
        remainingSteps = max(1, remainingSteps - Int(driver.pointee.n))
        guard status == Int32(GSL_SUCCESS) else {
            if status == Int32(GSL_EBADFUNC) { throw ODEFailure(reason: .nonFinite, time: time) }
            throw ODEFailure(reason: .gsl(status: status, message: GSLErrorHandling.message(for: status)), time: time)
        }
    }
}
