internal import CGSL

/// GSL's `mt19937` Mersenne Twister: the same stream for the same seed on every machine.
///
/// All seeded randomness in EffectiveGAN (target samples, initial clouds, random-feature weights, perturbations)
/// comes from here, so a config resolves to the same numbers everywhere. A class because it owns a C allocation.
public final class MersenneTwister {
    private let rng: UnsafeMutablePointer<gsl_rng>

    /// A generator seeded with `seed` (GSL maps seed 0 to its default seed 4357, as documented).
    public init(seed: UInt) {
        GSLErrorHandling.disableAbort()
        rng = gsl_rng_alloc(cgsl_rng_mt19937())
        gsl_rng_set(rng, seed)
    }

    deinit { gsl_rng_free(rng) }

    /// A uniform deviate on [0, 1) (`gsl_rng_uniform`).
    public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// A Gaussian deviate with mean 0 and standard deviation `sigma` (`gsl_ran_gaussian`, Box–Muller polar form).
    public func gaussian(sigma: Double = 1) -> Double { gsl_ran_gaussian(rng, sigma) }
}
