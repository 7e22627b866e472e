internal import CGSL

/// One-dimensional minimisation with GSL's Brent minimiser (`gsl_min_fminimizer_brent`: golden section with
/// parabolic steps), for functions that may have a kink at the minimum (e.g. −r(γ) at a critical point).
public enum GSLMinimizer {
    /// A Swift closure boxed for GSL's `void *params`.
    private final class Box {
        let function: (Double) -> Double
        init(_ function: @escaping (Double) -> Double) { self.function = function }
    }

    /// Minimises `function` on [lower, upper] starting from `guess`, which must satisfy
    /// f(guess) < f(lower) and f(guess) < f(upper) (a bracket, e.g. the best point of a scan).
    ///
    /// Stops when the bracket is narrower than `relativeTolerance`·|x| (`gsl_min_test_interval`).
    /// - Throws: `GSLError` if the bracket is invalid or the iteration limit is reached.
    public static func minimize(
        _ function: @escaping (Double) -> Double, lower: Double, guess: Double, upper: Double,
        relativeTolerance: Double, maxIterations: Int = 500
    ) throws -> Double {
        GSLErrorHandling.disableAbort()
        let box = Box(function)
        guard let minimizer = gsl_min_fminimizer_alloc(cgsl_min_brent()) else {
            throw GSLError(status: Int32(GSL_ENOMEM), context: "allocating the minimiser", advice: "")
        }
        defer { gsl_min_fminimizer_free(minimizer) }
        return try withExtendedLifetime(box) {
            var gslFunction = gsl_function(
                function: { x, params in
                    Unmanaged<Box>.fromOpaque(params!).takeUnretainedValue().function(x)
                },
                params: Unmanaged.passUnretained(box).toOpaque())
            let status = gsl_min_fminimizer_set(minimizer, &gslFunction, guess, lower, upper)
            guard status == Int32(GSL_SUCCESS) else {
                throw GSLError(
                    status: status, context: "bracketing the minimum on [\(lower), \(upper)]",
                    advice: "the scan's best point must be strictly better than both neighbours")
            }
            for _ in 0..<maxIterations {
                let iterate = gsl_min_fminimizer_iterate(minimizer)
                guard iterate == Int32(GSL_SUCCESS) else {
                    throw GSLError(
                        status: iterate, context: "minimising", advice: "the function may be flat or discontinuous here"
                    )
                }
                let a = gsl_min_fminimizer_x_lower(minimizer)
                let b = gsl_min_fminimizer_x_upper(minimizer)
                if gsl_min_test_interval(a, b, 0, relativeTolerance) == Int32(GSL_SUCCESS) {
                    return gsl_min_fminimizer_x_minimum(minimizer)
                }
            }
            throw GSLError(
                status: Int32(GSL_EMAXITER), context: "minimising",
                advice: "no convergence in \(maxIterations) iterations")
        }
    }
}
